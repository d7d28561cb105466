"""What an organizer may record a delivery against: the needs it holds, the job offers it fills."""
from __future__ import annotations

from sqlalchemy import and_, or_, select

from matchmaker.errors import Invalid
from matchmaker.extensions import db
from matchmaker.models import HOLDING_CLAIM, Claim, Need, NeedKind, Offer, OfferKind, OfferStatus
from matchmaker.services.records.rules import CLOSED_NEEDS



def _holding(organization_id: int):
    return select(Claim).where(Claim.organization_id == organization_id,
                               Claim.status.in_(HOLDING_CLAIM))


def _held_needs_query(organization_id: int, kinds: tuple[NeedKind, ...]):
    held = _holding(organization_id).with_only_columns(Claim.need_id)
    return select(Need).where(Need.id.in_(held), Need.kind.in_(kinds),
                              Need.status.not_in(CLOSED_NEEDS))


def held_needs(organization_id: int, kinds: tuple[NeedKind, ...],
               named_member: bool = False) -> list[Need]:
    """The organization's claimed or matched needs of the kinds (accepting a match claims the
    need), still recordable; with named_member, only those naming the member to help."""
    query = _held_needs_query(organization_id, kinds).order_by(Need.id)
    if named_member:
        query = query.where(Need.member_id.is_not(None))
    return list(db.session.scalars(query))


def check_held_households(organization_id: int, ids: list[int], kinds: tuple[NeedKind, ...],
                          field: str, why: str, kept: list[int] = ()) -> None:
    """The households a delivery goes to are those of needs of the kinds the organization holds,
    as the pages offer them (they list only held needs); one already on the record (kept) stays
    when it is changed. `why` ends the message, after the refused households' numbers."""
    added = [household_id for household_id in dict.fromkeys(ids) if household_id not in kept]
    if not added:
        return
    held = set(db.session.scalars(_held_needs_query(organization_id, kinds)
                                  .where(Need.household_id.in_(added))
                                  .with_only_columns(Need.household_id)))
    refused = [str(household_id) for household_id in added if household_id not in held]
    if refused:
        raise Invalid({field: f"编号 {'、'.join(refused)} 的农户{why}"})


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
