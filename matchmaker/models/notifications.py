"""The in-app inbox and the outbox that SMS or WeChat gateway adapters drain."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.models.base import Base, enum_type, fk, utcnow


class Notification(Base):
    """One message in one user's inbox: a claim on their village's need, a proposal, a deadline."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(fk("users.id", ondelete="CASCADE"))
    #: what happened, e.g. "need.claimed", "claim.due_soon", "record.verified"
    kind: Mapped[str] = mapped_column(sa.String(32))
    title: Mapped[str] = mapped_column(sa.String(128))
    body: Mapped[str | None] = mapped_column(sa.Text)
    #: a path inside the site, never an outside address
    link: Mapped[str | None] = mapped_column(sa.String(255))
    object_type: Mapped[str | None] = mapped_column(sa.String(32))
    object_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    __table_args__ = (
        sa.Index("ix_notifications_user_read", "user_id", "read_at"),
        # the same event tells a user once, however often its job runs
        sa.UniqueConstraint("user_id", "kind", "object_type", "object_id"),
    )


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    """A notification waiting for delivery through an outside channel (sms, wechat)."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(fk("notifications.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[OutboxStatus] = mapped_column(enum_type(OutboxStatus),
                                                 default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.String(255))
    #: the gateway's own id for the message, once sent
    provider_id: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    notification: Mapped[Notification] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("notification_id", "channel"),
        sa.Index("ix_outbox_messages_status_created", "status", "created_at"),
    )
