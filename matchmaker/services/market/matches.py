"""Match rounds and their proposals: start a round, follow it, accept or decline a proposal.

A round over more than one county is split into one child run per county, each its own job,
so that several workers carry a province's round in parallel; the round reports the sum of
its counties. Accepting a proposal takes the need like a claim does (the same conditional
update and never-over-spend rule on the offer), so a stalled acceptance is released too.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import Select, exists, select, update
from sqlalchemy.orm import aliased

from matchmaker.errors import Conflict, InvalidTransition, NotFound
from matchmaker.extensions import db
from matchmaker.models import (
    Match, MatchRun, MatchRunStatus, MatchStatus, Need, NeedStatus, Offer, OfferKind, Region,
    Role, User,
)
from matchmaker.models.base import utcnow
from matchmaker.services import audit, notifications, scopes
from matchmaker.services.market import claims, reminders
from matchmaker.services.market.match_runs import county_ids_for, create_run
from matchmaker.services.regions import region_by_code
from matchmaker.services.registry.orgs import organization_of

BUSY = (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING)


class RoundInProgress(Conflict):
    code = "match_run_in_progress"


def queue_round(region_code: str | None, user_id: int | None) -> MatchRun:
    """Queue a round for a region (all regions when None); split by county when it spans many.

    Flushed, not committed: the caller commits, then enqueues a job for each of
    runs_to_carry_out(round) (jobs.rounds.start_round does both).
    """
    region = region_by_code(region_code) if region_code else None
    _refuse_overlap()
    counties = county_ids_for(region.id if region else None)
    round_ = create_run(region.id if region else None, user_id)
    if len(counties) > 1:
        for county_id in counties:
            create_run(county_id, user_id).parent_id = round_.id
        db.session.flush()
    audit.record("match_run.start", user_id, round_, counties=len(counties))
    return round_


def runs_to_carry_out(round_: MatchRun) -> list[MatchRun]:
    """The runs a round's jobs carry out: its counties' runs, or the round itself."""
    children = db.session.scalars(select(MatchRun).where(MatchRun.parent_id == round_.id)
                                  .order_by(MatchRun.id)).all()
    return list(children) or [round_]


def _refuse_overlap() -> None:
    """Two rounds at once could propose the same need twice: one at a time, unless stale."""
    stale = utcnow() - timedelta(minutes=current_app.config["MATCH_RUN_STALE_MINUTES"])
    part = aliased(MatchRun)
    busy = db.session.scalar(select(MatchRun.id).where(
        MatchRun.status.in_(BUSY), MatchRun.created_at > stale,
        ~exists().where(part.parent_id == MatchRun.id)).limit(1))  # a split round never runs
    if busy is not None:
        raise RoundInProgress("已有匹配正在进行,请等它完成后再发起")


def run_summary(run: MatchRun) -> dict:
    """A run's figures; a split round adds up its counties' runs."""
    children = db.session.scalars(select(MatchRun).where(MatchRun.parent_id == run.id)
                                  .order_by(MatchRun.id)).all()
    parts = children or [run]
    statuses = {part.status for part in parts}
    if MatchRunStatus.FAILED in statuses:
        status = MatchRunStatus.FAILED
    elif statuses == {MatchRunStatus.FINISHED}:
        status = MatchRunStatus.FINISHED
    elif statuses == {MatchRunStatus.QUEUED}:
        status = MatchRunStatus.QUEUED
    else:
        status = MatchRunStatus.RUNNING
    started = [part.started_at for part in parts if part.started_at]
    finished = [part.finished_at for part in parts if part.finished_at]
    region = db.session.get(Region, run.region_id) if run.region_id else None
    return {
        "id": run.id, "status": status.value, "region_code": region.code if region else None,
        "region_name": region.name if region else None,
        "needs_considered": sum(part.needs_considered for part in parts),
        "offers_considered": sum(part.offers_considered for part in parts),
        "candidates": sum(part.candidates for part in parts),
        "proposals": sum(part.proposals for part in parts),
        "total_score": round(sum(part.total_score for part in parts), 6),
        "counties": len(children) or None,
        "timings": {phase: round(sum(part.timings.get(phase, 0) for part in parts), 3)
                    for phase in ("load", "candidates", "solve", "persist")},
        "created_at": run.created_at,
        "started_at": min(started) if started else None,
        "finished_at": max(finished) if status == MatchRunStatus.FINISHED and finished else None,
    }


def rounds() -> Select:
    """The rounds, newest first: runs that are not a county's part of a larger round."""
    return select(MatchRun).where(MatchRun.parent_id.is_(None)).order_by(MatchRun.id.desc())


def visible_matches(user: User, status: str | None) -> Select:
    """An organizer sees the proposals to its offers, a cadre those for its region's needs."""
    query = select(Match).join(Need, Need.id == Match.need_id).order_by(Match.score.desc(),
                                                                         Match.id)
    if status:
        query = query.where(Match.status == MatchStatus(status))
    if user.role == Role.ORGANIZER:
        return query.join(Offer, Offer.id == Match.offer_id).where(
            Offer.organization_id == organization_of(user, claims.CLAIMING))
    return query.where(*scopes.in_cadre_scope(Need.village_id, user))


def accept(match_id: int, user: User) -> Match:
    """The offer's organization takes the proposed need, drawing on the offer's capacity."""
    match = _own_proposal(match_id, user)
    offer = db.session.get(Offer, match.offer_id)
    need = claims.visible_need(match.need_id)
    _decide(match, MatchStatus.ACCEPTED, user)
    if not claims.take_need(need.id, NeedStatus.MATCHED):
        raise claims.not_open(need)
    units = float(match.quantity)
    share = {"amount_yuan": units} if offer.kind == OfferKind.FUNDS else {"quantity": units}
    claims.hold_team(offer.team_id)
    claim = claims.insert_claim(need, user, offer.organization_id, offer.team_id, offer, units,
                                share)
    audit.record("match.accept", user.id, match, claim_id=claim.id, need_id=need.id)
    reminders.need_claimed(claim)
    return match


def decline(match_id: int, user: User, reason: str | None = None) -> Match:
    """Decline a proposal: that pair is never proposed again; the reason goes to the audit log."""
    match = _own_proposal(match_id, user)
    _decide(match, MatchStatus.DECLINED, user)
    audit.record("match.decline", user.id, match, need_id=match.need_id, reason=reason)
    return match


def _own_proposal(match_id: int, user: User) -> Match:
    match = db.session.get(Match, match_id)
    if match is None or match.offer.organization_id != organization_of(user, claims.CLAIMING):
        raise NotFound("找不到该匹配建议")
    return match


def _decide(match: Match, status: MatchStatus, user: User) -> None:
    """Move a live proposal to its outcome; of two simultaneous answers only one wins."""
    done = db.session.execute(
        update(Match).where(Match.id == match.id, Match.status == MatchStatus.PROPOSED,
                            Match.expires_at > utcnow())
        .values(status=status, decided_at=utcnow(), decided_by_id=user.id),
        execution_options={"synchronize_session": False})
    db.session.expire(match)
    if done.rowcount != 1:
        raise InvalidTransition("该匹配建议已处理或已过期")


def tell_proposals(run_id: int) -> int:
    """Each organization with new proposals from the run hears of them once."""
    organizations = db.session.scalars(
        select(Offer.organization_id).join(Match, Match.offer_id == Offer.id)
        .where(Match.run_id == run_id).distinct()).all()
    for organization_id in organizations:
        notifications.notify(
            notifications.organizers_of(organization_id), "match.proposed",
            "有新的匹配建议", "系统为本组织的供给匹配了需求,请在工作台查看并接受或拒绝",
            "/organizer/#matches", obj=db.session.get(MatchRun, run_id))
    return len(organizations)


def round_proposals(run: MatchRun, limit: int) -> list[Match]:
    """The proposals of a round (a split round's, county by county), the best first."""
    parts = select(MatchRun.id).where((MatchRun.id == run.id) | (MatchRun.parent_id == run.id))
    return list(db.session.scalars(select(Match).where(Match.run_id.in_(parts))
                                   .order_by(Match.score.desc(), Match.id).limit(limit)))
