"""What an organizer may record a delivery against: the needs it holds, the job offers it fills."""
from __future__ import annotations

from sqlalchemy import and_, or_, select

from matchmaker.extensions import db
from matchmaker.models import HOLDING_CLAIM, Claim, Need, NeedKind, Offer, OfferKind, OfferStatus
from matchmaker.services.records.rules import CLOSED_NEEDS



def _holding(organization_id: int):
    return select(Claim).where(Claim.organization_id == organization_id,
                               Claim.status.in_(HOLDING_CLAIM))


def held_needs(organization_id: int, kinds: tuple[NeedKind, ...],
               named_member: bool = False) -> list[Need]:
    """The organization's claimed or matched needs of the kinds (accepting a match claims the
    need), still recordable; with named_member, only those naming the member to help."""
    held = _holding(organization_id).with_only_columns(Claim.need_id)
    query = select(Need).where(Need.id.in_(held), Need.kind.in_(kinds),
                               Need.status.not_in(CLOSED_NEEDS)).order_by(Need.id)
    if named_member:
        query = query.where(Need.member_id.is_not(None))
    return list(db.session.scalars(query))


def fillable_job_offers(organization_id: int, needs: list[Need]) -> list[Offer]:
    """The organization's job offers a hire may take: open with openings left, or holding an
    opening already through a claim of one of the needs (that hire takes no second opening)."""
    held = _holding(organization_id).with_only_columns(Claim.offer_id).where(
        Claim.need_id.in_([need.id for need in needs]))
    return list(db.session.scalars(select(Offer).where(
        Offer.organization_id == organization_id, Offer.kind == OfferKind.JOB,
        or_(and_(Offer.status == OfferStatus.OPEN, Offer.capacity_used < Offer.capacity),
            and_(Offer.status.in_((OfferStatus.OPEN, OfferStatus.EXHAUSTED)),
                 Offer.id.in_(held)))).order_by(Offer.id)))


def own_offers(organization_id: int, kinds: tuple[OfferKind, ...]) -> list[Offer]:
    """The organization's offers of the kinds a record may name as its source (a reference)."""
    return list(db.session.scalars(select(Offer).where(
        Offer.organization_id == organization_id, Offer.kind.in_(kinds)).order_by(Offer.id)))
