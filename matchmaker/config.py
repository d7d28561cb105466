"""Configuration defaults, read from the environment when the app factory runs."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

#: Environment variable → config key. Nothing else in the package reads os.environ.
ENVIRONMENT = {
    "MATCHMAKER_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "MATCHMAKER_REDIS_URL": "REDIS_URL",
    "MATCHMAKER_SECRET_KEY": "SECRET_KEY",
    "MATCHMAKER_DATA_KEY": "DATA_KEY",
    "MATCHMAKER_GEOCODER": "GEOCODER",
    "MATCHMAKER_TOKEN_HOURS": "TOKEN_HOURS",
    "MATCHMAKER_WISH_CAP_YUAN": "WISH_CAP_YUAN",
    "MATCHMAKER_MONEY_MAX_YUAN": "MONEY_MAX_YUAN",
    "MATCHMAKER_LANGUAGE": "BABEL_DEFAULT_LOCALE",
    "MATCHMAKER_LOG_FORMAT": "LOG_FORMAT",
    "MATCHMAKER_CLAIM_DAYS": "CLAIM_DAYS",
    "MATCHMAKER_TEAM_OPEN_CLAIMS": "TEAM_OPEN_CLAIMS",
    "MATCHMAKER_ORG_OPEN_CLAIMS": "ORG_OPEN_CLAIMS",
    "MATCHMAKER_TAKEOVER_ANSWER_DAYS": "TAKEOVER_ANSWER_DAYS",
    "MATCHMAKER_MATCH_PROPOSAL_DAYS": "MATCH_PROPOSAL_DAYS",
    "MATCHMAKER_MATCH_FAIRNESS_MONTHS": "MATCH_FAIRNESS_MONTHS",
    "MATCHMAKER_MATCH_DEFAULT_RADIUS_KM": "MATCH_DEFAULT_RADIUS_KM",
    "MATCHMAKER_MATCH_WEIGHTS": "MATCH_WEIGHTS",
    "MATCHMAKER_RECORD_LATE_DAYS": "RECORD_LATE_DAYS",
    "MATCHMAKER_JOB_STALE_MINUTES": "JOB_STALE_MINUTES",
    "MATCHMAKER_JOB_HEARTBEAT_SECONDS": "JOB_HEARTBEAT_SECONDS",
    "MATCHMAKER_JOB_MAX_ATTEMPTS": "JOB_MAX_ATTEMPTS",
    "MATCHMAKER_SECURE_COOKIES": "SECURE_COOKIES",
    "MATCHMAKER_LOGIN_MAX_FAILURES": "LOGIN_MAX_FAILURES",
    "MATCHMAKER_LOGIN_IP_MAX_FAILURES": "LOGIN_IP_MAX_FAILURES",
    "MATCHMAKER_LOGIN_LOCK_MINUTES": "LOGIN_LOCK_MINUTES",
    "MATCHMAKER_BASE_URL": "BASE_URL",
}

INTEGER_KEYS = {"TOKEN_HOURS", "WISH_CAP_YUAN", "CLAIM_DAYS", "TEAM_OPEN_CLAIMS",
                "TAKEOVER_ANSWER_DAYS", "MATCH_PROPOSAL_DAYS", "MATCH_FAIRNESS_MONTHS", "RECORD_LATE_DAYS"}
INTEGER_KEYS |= {"JOB_STALE_MINUTES", "JOB_HEARTBEAT_SECONDS", "JOB_MAX_ATTEMPTS"}
INTEGER_KEYS |= {"LOGIN_MAX_FAILURES", "LOGIN_IP_MAX_FAILURES"}
INTEGER_KEYS |= {"MONEY_MAX_YUAN"}
INTEGER_KEYS |= {"ORG_OPEN_CLAIMS"}
FLOAT_KEYS = {"MATCH_DEFAULT_RADIUS_KM", "LOGIN_LOCK_MINUTES"}
#: MATCHMAKER_SECURE_COOKIES: "auto" (Secure unless plain HTTP to this machine), "true", "false"
SECURE_COOKIE_CHOICES = {"auto": "auto", "true": True, "1": True, "yes": True,
                         "false": False, "0": False, "no": False}
JSON_KEYS = {"MATCH_WEIGHTS"}

#: the most 元 one amount may state (a donation, a need, an offer, a wage); forms validated
#: outside an app (scripts, tests of the forms alone) use it too
MONEY_MAX_YUAN = 100_000_000
#: how long a statement waits for another connection's lock before the request answers 503
#: (connections opened outside an app use it too)
DATABASE_LOCK_WAIT_MS = 10_000

#: the matching settings (part of defaults()); the pure engine falls back to them when it is
#: called without the app's configuration (tests, benchmarks)
MATCHING = {
    "MATCH_PROPOSAL_DAYS": 14,  # a proposal expires unanswered after this many days
    "MATCH_FAIRNESS_MONTHS": 6,  # help received within this window lowers a household's score
    "MATCH_RUN_STALE_MINUTES": 60,  # a round still busy after this no longer blocks a new one
    "MATCH_DEFAULT_RADIUS_KM": 50.0,  # the reach of an offer that states no radius
    "MATCH_MAX_OFFERS_PER_NEED": 8,  # candidate offers kept per need before the assignment
    "MATCH_EXACT_MAX_ARCS": 2000,  # components up to this many pairs are solved exactly
}


def defaults(instance_path: str) -> dict:
    """Safe defaults: SQLite in the instance folder, no Redis, Chinese pages."""
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(Path(instance_path) / "matchmaker.sqlite"),
        "REDIS_URL": None,
        "GEOCODER": "offline",
        #: "text" leaves logging as Python sets it up; "json" writes one JSON object a line
        "LOG_FORMAT": "text",
        "TOKEN_HOURS": 24 * 7,
        "WISH_CAP_YUAN": 500,
        "MONEY_MAX_YUAN": MONEY_MAX_YUAN,
        "DATABASE_LOCK_WAIT_MS": DATABASE_LOCK_WAIT_MS,
        "BABEL_DEFAULT_LOCALE": "zh",
        "LANGUAGES": ("zh", "en"),
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SECURE_COOKIES": "auto",
        #: failed logins allowed per account, and per client IP, in LOGIN_LOCK_MINUTES
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_IP_MAX_FAILURES": 50,
        "LOGIN_LOCK_MINUTES": 15,
        #: the login limiter's store; unset, it shares REDIS_URL (or memory without Redis)
        "RATELIMIT_STORAGE_URI": None,
        #: short timeouts, so a Redis outage falls back to memory quickly
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        "WTF_CSRF_TIME_LIMIT": None,
        #: days a claim has to be delivered and recorded before it is released
        "CLAIM_DAYS": 30,
        #: active claims one volunteer team, and one organization (all its teams and claims
        #: without a team), may hold at once
        "TEAM_OPEN_CLAIMS": 10,
        "ORG_OPEN_CLAIMS": 30,
        #: days a holder has to answer a takeover request before it is granted
        "TAKEOVER_ANSWER_DAYS": 7,
        #: a record entered more than this many days after the event is flagged 补录
        "RECORD_LATE_DAYS": 30,
        "JOB_STALE_MINUTES": 15,
        #: a worker beats for its running job this often; three missed beats = abandoned
        "JOB_HEARTBEAT_SECONDS": 30,
        #: times a job may be taken (killed workers included) before it is recorded failed
        "JOB_MAX_ATTEMPTS": 3,
        **MATCHING,
        "RQ_QUEUES": ("default", "matching", "imports", "reports"),
        #: outside channels notifications also go to, and their adapters {"sms": "pkg.mod:Class"}
        "NOTIFY_CHANNELS": (),
        "GATEWAYS": {},
        #: where the site is reached: links in documents (the certificate's check link) start
        #: here, never with the Host header of the request
        "BASE_URL": "http://127.0.0.1:5000",
        #: werkzeug's method for new password hashes; the tests set a cheap one, never production
        "PASSWORD_HASH_METHOD": "scrypt",
    }


def from_environment(environ: dict[str, str] | None = None) -> dict:
    """The settings given through MATCHMAKER_* variables, converted to their types."""
    environ = os.environ if environ is None else environ
    found = {}
    for variable, key in ENVIRONMENT.items():
        value = environ.get(variable)
        if value:
            found[key] = _typed(key, value)
    return found


def _typed(key: str, value: str):
    if key in INTEGER_KEYS:
        return int(value)
    if key in FLOAT_KEYS:
        return float(value)
    if key == "SECURE_COOKIES":
        if value.lower() not in SECURE_COOKIE_CHOICES:
            raise ValueError("MATCHMAKER_SECURE_COOKIES must be auto, true or false")
        return SECURE_COOKIE_CHOICES[value.lower()]
    return json.loads(value) if key in JSON_KEYS else value


def stored_secret(instance_path: str, name: str) -> str:
    """A random secret generated once and kept in the instance folder (mode 0600)."""
    path = Path(instance_path) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()
