"""Match runs and proposed matches as the API shows them: no personal data of the household."""
from __future__ import annotations

from matchmaker.api.schemas import timestamp
from matchmaker.api.spec import array, integer, number, obj, string
from matchmaker.models import Match, MatchRun
from matchmaker.services.market import matches

NULLABLE = {"type": ["string", "null"]}
TIMINGS = obj(load=number(), candidates=number(), solve=number(), persist=number())
RUN = obj(
    ("id", "status", "proposals", "started_at", "finished_at"),
    id=integer(), status=string(description="queued、running、finished 或 failed"),
    region_code=NULLABLE, region_name=NULLABLE, needs_considered=integer(),
    offers_considered=integer(), candidates=integer(), proposals=integer(),
    total_score=number(), counties=integer(nullable=True), timings=TIMINGS,
    created_at=string(format="date-time"), started_at=NULLABLE, finished_at=NULLABLE)
RUN_STARTED = obj(("id", "status"), id=integer(), status=string())
REASON = obj(("code", "value", "label"), code=string(), value=number(),
             label=string(description="中文说明"))
MATCH = obj(
    ("id", "need_id", "offer_id", "score", "distance_km", "reasons"),
    id=integer(), need_id=integer(), offer_id=integer(), need_title=string(),
    need_kind=string(), village=string(), offer_title=string(), quantity=number(),
    score=number(), distance_km=number(nullable=True), reasons=array(REASON),
    status=string(description="proposed、accepted、declined 或 expired"),
    expires_at=NULLABLE)


def run_dict(run: MatchRun) -> dict:
    summary = matches.run_summary(run)
    return {**summary, **{key: timestamp(summary[key])
                          for key in ("created_at", "started_at", "finished_at")}}


def match_dict(match: Match) -> dict:
    need, offer = match.need, match.offer
    return {"id": match.id, "need_id": need.id, "offer_id": offer.id, "need_title": need.title,
            "need_kind": need.kind.value, "village": need.household.village.name,
            "offer_title": offer.title, "quantity": float(match.quantity),
            "score": round(float(match.score), 4),
            "distance_km": None if match.distance_km is None else round(match.distance_km, 1),
            "reasons": match.reasons, "status": match.status.value,
            "expires_at": timestamp(match.expires_at)}
