"""Jobs: recorded first, run in-process without Redis, by `matchmaker worker` with it."""
import os
import subprocess

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import select

from matchmaker import jobs
from matchmaker.extensions import db
from matchmaker.jobs import runner
from matchmaker.jobs.tasks import TASKS, Task
from matchmaker.models import JobRecord, JobStatus, Region
from matchmaker.services import regions
from tests.conftest import MATCHMAKER

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def _new_village(code: str = "360302102299") -> Region:
    region = regions.create_region(code, "试点村", "village", "360302102000")
    db.session.commit()
    return region


def test_inline_job_runs_at_once_and_is_recorded_finished(app):
    region = _new_village()
    record = jobs.enqueue("geocode_region", region.id)
    db.session.expire_all()
    assert record.status == JobStatus.FINISHED and record.progress == 100
    assert record.result == {"region_id": region.id, "found": "approximate"}
    assert region.lat == region.parent.lat


def test_running_a_finished_job_again_does_nothing(app):
    record = jobs.enqueue("geocode_region", _new_village().id)
    assert runner.execute(record.id) == "skipped"
    db.session.refresh(record)
    assert record.attempts == 1


def test_a_failing_task_is_recorded_failed_not_raised(app, monkeypatch):
    def explode(region_id, progress):
        raise RuntimeError("boom")

    monkeypatch.setitem(TASKS, "explode", Task(explode))
    record = jobs.enqueue("explode", 1)
    db.session.refresh(record)
    assert record.status == JobStatus.FAILED
    assert "RuntimeError: boom" in record.error


def _worker_env(app, redis_url: str) -> dict[str, str]:
    return {**os.environ, "MATCHMAKER_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MATCHMAKER_REDIS_URL": redis_url, "MATCHMAKER_SECRET_KEY": "test-secret-key",
            "MATCHMAKER_DATA_KEY": "test-data-key"}


def _burst(app, redis_url: str) -> subprocess.CompletedProcess:
    return subprocess.run([MATCHMAKER, "worker", "--burst"], env=_worker_env(app, redis_url),
                          capture_output=True, text=True, timeout=120)


@pytest.mark.redis
def test_job_enqueued_to_redis_is_run_by_the_worker_command(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    region = _new_village()
    record = jobs.enqueue("geocode_region", region.id)
    assert record.status == JobStatus.QUEUED
    assert Queue("default", connection=Redis.from_url(redis_url)).count == 1
    done = _burst(app, redis_url)
    assert done.returncode == 0, done.stderr
    db.session.expire_all()
    assert record.status == JobStatus.FINISHED
    assert region.lat is not None


@pytest.mark.redis
def test_job_recorded_while_redis_was_down_is_resubmitted_and_run(app, redis_url):
    app.config["REDIS_URL"] = UNREACHABLE_REDIS
    record = jobs.enqueue("geocode_region", _new_village().id)
    assert record.status == JobStatus.QUEUED
    app.config["REDIS_URL"] = redis_url
    assert jobs.reconcile(stale_minutes=0) == [record.id]
    assert _burst(app, redis_url).returncode == 0
    db.session.expire_all()
    assert record.status == JobStatus.FINISHED


@pytest.mark.redis
def test_reconcile_leaves_jobs_that_are_still_in_the_queue(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    record = jobs.enqueue("geocode_region", _new_village().id)
    assert jobs.reconcile(stale_minutes=0) == []
    assert Queue("default", connection=Redis.from_url(redis_url)).count == 1
    assert db.session.scalar(select(JobRecord.status).where(JobRecord.id == record.id)) == "queued"


@pytest.mark.redis
def test_healthz_reports_redis_and_queue_counts(client, app, redis_url):
    app.config["REDIS_URL"] = redis_url
    body = client.get("/healthz").get_json()
    assert body["redis"] == "ok" and body["queue"]["backend"] == "rq"
    assert body["queue"]["queued"]["default"] == 0


def test_healthz_says_redis_down_when_it_is(client, app):
    app.config["REDIS_URL"] = UNREACHABLE_REDIS
    body = client.get("/healthz").get_json()
    assert body["redis"] == "down" and body["status"] == "degraded"
