"""Headline counts for the home page, straight from the database, with no personal data."""
from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import (
    Household,
    Need,
    NeedKind,
    NeedStatus,
    Offer,
    OfferStatus,
    Organization,
    Region,
    RegionLevel,
    Team,
    Volunteer,
)
from matchmaker.impact.figures import POSTED_WISH_STATUSES
from matchmaker.services.scopes import region_ids_within

OPEN_NEED = (NeedStatus.OPEN, NeedStatus.CLAIMED, NeedStatus.MATCHED)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def headline_counts(region: Region | None = None) -> dict[str, int]:
    """The platform at a glance; villages, households, needs and offers of the region shown."""
    places = region_ids_within(region).scalar_subquery() if region is not None else None

    def within(column) -> list:
        return [column.in_(places)] if places is not None else []

    return {
        "villages": _count(Region, Region.level == RegionLevel.VILLAGE, *within(Region.id)),
        "organizations": _count(Organization),
        "teams": _count(Team),
        "volunteers": _count(Volunteer),
        "households": _count(Household, *within(Household.village_id)),
        "open_needs": _count(Need, Need.status.in_(OPEN_NEED), Need.kind != NeedKind.WISH,
                             *within(Need.village_id)),
        # awaiting a claim: the wishes the public board lists (a claimed one is on its way)
        "open_wishes": _count(Need, Need.status == NeedStatus.OPEN, Need.kind == NeedKind.WISH,
                              *within(Need.village_id)),
        "open_offers": _count(Offer, Offer.status == OfferStatus.OPEN, *within(Offer.region_id)),
    }


def pickable_regions(region: Region | None) -> list[Region]:
    """The region picker: the provinces, then the places under each region of the trail down to
    the one shown, in tree order (never the whole gazetteer in one list)."""
    parents = [None, *trail(region)] if region else [None]
    if region is not None and region.level == RegionLevel.VILLAGE:
        parents.pop()
    children: dict[int | None, list[Region]] = {}
    for parent in parents:
        children[parent.id if parent else None] = list(db.session.scalars(select(Region).where(
            Region.parent_id == parent.id if parent else Region.parent_id.is_(None))
            .order_by(Region.code)))
    ordered: list[Region] = []

    def visit(parent_id: int | None) -> None:
        for place in children.get(parent_id, ()):
            ordered.append(place)
            visit(place.id)

    visit(None)
    return ordered


def trail(region: Region | None) -> list[Region]:
    """The region and those above it, from the top, for the drill-down breadcrumb."""
    return region.lineage if region is not None else []


def latest_open_wishes(region: Region | None, limit: int = 6) -> list[Need]:
    """The newest open micro-wishes of the region (the view shows them as the public may)."""
    from sqlalchemy.orm import joinedload

    from matchmaker.services.market.need_queries import public_needs

    args = {"status": "open", "kind": "wish", **({"region": region.code} if region else {})}
    query = public_needs(args).limit(limit).options(
        joinedload(Need.household).joinedload(Household.village), joinedload(Need.member))
    return list(db.session.scalars(query))


def places_with_wishes() -> list[Region]:
    """The counties, townships and villages that have posted wishes (the dashboard's own
    definition), by path: the wish board's region filter."""
    villages = db.session.scalars(select(Region).join(Need, Need.village_id == Region.id).where(
        Need.kind == NeedKind.WISH, Need.status.in_(POSTED_WISH_STATUSES)).distinct()).all()
    ids = {place for village in villages for place in village.ancestor_ids}
    return list(db.session.scalars(select(Region).where(
        Region.id.in_(ids), Region.level.in_(("county", "township", "village"))
    ).order_by(Region.path)))
