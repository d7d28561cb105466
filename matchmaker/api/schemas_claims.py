"""Claims as their organization sees them; no personal data of the household."""
from __future__ import annotations

from matchmaker.api.schemas import timestamp
from matchmaker.api.spec import integer, number, obj, string
from matchmaker.extensions import db
from matchmaker.models import Claim, ClaimTakeover, Need, Organization

NULLABLE = {"type": ["string", "null"]}
CLAIM = obj(
    ("id", "need_id", "organization_id", "status", "claimed_at", "due_at"),
    id=integer(), need_id=integer(), need_title=string(), need_status=string(),
    organization_id=integer(), offer_id=integer(nullable=True), team_id=integer(nullable=True),
    quantity=number(nullable=True), amount_yuan=number(nullable=True), status=string(),
    claimed_at=string(format="date-time"), due_at=string(format="date-time"),
    closed_at=NULLABLE, close_reason=NULLABLE)
CLAIM_RESULT = obj(
    ("status", "claim_id", "need_id", "due_at", "claim"),
    status=string(description="需求的状态:claimed,或认捐未满时 open"), claim_id=integer(),
    need_id=integer(), due_at=string(format="date-time"),
    still_needed=number(nullable=True), claim=CLAIM)


def _number(value) -> float | None:
    return float(value) if value is not None else None


def claim_dict(claim: Claim) -> dict:
    need = db.session.get(Need, claim.need_id)
    return {"id": claim.id, "need_id": claim.need_id, "need_title": need.title,
            "need_status": need.status.value, "organization_id": claim.organization_id,
            "offer_id": claim.offer_id, "team_id": claim.team_id,
            "quantity": _number(claim.quantity), "amount_yuan": _number(claim.amount_yuan),
            "status": claim.status.value, "claimed_at": timestamp(claim.claimed_at),
            "due_at": timestamp(claim.due_at), "closed_at": timestamp(claim.closed_at),
            "close_reason": claim.close_reason}


def claim_result(claim: Claim, still_needed: float | None = None) -> dict:
    body = claim_dict(claim)
    return {"status": body["need_status"], "claim_id": claim.id, "need_id": claim.need_id,
            "due_at": body["due_at"], "still_needed": still_needed, "claim": body}


TAKEOVER = obj(
    ("id", "need_id", "claim_id", "organization_id", "status", "reason", "requested_at",
     "answer_by"),
    id=integer(), need_id=integer(), need_title=string(), claim_id=integer(),
    holder_organization=string(description="现认领单位"), organization_id=integer(),
    organization_name=string(description="申请转接的单位"), team_id=integer(nullable=True),
    offer_id=integer(nullable=True), reason=string(),
    status=string(description="pending、accepted、granted(逾期自动同意)、declined 或 withdrawn"),
    requested_at=string(format="date-time"),
    answer_by=string(format="date-time", description="逾期未答复将自动同意"),
    decided_at=NULLABLE, answer=NULLABLE, new_claim_id=integer(nullable=True))


def takeover_dict(takeover: ClaimTakeover) -> dict:
    claim = takeover.claim
    need = db.session.get(Need, claim.need_id)
    return {"id": takeover.id, "need_id": need.id, "need_title": need.title,
            "claim_id": claim.id,
            "holder_organization": db.session.get(Organization, claim.organization_id).name,
            "organization_id": takeover.organization_id,
            "organization_name": db.session.get(Organization, takeover.organization_id).name,
            "team_id": takeover.team_id, "offer_id": takeover.offer_id,
            "reason": takeover.reason, "status": takeover.status.value,
            "requested_at": timestamp(takeover.requested_at),
            "answer_by": timestamp(takeover.answer_by),
            "decided_at": timestamp(takeover.decided_at), "answer": takeover.answer,
            "new_claim_id": takeover.new_claim_id}
