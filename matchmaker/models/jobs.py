"""Background job records: the source of truth for work handed to rq or run in-process."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, enum_type, fk, utcnow


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class JobRecord(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the task's name in matchmaker.jobs.tasks.TASKS
    kind: Mapped[str] = mapped_column(sa.String(64))
    #: record ids only, never personal data
    args: Mapped[list] = mapped_column(sa.JSON, default=list)
    queue: Mapped[str] = mapped_column(sa.String(32), default="default")
    status: Mapped[JobStatus] = mapped_column(enum_type(JobStatus), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(sa.String(255))
    error: Mapped[str | None] = mapped_column(sa.Text)
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    attempts: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(fk("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    __table_args__ = (
        sa.Index("ix_jobs_status_enqueued", "status", "enqueued_at"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
    )
