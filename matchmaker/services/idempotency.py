"""How long the API's Idempotency-Key replies are kept, and forgetting the older ones.

The API's header handling (api/idempotency.py) and the periodic job both read KEEP here, so a
job never reaches into the API package.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from matchmaker.extensions import db
from matchmaker.models import IdempotencyKey
from matchmaker.models.base import utcnow

#: keys are kept this long; an older one may be used again
KEEP = timedelta(days=1)


def forget_old_keys() -> int:
    """Drop the keys past KEEP; returns how many. The caller commits."""
    return db.session.execute(delete(IdempotencyKey).where(
        IdempotencyKey.created_at <= utcnow() - KEEP)).rowcount
