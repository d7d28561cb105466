"""Telling people what concerns them: claims on a village's needs, claims falling due."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Claim, ClaimStatus, Need, Organization
from matchmaker.services import notifications

DUE_SOON_DAYS = 3


def need_claimed(claim: Claim) -> None:
    """The cadres of the need's village hear who took it (an organization, never a person)."""
    need = db.session.get(Need, claim.need_id)
    organization = db.session.get(Organization, claim.organization_id)
    notifications.notify(
        notifications.cadres_of(need.village_id), "need.claimed",
        f"“{need.title}”已被认领", f"认领单位:{organization.name}", "/cadre/needs", obj=claim)


def claim_released(claim: Claim, reason: str) -> None:
    """The claimant hears that its claim went back to the pool, and why."""
    need = db.session.get(Need, claim.need_id)
    notifications.notify(
        notifications.organizers_of(claim.organization_id), "claim.released",
        f"认领已释放:“{need.title}”", reason, "/organizer/", obj=claim)


def claims_due_soon(now: datetime, days: int = DUE_SOON_DAYS) -> int:
    """Remind organizers of active claims due within `days` that still lack a record."""
    from matchmaker.services.market.claims import has_record

    due = db.session.scalars(select(Claim).where(
        Claim.status == ClaimStatus.ACTIVE, Claim.due_at >= now,
        Claim.due_at < now + timedelta(days=days), ~has_record(Claim.need_id))).all()
    for claim in due:
        need = db.session.get(Need, claim.need_id)
        notifications.notify(
            notifications.organizers_of(claim.organization_id), "claim.due_soon",
            f"认领即将到期:“{need.title}”", f"请在{claim.due_at:%Y-%m-%d}前记录帮扶,否则将自动释放",
            "/organizer/", obj=claim)
    return len(due)
