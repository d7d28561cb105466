"""Structured logs: a line per request and, with LOG_FORMAT=json, one JSON object per line.

No line carries personal data: requests are logged by method, route, path without the query string,
status, time and account id; every message and traceback is scrubbed of anything shaped like an
ID number or a mobile phone number before it is written.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
from datetime import datetime, timezone

from flask import Flask, g, request

log = logging.getLogger("matchmaker.requests")

FORMATS = ("text", "json")
#: 18-character ID numbers and 11-digit mobiles, wherever they appear in a line
PERSONAL = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])")
REDACTED = "[redacted]"
#: attributes every LogRecord has; anything else was passed through `extra=`
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def redact(text: str) -> str:
    return PERSONAL.sub(REDACTED, text)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and the `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(
                timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in STANDARD and not key.startswith("_"):
                entry[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exc_type"] = record.exc_info[0].__name__
            entry["exc"] = redact("".join(traceback.format_exception(*record.exc_info)))
        return json.dumps(entry, ensure_ascii=False, default=str)


class _JsonHandler(logging.StreamHandler):
    """The handler init_app installs on the root logger (replaced, never stacked, on a rebuild)."""


def init_app(app: Flask) -> None:
    """Log every request; with LOG_FORMAT=json, send every logger's lines out as JSON."""
    chosen = str(app.config.get("LOG_FORMAT") or "text").lower()
    if chosen not in FORMATS:
        raise ValueError(f"MATCHMAKER_LOG_FORMAT must be one of {', '.join(FORMATS)}")
    app.before_request(_start_clock)
    app.after_request(_log_request)
    if chosen == "json":
        install_json_handler()


def install_json_handler(stream=None) -> logging.Handler:
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _JsonHandler)]:
        root.removeHandler(handler)
    handler = _JsonHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # our request line replaces the development server's, which carries the query string
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return handler


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    log.info("request", extra={
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user_id": _user_id(),
    })
    return response


def _user_id() -> int | None:
    """The account the request ran as, if it was loaded: logging never loads one itself."""
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
