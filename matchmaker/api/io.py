"""Request helpers for API views."""
from __future__ import annotations

from flask import abort, request
from sqlalchemy import Select, func, select

from matchmaker.errors import DomainError
from matchmaker.extensions import db


class MalformedBody(DomainError):
    code, status = "bad_request", 400


def json_body() -> dict:
    """The request's JSON object; anything else is a 400 with a clear message."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise MalformedBody("请求体须为JSON对象")
    return payload


MAX_PER_PAGE = 200


def _positive_int_arg(name: str, default: int) -> int:
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or int(raw) < 1:
        raise MalformedBody(f"参数 {name} 须为正整数", {name: "须为正整数"})
    return int(raw)


def paginate(query: Select, to_dict) -> dict:
    """API.md's list envelope {items, page, per_page, total}; per_page is at most 200."""
    page = _positive_int_arg("page", 1)
    per_page = min(_positive_int_arg("per_page", 50), MAX_PER_PAGE)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return {"items": [to_dict(row) for row in rows], "page": page, "per_page": per_page,
            "total": total}


def require(condition: bool) -> None:
    """404 for whatever the caller may not see: it is not told the object exists."""
    if not condition:
        abort(404)
