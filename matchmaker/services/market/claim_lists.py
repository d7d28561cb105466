"""The organizer's claim lists: its active claims, and where it stands on others' claims."""
from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Claim, ClaimStatus, ClaimTakeover, Need, Organization, TakeoverStatus
from matchmaker.services.market import claims


def active_claims(organization_id: int) -> list:
    """(claim, need, recorded) of the organization's active claims, the soonest due first."""
    return db.session.execute(
        select(Claim, Need, claims.has_record(Claim.need_id))
        .join(Need, Need.id == Claim.need_id)
        .where(Claim.organization_id == organization_id, Claim.status == ClaimStatus.ACTIVE)
        .order_by(Claim.due_at)).all()


def holders(need_ids: list[int]) -> list:
    """(need_id, claim id, organization_id, organization name) of the needs' active claims."""
    return db.session.execute(
        select(Claim.need_id, Claim.id, Claim.organization_id, Organization.name)
        .join(Organization, Organization.id == Claim.organization_id)
        .where(Claim.need_id.in_(need_ids), Claim.status == ClaimStatus.ACTIVE)
        .order_by(Claim.id)).all()


def asked_for(need_ids: list[int], organization_id: int) -> set[int]:
    """The needs whose claim the organization has asked to take over, awaiting an answer."""
    return set(db.session.scalars(
        select(Claim.need_id).join(ClaimTakeover, ClaimTakeover.claim_id == Claim.id)
        .where(Claim.need_id.in_(need_ids), ClaimTakeover.organization_id == organization_id,
               ClaimTakeover.status == TakeoverStatus.PENDING)))
