"""API.md's error format for every failure under /api/v1: never an HTML page, never a 500 for bad input.
The body itself is built by matchmaker.http.error_response (imported here for the API's modules)."""
from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from matchmaker import auth
from matchmaker.api import bp
from matchmaker.extensions import csrf
from matchmaker.http import error_response

csrf.exempt(bp)


@bp.before_request
def protect_cookie_sessions():
    """Calls with a valid bearer token need no CSRF token; browser calls riding the session
    cookie do (an invalid or foreign token in the header changes nothing)."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and not auth.authenticated_by_bearer():
        if current_user.is_authenticated:
            csrf.protect()


@bp.errorhandler(CSRFError)
def csrf_error(exc: CSRFError):
    return error_response(400, "缺少或无效的CSRF令牌", "csrf_failed")
