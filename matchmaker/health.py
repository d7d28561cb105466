"""The states behind /healthz: database, Redis and the job queue.

Not a service: it asks the job backend (matchmaker.jobs) how the queue is, which services may
not import; the /healthz view calls it.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.extensions import db
from matchmaker.jobs import backends


def check() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        db.session.rollback()
        database = "down"
    queue = backends.current().describe()
    if not current_app.config.get("REDIS_URL"):
        redis = "not_configured"
    else:
        redis = "ok" if queue["state"] == "ok" else "down"
    ok = database == "ok" and redis != "down"
    return {"status": "ok" if ok else "degraded", "database": database, "redis": redis,
            "queue": queue}
