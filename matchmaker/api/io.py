"""Request helpers for API views."""
from __future__ import annotations

from flask import request

from matchmaker.errors import DomainError


class MalformedBody(DomainError):
    code, status = "bad_request", 400


def json_body() -> dict:
    """The request's JSON object; anything else is a 400 with a clear message."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise MalformedBody("请求体须为JSON对象")
    return payload
