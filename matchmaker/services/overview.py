"""Headline counts for the home page, straight from the database, with no personal data."""
from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import (
    Activity, Household, Need, NeedKind, NeedStatus, Offer, OfferStatus, Organization, Region,
    RegionLevel, Team, VerificationStatus, Volunteer,
)

OPEN_NEED = (NeedStatus.OPEN, NeedStatus.CLAIMED, NeedStatus.MATCHED)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def headline_counts() -> dict[str, int]:
    return {
        "villages": _count(Region, Region.level == RegionLevel.VILLAGE),
        "organizations": _count(Organization),
        "teams": _count(Team),
        "volunteers": _count(Volunteer),
        "households": _count(Household),
        "open_needs": _count(Need, Need.status.in_(OPEN_NEED), Need.kind != NeedKind.WISH),
        "open_wishes": _count(Need, Need.status.in_(OPEN_NEED), Need.kind == NeedKind.WISH),
        "wishes_fulfilled": _count(Need, Need.status == NeedStatus.FULFILLED,
                                   Need.kind == NeedKind.WISH),
        "open_offers": _count(Offer, Offer.status == OfferStatus.OPEN),
        "verified_activities": _count(Activity, Activity.status == VerificationStatus.VERIFIED),
    }


def pickable_regions() -> list[Region]:
    """The province, city, county and township levels for the dashboard's region picker."""
    return list(db.session.scalars(select(Region).where(Region.level.in_(
        (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP)))
        .order_by(Region.code)))


def trail(region: Region | None) -> list[Region]:
    """The region and those above it, from the top, for the drill-down breadcrumb."""
    found = []
    while region is not None:
        found.insert(0, region)
        region = region.parent
    return found


def latest_open_wishes(region: Region | None, limit: int = 6) -> list[dict]:
    """The newest open micro-wishes of the region, as the public may see them."""
    from matchmaker.api.schemas_needs import public_need
    from matchmaker.services.need_queries import public_needs

    args = {"status": "open", "kind": "wish", **({"region": region.code} if region else {})}
    return [public_need(need) for need in db.session.scalars(public_needs(args).limit(limit))]
