"""Queries for lists of needs: the public one (never under review) and a cadre's scope."""
from __future__ import annotations

from sqlalchemy import Select, select

from matchmaker.errors import Invalid
from matchmaker.extensions import db
from matchmaker.models import Need, NeedKind, NeedStatus, Region, User
from matchmaker.services import scopes
from matchmaker.services.regions import region_by_code

PUBLIC_STATUSES = {"open": (NeedStatus.OPEN,), "claimed": (NeedStatus.CLAIMED, NeedStatus.MATCHED),
                   "fulfilled": (NeedStatus.FULFILLED,),
                   "any": (NeedStatus.OPEN, NeedStatus.CLAIMED, NeedStatus.MATCHED,
                           NeedStatus.FULFILLED)}


def _filtered(query: Select, args) -> Select:
    if args.get("kind"):
        if args["kind"] not in {k.value for k in NeedKind}:
            raise Invalid({"kind": "无效的需求类型"})
        query = query.where(Need.kind == args["kind"])
    if args.get("category"):
        query = query.where(Need.category == args["category"])
    if args.get("region"):
        region = region_by_code(args["region"])
        query = query.where(Need.village_id.in_(scopes.region_ids_within(region)))
    return query


def public_needs(args) -> Select:
    """Needs anyone may see: open by default; never those under review, cancelled or expired."""
    status = args.get("status") or "open"
    if status not in PUBLIC_STATUSES:
        raise Invalid({"status": "状态须为 open、claimed、fulfilled 或 any"})
    query = (select(Need).join(Region, Region.id == Need.village_id)
             .where(Need.status.in_(PUBLIC_STATUSES[status])).order_by(Need.id.desc()))
    return _filtered(query, args)


def public_need_by_id(need_id: int, kind: str | None = None) -> Need | None:
    """The need if anyone may see it (any public status; of this kind when given), else None."""
    args = {"status": "any", **({"kind": kind} if kind else {})}
    return db.session.scalar(public_needs(args).where(Need.id == need_id))


def scoped_needs(user: User, args) -> Select:
    """Every need of the cadre's region, whatever its status (optionally one status)."""
    query = select(Need).join(Region, Region.id == Need.village_id).order_by(Need.id.desc())
    query = query.where(*scopes.in_cadre_scope(Need.village_id, user))
    if args.get("status"):
        if args["status"] not in {s.value for s in NeedStatus}:
            raise Invalid({"status": "无效的状态"})
        query = query.where(Need.status == args["status"])
    return _filtered(query, args)


def need_villages(user: User) -> list[Region]:
    """The villages of the user's scope that have needs: the choices of the list's place filter."""
    query = select(Region).where(Region.id.in_(select(Need.village_id).distinct()),
                                 *scopes.in_cadre_scope(Region.id, user))
    return list(db.session.scalars(query.order_by(Region.code)))
