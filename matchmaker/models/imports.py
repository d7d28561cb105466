"""Household ledger imports: the uploaded file, its dry-run preview and the outcome."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column

from matchmaker.models.base import Base, enum_type, fk, utcnow


class ImportStatus(enum.StrEnum):
    UPLOADED = "uploaded"
    PREVIEWED = "previewed"
    APPLYING = "applying"
    APPLIED = "applied"
    FAILED = "failed"


class ImportBatch(Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int] = mapped_column(fk("users.id"), index=True)
    #: the cadre's region at upload: every row must lie within it
    region_id: Mapped[int] = mapped_column(fk("regions.id"))
    #: the village for rows that name none
    default_village_id: Mapped[int | None] = mapped_column(fk("regions.id"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    #: the file, encrypted (privacy.encrypt_bytes) and kept in the database so a worker on
    #: another machine can read it; emptied once the import is applied
    content: Mapped[bytes] = deferred(mapped_column(sa.LargeBinary))
    size: Mapped[int]
    status: Mapped[ImportStatus] = mapped_column(enum_type(ImportStatus),
                                                 default=ImportStatus.UPLOADED)
    #: counts, likely duplicates and row errors of the dry run (no personal values)
    preview: Mapped[dict | None] = mapped_column(sa.JSON)
    #: household code → "merge" or "keep", the cadre's answer for each likely duplicate
    decisions: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    job_id: Mapped[int | None] = mapped_column(fk("jobs.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None]

    __table_args__ = (sa.CheckConstraint("size >= 0", name="size_not_negative"),)
