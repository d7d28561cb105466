"""Request helpers for API views."""
from __future__ import annotations

from flask import abort, current_app, request
from sqlalchemy import Select, func, select

from matchmaker import limits
from matchmaker.errors import DomainError
from matchmaker.extensions import db


class MalformedBody(DomainError):
    code, status = "bad_request", 400


def json_body() -> dict:
    """The request's JSON object, through the app's checked loader; anything else is a 400."""
    try:
        payload = current_app.json.loads(request.get_data(cache=True)) if request.is_json else None
    except limits.BadJSON as exc:
        raise MalformedBody(str(exc)) from exc
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise MalformedBody("请求体须为JSON对象")
    return payload


def paginate(query: Select, to_dict) -> dict:
    """API.md's list envelope {items, page, per_page, total}; limits.parse_page bounds both."""
    page, per_page = limits.parse_page(request.args)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return {"items": [to_dict(row) for row in rows], "page": page, "per_page": per_page,
            "total": total}


def require(condition: bool) -> None:
    """404 for whatever the caller may not see: it is not told the object exists."""
    if not condition:
        abort(404)
