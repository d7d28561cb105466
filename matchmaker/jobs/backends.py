"""Where jobs run: in-process when no Redis is configured, otherwise on rq workers."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus as RqStatus

from matchmaker.jobs import runner

PENDING_RQ_STATES = {RqStatus.QUEUED, RqStatus.STARTED, RqStatus.DEFERRED, RqStatus.SCHEDULED}


class BackendUnavailable(Exception):
    """The queue cannot be reached; the job record stays queued for the reconciler."""


class InlineBackend:
    """Runs the job at once, in this process, with the same runner a worker uses."""

    name = "inline"

    def submit(self, record_id: int, queue: str) -> None:
        runner.execute(record_id)

    def is_pending(self, record_id: int) -> bool:
        return False

    def describe(self) -> dict:
        return {"backend": "inline", "state": "ok"}


class RqBackend:
    name = "rq"

    def __init__(self, url: str):
        self.connection = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)

    def submit(self, record_id: int, queue: str) -> None:
        try:
            Queue(queue, connection=self.connection).enqueue(
                "matchmaker.jobs.runner.execute", record_id,
                job_id=rq_job_id(record_id), job_timeout=3600, failure_ttl=7 * 86400)
        except RedisError as exc:
            raise BackendUnavailable(str(exc)) from exc

    def is_pending(self, record_id: int) -> bool:
        """Queued in rq, or started by a worker that still beats (a killed one stops)."""
        try:
            job = Job.fetch(rq_job_id(record_id), connection=self.connection)
            status = job.get_status()
        except NoSuchJobError:
            return False
        except RedisError as exc:
            raise BackendUnavailable(str(exc)) from exc
        if status == RqStatus.STARTED:
            return _beating(job.last_heartbeat or job.started_at)
        return status in PENDING_RQ_STATES

    def describe(self) -> dict:
        try:
            self.connection.ping()
            counts = {name: Queue(name, connection=self.connection).count
                      for name in current_app.config["RQ_QUEUES"]}
        except RedisError:
            return {"backend": "rq", "state": "down"}
        return {"backend": "rq", "state": "ok", "queued": counts}


def _beating(last: datetime | None) -> bool:
    """rq notices a dead worker's job only after a minute or more, and only while another
    worker runs; a job that missed three heartbeats is taken as abandoned now."""
    if last is None:
        return False
    if last.tzinfo is None:
        last = last.replace(tzinfo=timezone.utc)
    silence = (datetime.now(timezone.utc) - last).total_seconds()
    return silence < 3 * current_app.config["JOB_HEARTBEAT_SECONDS"]


def rq_job_id(record_id: int) -> str:
    return f"matchmaker-job-{record_id}"


def current() -> InlineBackend | RqBackend:
    url = current_app.config.get("REDIS_URL")
    return RqBackend(url) if url else InlineBackend()
