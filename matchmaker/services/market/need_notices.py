"""Who hears of a newly posted need: its township reviewers, or organizations that may serve it."""
from __future__ import annotations

from sqlalchemy import or_, select

from matchmaker.extensions import db
from matchmaker.models import Need, NeedKind, NeedStatus, Offer, OfferStatus, Region, RegionLevel, Role, User
from matchmaker.services import notifications
from matchmaker.vocabularies import FITS

KIND = "need.posted"


def announce(need_id: int) -> int:
    """Tell, once each, who acts next on a new need; returns how many were told.

    A need under review goes to the cadres above its village who may approve it; an open need
    to the organizers of organizations with an open offer of a fitting kind whose region holds
    the village (or that has no region). Safe to run twice: the inbox keeps one per user.
    """
    need = db.session.get(Need, need_id)
    if need is None or need.status not in (NeedStatus.REVIEW, NeedStatus.OPEN):
        return 0
    village = db.session.get(Region, need.village_id)
    if need.status == NeedStatus.REVIEW:
        users, title, link = _reviewers(village), "有需求待审核", "/cadre/needs?status=review"
    else:
        users, title, link = _organizers(need, village), "附近有新的帮扶需求", "/organizer/needs"
    body = f"{village.name}:{need.title}"
    return len(notifications.notify(users, KIND, title, body, link, obj=need))


def _reviewers(village: Region) -> list[int]:
    return list(db.session.scalars(
        select(User.id).join(Region, Region.id == User.region_id).where(
            User.role == Role.CADRE, User.active.is_(True),
            Region.id.in_(village.ancestor_ids), Region.level != RegionLevel.VILLAGE)))


def _organizers(need: Need, village: Region) -> list[int]:
    organizations = select(Offer.organization_id).where(
        Offer.status == OfferStatus.OPEN, Offer.kind.in_(FITS[need.kind]),
        or_(Offer.region_id.is_(None), Offer.region_id.in_(village.ancestor_ids))).distinct()
    if need.kind == NeedKind.SERVICE:  # a service is offered for one category
        organizations = organizations.where(Offer.category == need.category)
    return list(db.session.scalars(select(User.id).where(
        User.role == Role.ORGANIZER, User.active.is_(True),
        User.organization_id.in_(organizations)).order_by(User.id)))
