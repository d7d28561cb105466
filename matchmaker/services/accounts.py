"""Accounts: creating users, checking passwords, issuing and reading bearer tokens."""
from __future__ import annotations

import functools
import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from matchmaker.errors import Duplicate, Invalid
from matchmaker.extensions import db
from matchmaker.models import ApiToken, Region, RegionLevel, Role, User
from matchmaker.models.base import utcnow
from matchmaker.services import audit
from matchmaker.services.regions import region_field

USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,64}$")
#: ASVS 2.1.1-2.1.2: at least 12 characters; long passphrases welcome, never truncated
MIN_PASSWORD, MAX_PASSWORD = 12, 128


def create_user(username: str, password: str, role: str, region_code: str | None = None,
                display_name: str | None = None) -> User:
    """A new account; a cadre is bound to a village or township."""
    problems = _account_problems(username, password, role, region_code)
    if problems:
        raise Invalid(problems)
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise Duplicate(f"用户名 {username} 已存在", {"username": "用户名已存在"})
    user = User(username=username, role=Role(role), display_name=display_name)
    if region_code:
        user.region = _cadre_region(region_code)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", None, user, role=role)
    return user


def _account_problems(username, password, role, region_code) -> dict[str, str]:
    problems = {}
    if not USERNAME.match(username or ""):
        problems["username"] = "用户名须为3到64位字母、数字、下划线、点或连字符"
    if len(password or "") < MIN_PASSWORD:
        problems["password"] = f"密码至少{MIN_PASSWORD}位"
    elif len(password) > MAX_PASSWORD:
        problems["password"] = f"密码最多{MAX_PASSWORD}位"
    if role not in {r.value for r in Role}:
        problems["role"] = "角色须为 organizer、cadre 或 admin"
    elif role == Role.CADRE and not region_code:
        problems["region"] = "村干部须绑定一个村或乡镇(--region 区划代码)"
    return problems


def _cadre_region(code: str) -> Region:
    return region_field(code, "region", (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP),
                        "村干部只能绑定村(社区)或乡镇(街道)")


def authenticate(username: str, password: str) -> User | None:
    """The active user with this password, or None; as slow for unknown names as for known."""
    user = db.session.scalar(select(User).where(User.username == (username or "")))
    if user is None:
        User(password_hash=_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])).check_password(
            password or "")
        return None
    # the hash is checked first, so an inactive account answers as slowly as any other
    if not user.check_password(password or "") or not user.is_active:
        user.failed_logins += 1
        return None
    user.failed_logins, user.last_login_at = 0, utcnow()
    return user


@functools.cache
def _dummy_hash(method: str) -> str:
    """A hash made as real ones are, to check against when the username is unknown, so both
    paths take as long."""
    return generate_password_hash(secrets.token_hex(16), method)


def end_sessions(user: User) -> None:
    """Logout: every session cookie of the user stops working, copies included.

    The session version moves on; the user's bearer tokens are carried over to the new version,
    so a browser logout does not break scripts (a password change ends those too).
    """
    old = user.session_version
    user.session_version = old + 1
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id,
                                              ApiToken.session_version == old)
                       .values(session_version=old + 1))
    audit.record("user.logout", user.id, user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, hours: int) -> tuple[str, ApiToken]:
    """A new bearer token: the caller shows it once; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, token_hash=_token_hash(token),
                      session_version=user.session_version,
                      expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(record)
    db.session.flush()
    return token, record


def user_for_token(token: str) -> User | None:
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if record is None or not record.is_valid(utcnow()):
        return None
    user = record.user
    # a password change (or logout everywhere) bumps the version and ends older tokens too
    if not user.is_active or record.session_version != user.session_version:
        return None
    return user
