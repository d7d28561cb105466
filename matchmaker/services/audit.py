"""Writing to the audit log."""
from __future__ import annotations

import logging

from matchmaker.extensions import db
from matchmaker.models import AuditEvent

log = logging.getLogger("matchmaker.audit")


def record(action: str, user_id: int | None = None, obj=None, **details) -> AuditEvent:
    """Log an action on an object; details name fields and ids, never personal values."""
    event = AuditEvent(
        action=action,
        user_id=user_id,
        object_type=getattr(obj, "__tablename__", None),
        object_id=getattr(obj, "id", None),
        details=details,
    )
    db.session.add(event)
    log.info("%s by user %s on %s %s", action, user_id, event.object_type, event.object_id)
    return event
