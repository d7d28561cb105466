"""Telling users what concerns them: the inbox, and the outbox that gateways drain."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import func, select, update

from matchmaker.extensions import db
from matchmaker.gateways import GatewayError, OutgoingMessage, load_gateways
from matchmaker.models import Notification, OutboxMessage, OutboxStatus
from matchmaker.models.base import utcnow

log = logging.getLogger("matchmaker.notifications")
MAX_ATTEMPTS = 5


def notify(user_ids, kind: str, title: str, body: str | None = None, link: str | None = None,
           obj=None) -> list[Notification]:
    """One inbox entry per user (once per event and object), plus outbox rows per channel."""
    object_type, object_id = getattr(obj, "__tablename__", None), getattr(obj, "id", None)
    created = []
    for user_id in dict.fromkeys(user_ids):
        if _already_told(user_id, kind, object_type, object_id):
            continue
        note = Notification(user_id=user_id, kind=kind, title=title, body=body, link=link,
                            object_type=object_type, object_id=object_id)
        db.session.add(note)
        created.append(note)
    db.session.flush()
    for note in created:
        for channel in current_app.config["NOTIFY_CHANNELS"]:
            db.session.add(OutboxMessage(notification_id=note.id, channel=channel))
    db.session.flush()
    return created


def _already_told(user_id, kind, object_type, object_id) -> bool:
    if object_id is None:
        return False
    return db.session.scalar(select(Notification.id).where(
        Notification.user_id == user_id, Notification.kind == kind,
        Notification.object_type == object_type, Notification.object_id == object_id)) is not None


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def inbox_query(user_id: int, unread_only: bool = False):
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.id.desc())


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, every) unread notification of the user read."""
    query = update(Notification).where(Notification.user_id == user_id,
                                       Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return db.session.execute(query.values(read_at=utcnow())).rowcount


def deliver_outbox(limit: int = 500) -> dict[str, int]:
    """Send pending messages through the configured gateways; each message is taken once."""
    gateways = load_gateways(current_app.config)
    ids = db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)),
        OutboxMessage.attempts < MAX_ATTEMPTS,
        OutboxMessage.channel.in_(list(gateways)),
    ).order_by(OutboxMessage.id).limit(limit)).all()
    counts = {"sent": 0, "failed": 0}
    for message_id in ids:
        if _take(message_id):
            counts["sent" if _send(message_id, gateways) else "failed"] += 1
    return counts


def _take(message_id: int) -> bool:
    taken = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id == message_id,
        OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)),
    ).values(status=OutboxStatus.SENDING, attempts=OutboxMessage.attempts + 1)).rowcount
    db.session.commit()
    return taken == 1


def _send(message_id: int, gateways) -> bool:
    message = db.session.get(OutboxMessage, message_id)
    note = message.notification
    outgoing = OutgoingMessage(key=f"outbox-{message.id}", user_id=note.user_id,
                               title=note.title, body=note.body, link=note.link)
    try:
        message.provider_id = gateways[message.channel].send(outgoing)
    except GatewayError as exc:
        message.status, message.last_error = OutboxStatus.FAILED, str(exc)[:255]
        log.warning("outbox message %s failed on %s: %s", message.id, message.channel, exc)
    else:
        message.status, message.sent_at = OutboxStatus.SENT, utcnow()
    db.session.commit()
    return message.status == OutboxStatus.SENT


def cadres_of(village_id: int) -> list[int]:
    """The cadres who answer for a village: its own and those of the regions above it."""
    from matchmaker.models import Region, Role, User

    village = db.session.get(Region, village_id)
    return list(db.session.scalars(select(User.id).where(
        User.role == Role.CADRE, User.active.is_(True), User.region_id.in_(village.ancestor_ids))))


def organizers_of(organization_id: int) -> list[int]:
    from matchmaker.models import Role, User

    return list(db.session.scalars(select(User.id).where(
        User.role == Role.ORGANIZER, User.active.is_(True),
        User.organization_id == organization_id)))
