"""Match runs: load a region's needs and offers, propose, persist the proposals; expiry.

The service side of the pure engine in matchmaker.matching: it reads the database
(match_loading), calls propose() with the settings of the app's config, and writes the
proposals. Runs inside the Flask app context (a job or a CLI command). A run takes only needs
that are open with no active claim and no proposed or accepted match, and never proposes a pair
that already has a match in any status, so a declined pair is never proposed again and running
twice proposes nothing twice. Proposed matches reserve their units of the offer for later runs
(see match_loading) without touching capacity_used, which accepting a match draws on.

Like every service it flushes and never commits: a job or the CLI that wants the run's
"running" state seen while it runs passes a `step` (jobs.tasks.committed_step) that commits each
step of the run; without one the run is part of the caller's transaction.

Two runs over overlapping regions must not run at the same time; runs split by county
(county_ids_for) are independent, at the price of ignoring pairs across county borders.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from geographiclib.geodesic import Geodesic

from matchmaker.extensions import db
from matchmaker.matching.candidates import Candidates
from matchmaker.matching.engine import Settings, propose
from matchmaker.matching.scoring import exact_fit, reasons
from matchmaker.matching.types import Needs, Offers, Proposals
from matchmaker.models import Match, MatchRun, MatchRunStatus, MatchStatus, Region, RegionLevel
from matchmaker.models.base import utcnow
from matchmaker.services.market import match_loading as loading
from matchmaker.services.scopes import region_ids_within

log = logging.getLogger("matchmaker.matching")
INSERT_CHUNK = 20_000


def execute_run(run_id: int, resume: bool = False,
                step: Callable[[], AbstractContextManager] | None = None) -> None:
    """Carry out a queued run; a run that is not queued is left as it is.

    The run goes in three steps: take it (running), carry it out, or else mark it failed.
    `step` makes each step durable: the job and the CLI pass jobs.tasks.committed_step, which
    commits a step (others see the run running; a retry can fence off an older attempt) and
    rolls a failed one back. Without it the run is part of the caller's transaction, which the
    caller commits, and the work is a savepoint (begun after the take's UPDATE has opened the
    transaction: SQLite's driver would otherwise commit when the savepoint is released).
    With resume (a job's retry, the job record making it the one runner), a run left running
    is carried out again: its proposals are written in its second step only, so a runner
    killed mid-way left none. On failure the run is marked failed and the error raised.
    """
    durable, attempt = (step, step) if step else (nullcontext, db.session.begin_nested)
    with durable():
        token = _start(run_id, resume)
    if token is None:
        log.info("match run %s is not queued; nothing to do", run_id)
        return
    try:
        with attempt():
            _carry_out(db.session.get(MatchRun, run_id))
            _still_ours(run_id, token)
    except Superseded:
        log.warning("match run %s was taken over by a retry; this attempt wrote nothing", run_id)
    except Exception:
        log.exception("match run %s failed", run_id)
        with durable():
            _fail(run_id)
        raise


class Superseded(Exception):
    """A retry took the run over (it set a newer started_at) while this attempt still ran."""


def _start(run_id: int, resume: bool = False) -> datetime | None:
    """Take the run; returns its started_at, the token that fences off an older attempt."""
    takes = (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING) if resume else (MatchRunStatus.QUEUED,)
    token = utcnow()
    started = db.session.execute(
        sa.update(MatchRun).where(MatchRun.id == run_id, MatchRun.status.in_(takes))
        .values(status=MatchRunStatus.RUNNING, started_at=token),
        execution_options={"synchronize_session": False}).rowcount
    return token if started == 1 else None


def _still_ours(run_id: int, token: datetime) -> None:
    ours = db.session.execute(
        sa.update(MatchRun).where(MatchRun.id == run_id, MatchRun.started_at == token)
        .values(started_at=token), execution_options={"synchronize_session": False}).rowcount
    if ours != 1:
        raise Superseded(run_id)


def _fail(run_id: int) -> None:
    db.session.execute(sa.update(MatchRun).where(MatchRun.id == run_id).values(
        status=MatchRunStatus.FAILED, finished_at=utcnow()))


def abandon_run(run_id: int) -> None:
    """A run whose job was given up is failed, unless it finished; the caller commits."""
    db.session.execute(sa.update(MatchRun).where(
        MatchRun.id == run_id, MatchRun.status.in_((MatchRunStatus.QUEUED, MatchRunStatus.RUNNING)))
        .values(status=MatchRunStatus.FAILED, finished_at=utcnow()),
        execution_options={"synchronize_session": False})


@contextmanager
def _timed(timings: dict, phase: str):
    started = time.perf_counter()
    yield
    timings[phase] = round(time.perf_counter() - started, 3)


def _carry_out(run: MatchRun) -> None:
    config, now = current_app.config, utcnow()
    settings = Settings.from_config(config)
    months = int(config["MATCH_FAIRNESS_MONTHS"])
    timings: dict[str, float] = {}
    with _timed(timings, "load"):
        path = _region_path(run.region_id)
        needs = loading.load_needs(path, now.date(), loading.fairness_start(now, months))
        offers = loading.load_offers(path, now.date())
        excluded = loading.existing_pairs()
    proposals = propose(needs, offers, now.date().toordinal(), settings, excluded)
    timings.update({k: round(v, 3) for k, v in proposals.stats["timings"].items()})
    expires = now + timedelta(days=int(config["MATCH_PROPOSAL_DAYS"]))
    with _timed(timings, "persist"):
        persist(run.id, needs, offers, proposals, now, expires, months)
    run.needs_considered, run.offers_considered = len(needs), len(offers)
    run.candidates, run.proposals = proposals.stats["candidates"], len(proposals)
    run.total_score = round(float(proposals.score.sum()), 6)
    run.timings, run.status, run.finished_at = timings, MatchRunStatus.FINISHED, utcnow()
    log.info("match run %s: %s needs, %s offers, %s proposals in %s", run.id, len(needs),
             len(offers), len(proposals), timings)


def _region_path(region_id: int | None) -> str | None:
    if region_id is None:
        return None
    return db.session.scalar(sa.select(Region.path).where(Region.id == region_id))


def persist(run_id: int, needs: Needs, offers: Offers, proposals: Proposals, now: datetime,
            expires: datetime, fairness_months: int) -> int:
    """Insert the proposals as Match rows (status proposed) in chunks; returns how many."""
    distances = geodesic_km(needs.lat[proposals.need_index], needs.lon[proposals.need_index],
                            offers.lat[proposals.offer_index], offers.lon[proposals.offer_index])
    exact = exact_fit(needs, offers, _pairs_of(proposals))
    table = Match.__table__
    rows = []
    for i in range(len(proposals)):
        rows.append(_match_row(run_id, needs, offers, proposals, i, distances[i], bool(exact[i]),
                               fairness_months, now, expires))
        if len(rows) == INSERT_CHUNK:
            db.session.execute(sa.insert(table), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(table), rows)
    return len(proposals)


def _pairs_of(proposals: Proposals) -> Candidates:
    return Candidates(proposals.need_index, proposals.offer_index, proposals.distance_km,
                      proposals.units)


def _match_row(run_id, needs, offers, proposals, i, distance_km, exact, months, now,
               expires) -> dict:
    values = {code: float(column[i]) for code, column in proposals.components.items()}
    return {"run_id": run_id, "need_id": int(proposals.need_id[i]),
            "offer_id": int(proposals.offer_id[i]), "quantity": float(proposals.units[i]),
            "score": round(float(proposals.score[i]), 6), "distance_km": round(distance_km, 3),
            "reasons": reasons(needs, offers, int(proposals.need_index[i]),
                               int(proposals.offer_index[i]), values, exact, distance_km,
                               months),
            "status": MatchStatus.PROPOSED, "created_at": now, "expires_at": expires}


def geodesic_km(lat1, lon1, lat2, lon2) -> list[float]:
    """WGS-84 geodesic distances, once per distinct pair of points.

    The same computation as matchmaker.geo.geodesic_km (geopy's geodesic is geographiclib's
    Inverse), called directly: geopy's point parsing doubles the cost per pair, which counts
    when a province run persists hundreds of thousands of proposals.
    """
    cache: dict[tuple, float] = {}
    found = []
    for pair in zip(lat1.tolist(), lon1.tolist(), lat2.tolist(), lon2.tolist()):
        if pair not in cache:
            cache[pair] = Geodesic.WGS84.Inverse(*pair, Geodesic.DISTANCE)["s12"] / 1000.0
        found.append(cache[pair])
    return found


def expire_proposals(now: datetime) -> int:
    """Proposed matches past their expires_at become expired; returns how many. The caller
    commits. No capacity is given back: proposals never took any from capacity_used."""
    return db.session.execute(
        sa.update(Match).where(Match.status == MatchStatus.PROPOSED, Match.expires_at < now)
        .values(status=MatchStatus.EXPIRED),
        execution_options={"synchronize_session": False}).rowcount


def county_ids_for(region_id: int | None) -> list[int]:
    """The counties to run separately for a region: its own county or the counties within it
    (every county when None), in id order. A region below county level is its own unit."""
    region = db.session.get(Region, region_id) if region_id is not None else None
    if region is not None and region.level.depth >= RegionLevel.COUNTY.depth:
        return [region.id]
    query = sa.select(Region.id).where(Region.level == RegionLevel.COUNTY).order_by(Region.id)
    if region is not None:
        query = query.where(Region.id.in_(region_ids_within(region)))
    return list(db.session.scalars(query))


def create_run(region_id: int | None = None, created_by_id: int | None = None) -> MatchRun:
    """A queued run (flushed, not committed), for execute_run to carry out."""
    run = MatchRun(region_id=region_id, created_by_id=created_by_id, created_at=utcnow(),
                   status=MatchRunStatus.QUEUED, timings={})
    db.session.add(run)
    db.session.flush()
    return run

