"""Idempotency keys: the first response to a caller's keyed POST, replayed for a repeat."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.models.base import Base, fk, utcnow


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(fk("users.id", ondelete="CASCADE"))
    #: the client's Idempotency-Key header
    key: Mapped[str] = mapped_column(sa.String(128))
    #: sha256 of method, path and body: the same key with another request is refused
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    #: null while the first request is still being handled
    status_code: Mapped[int | None]
    body: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    __table_args__ = (sa.UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)
