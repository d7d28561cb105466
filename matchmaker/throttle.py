"""Login throttling: failed logins counted per account and per client IP, in Redis or in memory.

Flask-Limiter does the counting. Only failures count (deduct_when), so a locked account is
refused even with the right password until its window has passed, while other accounts still
log in. The page and the API share one counter per account and one per IP. With Redis
configured the counters live there (shared by every process); when Redis is unreachable the
limiter falls back to memory and logs, so a Redis outage never turns a login into a 500.
"""
from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from werkzeug.exceptions import HTTPException

from matchmaker.http import error_response, handle_http

log = logging.getLogger("matchmaker.throttle")

#: the endpoints whose POSTs are credential checks, and who answers a locked attempt
LOGIN_ENDPOINTS = {"auth.login": "page", "api.create_token": "api"}
#: the endpoints where a signed-in user types the password again (same account counter)
REAUTH_ENDPOINTS = ("cadre.reveal_id_number",)
ACCOUNT_SCOPE, IP_SCOPE = "login-account", "login-ip"
EXTENSION = "matchmaker.throttle"


def init_app(app: Flask) -> None:
    """Bind a limiter of this app's own to the login endpoints (no I/O: Redis is met lazily)."""
    limiter = Limiter(key_func=_client_ip, storage_uri=_storage_uri(app.config), strategy="moving-window", key_prefix="matchmaker",
                      in_memory_fallback_enabled=True, swallow_errors=True)
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    window = max(1, round(float(app.config["LOGIN_LOCK_MINUTES"]) * 60))
    account = f"{int(app.config['LOGIN_MAX_FAILURES'])} per {window} second"
    per_ip = f"{int(app.config['LOGIN_IP_MAX_FAILURES'])} per {window} second"
    for endpoint, face in LOGIN_ENDPOINTS.items():
        view = app.view_functions[endpoint]
        view = limiter.shared_limit(account, ACCOUNT_SCOPE, key_func=_account_key,
                                    methods=["POST"], deduct_when=_failed,
                                    on_breach=_locked_response(face, "account"))(view)
        view = limiter.shared_limit(per_ip, IP_SCOPE, methods=["POST"], deduct_when=_failed,
                                    on_breach=_locked_response(face, "ip"))(view)
        app.view_functions[endpoint] = view
    for endpoint in REAUTH_ENDPOINTS:  # a wrong password there counts like a failed login
        app.view_functions[endpoint] = limiter.shared_limit(
            account, ACCOUNT_SCOPE, key_func=_signed_in_account_key, methods=["POST"],
            deduct_when=_failed, on_breach=_locked_response("reauth", "account"),
        )(app.view_functions[endpoint])
    app.register_error_handler(RateLimitExceeded, _rate_limited)


def _storage_uri(config) -> str:
    """The limiter's own store if one is set, else the app's Redis, else this process's memory."""
    return config["RATELIMIT_STORAGE_URI"] or config["REDIS_URL"] or "memory://"


def record_failure() -> None:
    """The view saw wrong credentials: this attempt counts against the account and the IP."""
    g.login_failed = True


def forget_failures() -> None:
    """A successful login clears the account's failures (the IP's stay counted)."""
    limiter: Limiter = current_app.extensions[EXTENSION]
    for current in limiter.current_limits:
        if ACCOUNT_SCOPE in current.request_args:
            try:
                limiter.limiter.clear(current.limit, *current.request_args)
            except Exception:  # storage down: the failures simply expire with their window
                log.warning("could not clear the login failures of an account", exc_info=True)


def _failed(response) -> bool:
    return bool(g.get("login_failed"))


def _client_ip() -> str:
    return "ip:" + (request.remote_addr or "unknown")


def _account_key() -> str:
    """The submitted username, as the login form reads it; never raises (a 413 stays the view's).

    Only a text is a username: the form refuses a list or an object (422) before any password
    is checked, so such a request neither guesses nor gets past a lock under another key.
    """
    try:
        if request.is_json:
            payload = request.get_json(silent=True)
            name = payload.get("username") if isinstance(payload, dict) else None
        else:
            name = request.form.get("username")
    except HTTPException:
        name = None
    return "account:" + (name.strip().lower()[:64] if isinstance(name, str) else "")


def _signed_in_account_key() -> str:
    """The signed-in user's account, keyed as its logins are."""
    from flask_login import current_user

    return "account:" + str(getattr(current_user, "username", "")).strip().lower()[:64]


def _locked_response(face: str, kind: str):
    def respond(limit: RequestLimit):
        # reset_at is rounded up to the next whole second: never say more than the window
        seconds = min(limit.limit.get_expiry(), max(1, math.ceil(limit.reset_at - time.time())))
        minutes = max(1, math.ceil(seconds / 60))
        if kind == "account":
            message = _("登录失败次数过多,该账号已暂时锁定,请%(minutes)s分钟后再试",
                        minutes=minutes)
        else:
            message = _("此网络登录失败次数过多,请%(minutes)s分钟后再试", minutes=minutes)
        log.warning("login %s locked for %s s on %s", kind, seconds, request.endpoint)
        faces = {"api": _api_response, "page": _page_response, "reauth": _reauth_response}
        response = faces[face](message)
        response.headers["Retry-After"] = str(seconds)
        return response

    return respond


def _api_response(message: str):
    return error_response(429, message, "rate_limited")


def _page_response(message: str):
    from flask import flash, make_response

    from matchmaker.forms.accounts import LoginForm

    flash(message, "error")
    return make_response(render_template("auth/login.html", form=LoginForm()), 429)


def _reauth_response(message: str):
    from flask import make_response

    return make_response(render_template("errors/error.html", status=429,
                                         title=_("账号已暂时锁定"), message=message), 429)


def _rate_limited(exc: RateLimitExceeded):
    """The response built when the limit was breached; API.md's format as a last resort."""
    if exc.response is not None:
        return exc.response
    return handle_http(exc)
