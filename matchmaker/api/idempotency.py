"""The optional Idempotency-Key header on the API's writes: a caller sending the same request
again with the same key gets the first response back, and nothing is written twice."""
from __future__ import annotations

import hashlib
import logging

from flask import Response, g, request
from flask_login import current_user
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from matchmaker.api import bp
from matchmaker.http import error_response
from matchmaker.extensions import db
from matchmaker.models import IdempotencyKey
from matchmaker.models.base import utcnow
from matchmaker.services.idempotency import KEEP

log = logging.getLogger("matchmaker.api.idempotency")
HEADER = "Idempotency-Key"
WRITES = ("POST", "PUT", "PATCH", "DELETE")
#: fields of an answer that hold a secret (a bearer token, a temporary password): such an
#: answer is never kept for replay, or the secret would lie in clear in idempotency_keys
SECRET_FIELDS = frozenset({"token", "access_token", "refresh_token", "password",
                           "temporary_password"})


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.full_path}\n".encode())
    digest.update(request.get_data(cache=True))  # cached: form parsing still reads it
    return digest.hexdigest()


def _find(key: str) -> IdempotencyKey | None:
    return db.session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.user_id == current_user.id, IdempotencyKey.key == key,
        IdempotencyKey.created_at > utcnow() - KEEP))


@bp.before_request
def replay_or_reserve():
    """The first request with a key reserves it (committed); a repeat is answered from it."""
    key = request.headers.get(HEADER)
    if key is None or request.method not in WRITES or not current_user.is_authenticated:
        return None
    if not 0 < len(key) <= 128:
        return error_response(400, "Idempotency-Key 须为 1 至 128 个字符", "bad_idempotency_key")
    fingerprint, found = _fingerprint(), _find(key)
    if found is None:
        db.session.execute(delete(IdempotencyKey).where(  # an expired key of the caller
            IdempotencyKey.user_id == current_user.id, IdempotencyKey.key == key))
        reserved = IdempotencyKey(user_id=current_user.id, key=key, fingerprint=fingerprint)
        db.session.add(reserved)
        try:
            db.session.commit()
        except IntegrityError:  # the same key arrived twice at once: the other one has it
            db.session.rollback()
            found = _find(key)
        else:
            g.idempotency_key_id = reserved.id
            return None
    return _replay(found, fingerprint)


def _replay(found: IdempotencyKey | None, fingerprint: str):
    if found is not None and found.fingerprint != fingerprint:
        return error_response(422, "该 Idempotency-Key 已用于另一个请求", "idempotency_key_reused")
    if found is None or found.status_code is None:
        return error_response(409, "同一请求正在处理,请稍后查看结果", "request_in_progress")
    response = Response(found.body, status=found.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _carries_secret(response: Response) -> bool:
    """Does the answer hold a secret? Then a repeat gets a new answer, never this one again."""
    body = response.get_json(silent=True) if response.is_json else None
    return isinstance(body, dict) and not SECRET_FIELDS.isdisjoint(body)


@bp.after_request
def remember(response: Response) -> Response:
    """Keep the response for repeats; a 5xx, 429 or 503 frees the key to try again, and an
    answer carrying a secret frees it too (the secret is never stored)."""
    key_id = g.pop("idempotency_key_id", None)
    if key_id is None:
        return response
    db.session.rollback()  # what the view left uncommitted is not part of its answer
    row = IdempotencyKey.id == key_id
    if response.status_code >= 500 or response.status_code == 429 or _carries_secret(response):
        statement = delete(IdempotencyKey).where(row)
    else:
        statement = update(IdempotencyKey).where(row).values(
            status_code=response.status_code, body=response.get_data(as_text=True))
    try:
        db.session.execute(statement)
        db.session.commit()
    except OperationalError as exc:  # the answer stands; a repeat is told it is in progress
        db.session.rollback()
        log.warning("idempotency key %s not stored: %s", key_id, exc)
    return response
