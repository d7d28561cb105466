"""Background work: enqueue(kind, *ids) records a job, commits it, then runs or queues it."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select

from matchmaker.extensions import db
from matchmaker.jobs import backends
from matchmaker.jobs.tasks import TASKS
from matchmaker.models import JobRecord, JobStatus
from matchmaker.models.base import utcnow

log = logging.getLogger("matchmaker.jobs")


def enqueue(kind: str, *ids: int, user_id: int | None = None) -> JobRecord:
    """Record the job and commit, then hand it to the backend; the record is the truth."""
    task = TASKS[kind]
    record = JobRecord(kind=kind, args=[int(i) for i in ids], queue=task.queue,
                       created_by_id=user_id)
    db.session.add(record)
    db.session.commit()
    submit(record)
    return record


def submit(record: JobRecord) -> None:
    """Give a recorded job to the configured backend. A Redis failure leaves it queued."""
    record.enqueued_at = utcnow()
    db.session.commit()
    try:
        backends.current().submit(record.id, record.queue)
    except backends.BackendUnavailable as exc:
        log.warning("job %s stays queued: %s", record.id, exc)


def reconcile(stale_minutes: int | None = None) -> list[int]:
    """Resubmit jobs whose queue entry was lost (Redis restarted, worker killed).

    A job that was taken JOB_MAX_ATTEMPTS times and still never finished is not tried again:
    it is recorded failed, and its task's abandon hook marks what the job was carrying out.
    """
    config = current_app.config
    minutes = stale_minutes if stale_minutes is not None else config["JOB_STALE_MINUTES"]
    cutoff = utcnow() - timedelta(minutes=minutes)
    stale = db.session.scalars(select(JobRecord).where(or_(
        (JobRecord.status == JobStatus.QUEUED)
        & (or_(JobRecord.enqueued_at.is_(None), JobRecord.enqueued_at < cutoff)),
        (JobRecord.status == JobStatus.RUNNING) & (JobRecord.started_at < cutoff),
    )).order_by(JobRecord.id)).all()
    backend = backends.current()
    lost = [record for record in stale if not backend.is_pending(record.id)]
    resubmitted = []
    for record in lost:
        if record.attempts >= config["JOB_MAX_ATTEMPTS"]:
            _give_up(record)
            continue
        record.status = JobStatus.QUEUED
        submit(record)
        resubmitted.append(record.id)
    return resubmitted


def _give_up(record: JobRecord) -> None:
    log.error("job %s abandoned after %s attempts", record.id, record.attempts)
    record.status, record.finished_at = JobStatus.FAILED, utcnow()
    record.error = f"任务执行 {record.attempts} 次均未完成(执行进程中断),已放弃"
    abandon = TASKS[record.kind].abandon if record.kind in TASKS else None
    if abandon is not None:
        abandon(*record.args)
    db.session.commit()
