"""A real `matchmaker worker` SIGKILLed in the middle of a matching run: the run is never
half-applied; the reconciler retries it (the same proposals as a clean run) or, out of
attempts, marks the job and the run failed."""
import os
import signal
import subprocess
import time

import pytest
from sqlalchemy import delete, func, select

from matchmaker import jobs
from matchmaker.extensions import db
from matchmaker.services.market.match_runs import create_run, execute_run
from matchmaker.seeding.synthetic import PROVINCE_CODE, seed_synthetic
from matchmaker.models import JobRecord, Match, MatchRun
from matchmaker.services.regions import region_by_code
from tests.conftest import MATCHMAKER
from tests.failures.conftest import burst, worker_env

pytestmark = pytest.mark.redis
HEARTBEAT = "1"  # seconds: a killed worker's job counts as abandoned after three missed beats


@pytest.fixture
def app_config():
    return {"JOB_HEARTBEAT_SECONDS": int(HEARTBEAT)}


@pytest.fixture
def province(app):
    seed_synthetic(needs=3000, offers=300, seed=11)  # a run of a second or two
    db.session.commit()
    return region_by_code(PROVINCE_CODE)


def proposals(run_id: int) -> set[tuple]:
    return set(db.session.execute(select(Match.need_id, Match.offer_id, Match.quantity,
                                         Match.score).where(Match.run_id == run_id)).all())


def match_rows(run_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Match).where(Match.run_id == run_id))


def clean_run(region_id: int) -> set[tuple]:
    """The proposals of an uninterrupted in-process run; forgotten again afterwards."""
    run = create_run(region_id)
    db.session.commit()
    execute_run(run.id)
    found = proposals(run.id)
    db.session.execute(delete(Match))
    db.session.execute(delete(MatchRun))
    db.session.commit()
    return found


def status(model, row_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(model.status).where(model.id == row_id))


def kill_worker_mid_run(app, redis_url, region_id: int) -> tuple[MatchRun, JobRecord]:
    """Queue a run, start a real worker, SIGKILL it and its work horse while the run runs."""
    app.config["REDIS_URL"] = redis_url
    run = create_run(region_id)
    db.session.commit()
    record = jobs.enqueue("match_run", run.id)
    worker = subprocess.Popen(
        [MATCHMAKER, "worker"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=worker_env(app, redis_url, MATCHMAKER_JOB_HEARTBEAT_SECONDS=HEARTBEAT))
    try:
        deadline = time.monotonic() + 180  # a worker's start-up is slow on a loaded machine
        while status(MatchRun, run.id) != "running":
            assert worker.poll() is None and time.monotonic() < deadline, "the run never started"
            time.sleep(0.05)
        horses = _children(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)  # the worker first, so nobody reports the horse
        for pid in horses:
            os.kill(pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=10)
    assert horses, "no work horse was running"
    assert status(MatchRun, run.id) == "running", "the run finished before the kill"
    assert status(JobRecord, record.id) == "running"
    return run, record


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as handle:
        return [int(child) for child in handle.read().split()]


def reconcile_once_abandoned(seconds: float = 15) -> list[int]:
    """Reconcile until the killed job's missed heartbeats show it abandoned."""
    deadline = time.monotonic() + seconds
    while not (found := jobs.reconcile(stale_minutes=0)) and time.monotonic() < deadline:
        if status(JobRecord, db.session.scalar(select(func.max(JobRecord.id)))) == "failed":
            break
        time.sleep(0.5)
    return found


def test_a_run_whose_worker_was_killed_is_retried_and_proposes_what_a_clean_run_does(
        app, redis_url, province):
    expected = clean_run(province.id)
    assert len(expected) > 100
    run, record = kill_worker_mid_run(app, redis_url, province.id)
    assert match_rows(run.id) == 0  # nothing of the unfinished run was applied

    assert reconcile_once_abandoned() == [record.id]
    assert status(JobRecord, record.id) == "queued"
    burst(app, redis_url, MATCHMAKER_JOB_HEARTBEAT_SECONDS=HEARTBEAT)
    db.session.expire_all()
    record, run = db.session.get(JobRecord, record.id), db.session.get(MatchRun, run.id)
    assert (record.status, record.attempts, run.status) == ("finished", 2, "finished")
    assert proposals(run.id) == expected and match_rows(run.id) == run.proposals == len(expected)
    assert jobs.reconcile(stale_minutes=0) == []


def test_a_run_out_of_attempts_is_marked_failed_with_nothing_applied(app, redis_url, province):
    app.config["JOB_MAX_ATTEMPTS"] = 1
    run, record = kill_worker_mid_run(app, redis_url, province.id)
    assert reconcile_once_abandoned() == []
    db.session.expire_all()
    record = db.session.get(JobRecord, record.id)
    assert record.status == "failed" and "已放弃" in record.error
    assert status(MatchRun, run.id) == "failed" and match_rows(run.id) == 0
