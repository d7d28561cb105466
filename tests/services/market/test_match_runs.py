"""Match runs and rounds are services: they flush and never commit or enqueue. The caller (a
job, a view, the CLI) commits; jobs.rounds.start_round commits, then enqueues each run."""
from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.jobs import rounds
from matchmaker.jobs.tasks import committed_step
from matchmaker.models import JobRecord, Match, MatchRun, Region
from matchmaker.services.market import match_runs, matches
from tests.api.market import make_need, make_offer, make_org
from tests.conftest import VILLAGE


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def a_pair(make_household) -> None:
    """A need and an open offer at its village: one proposal for a run."""
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    make_need(make_household())
    make_offer(make_org(village, "赣鄱建材有限公司"), region_id=village.id, radius_km=20.0)


def test_a_run_without_a_step_is_part_of_the_callers_transaction(app, make_household):
    a_pair(make_household)
    run = match_runs.create_run()
    db.session.commit()
    match_runs.execute_run(run.id)
    assert db.session.get(MatchRun, run.id).status == "finished" and count(Match) == 1
    db.session.rollback()  # the caller decides: nothing of the run was committed
    assert db.session.get(MatchRun, run.id).status == "queued" and count(Match) == 0


def test_a_run_given_the_jobs_committed_step_commits_its_proposals(app, make_household):
    a_pair(make_household)
    run = match_runs.create_run()
    db.session.commit()
    match_runs.execute_run(run.id, step=committed_step)
    db.session.rollback()
    assert db.session.get(MatchRun, run.id).status == "finished" and count(Match) == 1


def test_queueing_a_round_neither_commits_nor_enqueues(app):
    round_ = matches.queue_round(None, None)
    counties = matches.runs_to_carry_out(round_)
    assert len(counties) > 1 and all(run.parent_id == round_.id for run in counties)
    assert count(JobRecord) == 0
    db.session.rollback()
    assert count(MatchRun) == 0


def test_starting_a_round_commits_it_then_gives_each_county_run_a_job(app):
    round_ = rounds.start_round(None, None)  # the inline backend runs the jobs at once
    db.session.rollback()
    counties = matches.runs_to_carry_out(round_)
    jobs = [db.session.get(JobRecord, run.job_id) for run in counties]
    assert len(jobs) == len(counties) > 1 and round_.job_id is None
    assert all(job.kind == "match_run" and job.status == "finished" for job in jobs)
    assert matches.run_summary(round_)["status"] == "finished"
