"""Who is asking: session users, bearer tokens, the role decorator and the page language."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, current_user

from matchmaker.extensions import db
from matchmaker.models import Role, User
from matchmaker.services import accounts


def init_login(app: Flask, login: LoginManager) -> None:
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = "请先登录"
    login.blueprint_login_views = {"api": None}  # the API answers 401, never a redirect
    login.session_protection = "basic"
    login.user_loader(load_session_user)
    login.request_loader(load_bearer_user)
    app.session_interface = SessionCookie()


#: hosts a browser on the same machine uses: `scripts/run`, the browser tests
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class SessionCookie(SecureCookieSessionInterface):
    """The signed session cookie, HttpOnly and SameSite=Lax, and Secure as SECURE_COOKIES says.

    "auto" (the default) marks it Secure on every request except plain HTTP straight to this
    machine (127.0.0.1 or localhost, no proxy in front): a deployment behind HTTPS, or reached
    by any other name, is safe without configuration, and the local demo still logs in.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = app.config["SECURE_COOKIES"]
        if setting != "auto":
            return bool(setting) or app.config["SESSION_COOKIE_SECURE"]
        return app.config["SESSION_COOKIE_SECURE"] or not _plain_local_request()


def _plain_local_request() -> bool:
    proxied = any(name in request.headers for name in ("Forwarded", "X-Forwarded-Proto",
                                                       "X-Forwarded-For", "X-Forwarded-Host"))
    try:
        host = urlsplit("//" + request.host).hostname
    except ValueError:  # a malformed Host header is not this machine
        return False
    return not request.is_secure and not proxied and host in LOOPBACK


def load_session_user(user_id: str) -> User | None:
    """Sessions carry "id:session_version": a password change or logout-everywhere ends them."""
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_version != int(version):
        return None
    return user


def load_bearer_user(req) -> User | None:
    """The user of a valid `Authorization: Bearer` token (looked up once per request)."""
    if "bearer_user" not in g:
        header = req.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        valid = scheme.lower() == "bearer" and token.strip()
        g.bearer_user = accounts.user_for_token(token.strip()) if valid else None
    return g.bearer_user


def authenticated_by_bearer() -> bool:
    """True when the caller is the user of a valid bearer token: such a call needs no CSRF
    token. A session cookie with a missing, unknown or expired token (or another user's) is a
    browser call and needs one: a header alone never lifts the check."""
    user = load_bearer_user(request)
    return user is not None and current_user.is_authenticated and current_user.id == user.id


def roles_required(*roles: Role):
    """Let the view run only for a logged-in user holding one of the roles (401 or 403 else).

    The one declaration of a route's roles: the wrapper keeps them as `__roles__`, which the
    API's OpenAPI generator reads, so the documented roles are the enforced ones."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.__roles__ = tuple(roles)
        return wrapped

    return decorate


def select_locale() -> str:
    """Chinese unless the visitor chose English with ?lang=en (kept in the session)."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
    return session.get("lang") or current_app.config["BABEL_DEFAULT_LOCALE"]
