"""Runs one recorded job, the same way in-process and on an rq worker; safe to call twice."""
from __future__ import annotations

import logging
import time
import traceback

from rq import get_current_job
from sqlalchemy import update

from matchmaker.extensions import db
from matchmaker.models import JobRecord, JobStatus
from matchmaker.models.base import utcnow


def execute(record_id: int) -> str:
    """Take the job if it is still queued, run its task, and record how it ended."""
    if get_current_job() is not None:
        # a forked rq work horse must not share the parent's pooled connections
        db.engine.dispose(close=False)
    if not _take(record_id):
        return "skipped"
    record = db.session.get(JobRecord, record_id)
    from matchmaker.jobs.tasks import TASKS

    log = logging.getLogger(f"matchmaker.jobs.{record.kind}")
    fields, started = {"job_id": record_id, "kind": record.kind}, time.perf_counter()
    try:
        result = TASKS[record.kind].run(*record.args, progress=_reporter(record_id))
    except Exception as exc:  # the job's failure is recorded, not raised into the request
        db.session.rollback()
        log.error("job %s failed: %s", record_id, exc, extra={
            **fields, "status": "failed", "error_type": type(exc).__name__,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
        _finish(record_id, JobStatus.FAILED, error=traceback.format_exc(limit=5)[-4000:])
        return "failed"
    _finish(record_id, JobStatus.FINISHED, result=result)
    log.info("job %s finished", record_id, extra={
        **fields, "status": "finished",
        "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
    return "finished"


def _take(record_id: int) -> bool:
    """queued → running, by a conditional update: of two runners only one gets the job."""
    taken = db.session.execute(
        update(JobRecord)
        .where(JobRecord.id == record_id, JobRecord.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow(), attempts=JobRecord.attempts + 1,
                error=None)
    ).rowcount
    db.session.commit()
    return taken == 1


def _reporter(record_id: int):
    def progress(percent: int, message: str | None = None) -> None:
        db.session.execute(update(JobRecord).where(JobRecord.id == record_id).values(
            progress=max(0, min(100, int(percent))), message=message))
        db.session.commit()

    return progress


def _finish(record_id: int, status: JobStatus, **values) -> None:
    if status is JobStatus.FINISHED:
        values["progress"] = 100
    db.session.execute(update(JobRecord).where(JobRecord.id == record_id).values(
        status=status, finished_at=utcnow(), **values))
    db.session.commit()
