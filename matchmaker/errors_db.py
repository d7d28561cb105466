"""A database that stays locked past the busy or lock timeout answers 503 with Retry-After, never a 500."""
from __future__ import annotations

from flask import make_response, render_template, request
from sqlalchemy.exc import OperationalError

from matchmaker.extensions import db
from matchmaker.http import error_response, handle_unexpected

RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = "系统繁忙,数据库暂时被占用,请稍后重试"


#: PostgreSQL's lock_not_available (lock_timeout ran out) and deadlock_detected
BUSY_SQLSTATES = {"55P03", "40P01"}


def is_locked(exc: BaseException) -> bool:
    """SQLite's "database is locked" after busy_timeout, or PostgreSQL giving up on a lock."""
    if not isinstance(exc, OperationalError):
        return False
    return "locked" in str(exc).lower() or \
        getattr(exc.orig, "sqlstate", None) in BUSY_SQLSTATES


def handle_operational_error(exc: OperationalError):
    """Register with app.register_error_handler(OperationalError, handle_operational_error)."""
    if not is_locked(exc):
        return handle_unexpected(exc)
    db.session.rollback()
    if request.path.startswith("/api/"):
        response = error_response(503, BUSY_MESSAGE, "database_busy")
    else:
        response = make_response(render_template(
            "errors/error.html", status=503, title="服务暂不可用", message=BUSY_MESSAGE), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
