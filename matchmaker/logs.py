"""Structured logs: a line per request and, with LOG_FORMAT=json, one JSON object per line.

No line carries personal data: requests are logged by method, route, path, query string (each
value shaped like an ID number or a mobile phone replaced), status, time and account id; every
message and traceback is scrubbed the same way before it is written. Control characters in a
line (a CR/LF decoded from %0d%0a in a path) are written escaped, so no request forges a line.
The development server's own access line (which carries the raw query) is replaced by ours.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
from datetime import datetime, timezone
from urllib.parse import parse_qsl, quote

from flask import Flask, g, request

log = logging.getLogger("matchmaker.requests")

FORMATS = ("text", "json")
#: 18-character ID numbers and 11-digit mobiles, wherever they appear in a line
PERSONAL = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|1[3-9][0-9]{9})(?![0-9])")
REDACTED = "[redacted]"
#: attributes every LogRecord has; anything else was passed through `extra=`
STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


#: C0 and C1 controls, DEL and the Unicode line and paragraph separators
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def redact(text: str) -> str:
    return PERSONAL.sub(REDACTED, text)


def escape_controls(text: str) -> str:
    r"""CR, LF and every other control character written as \xNN (or \uNNNN): one line stays one."""
    return CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                       else f"\\u{ord(m[0]):04x}", text)


def clean(text: str) -> str:
    """A value fit for a log line: personal numbers redacted, control characters escaped."""
    return escape_controls(redact(text))


def scrub_query(query: bytes | str) -> str:
    """The query string with each value shaped like an ID number or phone replaced (decoded
    first, so percent-encoding hides nothing); controls escaped."""
    if isinstance(query, bytes):
        query = query.decode("latin-1")
    pairs = parse_qsl(query, keep_blank_values=True)
    return clean("&".join(f"{quote(key, safe='[]')}={quote(redact(value), safe='[]')}"
                          for key, value in pairs))


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


class TextFormatter(logging.Formatter):
    """A plain line per record: the access line for a request, else the message; both cleaned.

    A traceback keeps its lines, each indented and cleaned, so none can pass for a log line.
    """

    def format(self, record: logging.LogRecord) -> str:
        if record.name == log.name and getattr(record, "method", None):
            line = _access_line(record)
        else:
            line = clean(record.getMessage())
        if record.exc_info:
            trace = redact(self.formatException(record.exc_info)).split("\n")
            line += "".join("\n  " + escape_controls(part) for part in trace)
        return line


def _access_line(record: logging.LogRecord) -> str:
    target = record.path + (f"?{record.query}" if record.query else "")
    return (f'"{record.method} {target}" {record.status} {record.duration_ms}ms '
            f'user={record.user_id or "-"}')


class _JsonHandler(logging.StreamHandler):
    """The handler init_app installs on the root logger (replaced, never stacked, on a rebuild)."""


class _TextHandler(logging.StreamHandler):
    """The text-format handler on the root logger: stderr as it is when a line is written."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def init_app(app: Flask) -> None:
    """Log every request, as one cleaned line (text) or one JSON object (json) on stderr."""
    chosen = str(app.config["LOG_FORMAT"]).lower()
    if chosen not in FORMATS:
        raise ValueError(f"MATCHMAKER_LOG_FORMAT must be one of {', '.join(FORMATS)}")
    app.before_request(_start_clock)
    app.after_request(_log_request)
    if chosen == "json":
        install_json_handler()
    else:
        install_text_handler()


def install_json_handler(stream=None) -> logging.Handler:
    handler = _install(_JsonHandler(stream or sys.stderr), JsonFormatter())
    logging.getLogger().setLevel(logging.INFO)
    return handler


def install_text_handler() -> logging.Handler:
    """Messages of warnings and errors as Python writes them, plus our access lines."""
    handler = _install(_TextHandler(), TextFormatter())
    log.setLevel(logging.INFO)
    return handler


def _install(handler: logging.Handler, formatter: logging.Formatter) -> logging.Handler:
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, (_JsonHandler, _TextHandler))]:
        root.removeHandler(old)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    # our request line replaces the development server's, which carries the raw query string
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    return handler


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    log.info("request", extra={
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "path": clean(request.path),
        "query": scrub_query(request.query_string),
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
        "user_id": _user_id(),
    })
    return response


def _user_id() -> int | None:
    """The account the request ran as, if it was loaded: logging never loads one itself."""
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
