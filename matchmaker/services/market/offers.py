"""Offers (供给): posting, editing, closing, and the capacity that claims and matches use."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from matchmaker import permissions
from matchmaker.errors import Conflict, Invalid, InvalidTransition, NotFound
from matchmaker.extensions import db
from matchmaker.forms.offers import CAPACITY_FIELD
from matchmaker.labels import OFFER_STATUS
from matchmaker.models import Offer, OfferKind, OfferStatus, Organization, Region, User
from matchmaker.services import audit
from matchmaker.services.registry import orgs

EDITABLE = ("category", "title", "description", "quantity", "unit", "amount_yuan", "openings",
            "wage_yuan_month", "per_wish_cap_yuan", "radius_km", "available_from",
            "available_until")
LIVE = (OfferStatus.OPEN, OfferStatus.EXHAUSTED)


class CapacityExhausted(Conflict):
    code = "capacity_exhausted"


def capacity_of(data: dict) -> float:
    """The capacity in the kind's unit: households, units, wishes, openings or 元."""
    return float(data.get(CAPACITY_FIELD[data["kind"]]) or 0)


def create_offer(data: dict, user: User) -> Offer:
    """Post an offer of the organizer's organization, located at its team or region."""
    organization_id = orgs.organization_of(user, "发布供给")
    offer = Offer(organization_id=organization_id, kind=OfferKind(data["kind"]),
                  created_by_id=user.id, status=OfferStatus.OPEN, capacity_used=0)
    _apply(offer, data, user)
    offer.capacity = capacity_of(data)
    db.session.add(offer)
    db.session.flush()
    audit.record("offer.create", user.id, offer, kind=offer.kind.value, capacity=offer.capacity)
    return offer


def _apply(offer: Offer, data: dict, user: User) -> None:
    """The editable fields, the team (own organization's only) and the location."""
    for name in EDITABLE:
        setattr(offer, name, data.get(name) if data.get(name) != "" else None)
    team = orgs.own_team(offer.organization_id, data.get("team_id"))
    offer.team_id = team.id if team else None
    if data.get("region_code"):
        region = orgs.region_for(data["region_code"])
    else:
        region = team.region if team else db.session.get(Organization,
                                                         offer.organization_id).region
    offer.region_id = region.id
    use_team_base = team is not None and not data.get("region_code")
    offer.lat, offer.lon = (team.lat, team.lon) if use_team_base else (region.lat, region.lon)
    if offer.radius_km is None and team is not None:
        offer.radius_km = team.radius_km


def own_offer(organization_id: int, offer_id: int | None, kinds: tuple[str, ...] | None = None,
              what: str = "") -> Offer | None:
    """The offer a form names, if it is one of the organization's and (when `kinds` is given) of
    one of those kinds; None when none is named. Anything else is refused as bad input on the
    field, `what` naming the kind sought (就业岗位...)."""
    if offer_id is None:
        return None
    offer = db.session.get(Offer, offer_id)
    if (offer is None or offer.organization_id != organization_id
            or (kinds is not None and offer.kind not in kinds)):
        raise Invalid({"offer_id": f"找不到本组织的这项{what}供给"})
    return offer


def offer_for(user: User, offer_id: int) -> Offer:
    """An offer of the user's organization (any for an admin); anything else is NotFound."""
    offer = db.session.get(Offer, offer_id)
    if offer is None or not orgs.can_manage(user, offer.organization_id):
        raise NotFound("找不到该供给")
    return offer


def offers_query(user: User, kind: str | None = None, status: str | None = None):
    query = select(Offer).order_by(Offer.id.desc())
    if not permissions.is_admin(user):
        query = query.where(Offer.organization_id == user.organization_id)
    if kind:
        query = query.where(Offer.kind == kind)
    if status:
        query = query.where(Offer.status == status)
    return query


def edit_data(offer: Offer) -> dict:
    """The offer as form data (PATCH merges its body into this and validates the whole).

    A region taken from the team is left out, so that the offer keeps following the team's base.
    """
    data = {name: getattr(offer, name) for name in EDITABLE}
    data.update(kind=offer.kind.value, team_id=offer.team_id)
    if offer.region_id and (offer.team is None or offer.team.region_id != offer.region_id):
        data["region_code"] = db.session.get(Region, offer.region_id).code
    return {key: value for key, value in data.items() if value is not None}


def update_offer(offer: Offer, data: dict, user: User) -> Offer:
    """Edit a live offer; its capacity may not drop below what claims and matches already use."""
    if offer.status not in LIVE:
        raise InvalidTransition(f"该供给{OFFER_STATUS[offer.status.value]},不能修改")
    if data["kind"] != offer.kind.value:
        raise Invalid({"kind": "供给类型不能修改,请关闭后重新发布"})
    _apply(offer, data, user)
    db.session.flush()
    capacity = capacity_of(data)
    if not db.session.execute(update(Offer).where(
            Offer.id == offer.id, Offer.capacity_used <= capacity).values(capacity=capacity),
            execution_options={"synchronize_session": False}).rowcount:
        db.session.refresh(offer)
        field = CAPACITY_FIELD[offer.kind.value]
        raise Invalid({field: f"不能少于已使用的{offer.capacity_used:g}"})
    _settle_status(offer.id, user.id)
    db.session.refresh(offer)
    audit.record("offer.update", user.id, offer, fields=sorted(data), capacity=capacity)
    return offer


def close_offer(offer: Offer, user: User) -> Offer:
    """open (or exhausted) → closed; a closed or expired offer stays as it is."""
    moved = db.session.execute(update(Offer).where(Offer.id == offer.id, Offer.status.in_(LIVE))
                               .values(status=OfferStatus.CLOSED),
                               execution_options={"synchronize_session": False}).rowcount
    db.session.refresh(offer)
    if moved != 1:
        raise InvalidTransition(f"该供给{OFFER_STATUS[offer.status.value]},不能关闭")
    audit.record("offer.close", user.id, offer)
    return offer


def use_capacity(offer_id: int, amount: float, user_id: int | None = None) -> Offer:
    """Take `amount` of an open offer's capacity, in one conditional UPDATE (never over-spent).

    The offer becomes exhausted when nothing is left. Raises CapacityExhausted otherwise.
    """
    amount = float(amount)
    if amount <= 0:
        raise Invalid({"quantity": "使用量须大于0"})
    used = db.session.execute(update(Offer).where(
        Offer.id == offer_id, Offer.status == OfferStatus.OPEN,
        Offer.capacity_used + amount <= Offer.capacity,
    ).values(capacity_used=Offer.capacity_used + amount),
        execution_options={"synchronize_session": False}).rowcount
    if used != 1:
        raise CapacityExhausted("这项供给已无足够的剩余容量", {"offer_id": "剩余容量不足"})
    _settle_status(offer_id, user_id)
    return _fresh(offer_id)


def release_capacity(offer_id: int, amount: float, user_id: int | None = None) -> Offer:
    """Give `amount` back (a claim released, a match declined); an exhausted offer reopens."""
    amount = float(amount)
    given = amount > 0 and db.session.execute(update(Offer).where(
        Offer.id == offer_id, Offer.capacity_used >= amount,
    ).values(capacity_used=Offer.capacity_used - amount),
        execution_options={"synchronize_session": False}).rowcount
    if given != 1:
        raise Invalid({"quantity": "退回量须大于0且不超过已使用量"})
    _settle_status(offer_id, user_id)
    return _fresh(offer_id)


def _settle_status(offer_id: int, user_id: int | None) -> None:
    """open ⇄ exhausted as the capacity left reaches zero or comes back; each move audited."""
    for source, target, condition, action in (
            (OfferStatus.OPEN, OfferStatus.EXHAUSTED, Offer.capacity_used >= Offer.capacity,
             "offer.exhaust"),
            (OfferStatus.EXHAUSTED, OfferStatus.OPEN, Offer.capacity_used < Offer.capacity,
             "offer.reopen")):
        moved = db.session.execute(update(Offer).where(
            Offer.id == offer_id, Offer.status == source, condition).values(status=target),
            execution_options={"synchronize_session": False}).rowcount
        if moved:
            audit.record(action, user_id, _fresh(offer_id))


def _fresh(offer_id: int) -> Offer:
    offer = db.session.get(Offer, offer_id)
    db.session.refresh(offer)
    return offer


def expire_offers(today: date | None = None) -> int:
    """Live offers past their available_until expire; returns how many (each one audited)."""
    today = today or date.today()
    due = list(db.session.scalars(select(Offer.id).where(
        Offer.status.in_(LIVE), Offer.available_until < today)))
    expired = 0
    for offer_id in due:
        if db.session.execute(update(Offer).where(Offer.id == offer_id, Offer.status.in_(LIVE))
                              .values(status=OfferStatus.EXPIRED),
                              execution_options={"synchronize_session": False}).rowcount:
            expired += 1
            audit.record("offer.expire", None, _fresh(offer_id), on=today.isoformat())
    return expired
