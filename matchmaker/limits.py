"""Input limits: the plausible range of every number, list, text, date, page and JSON body.

Each limit is written once here and read by the form fields (matchmaker/forms), the query-string
parsers of the pages and the API, the app-wide URL converter and the app's JSON loader, so bad
input is a 4xx with a clear Chinese message and never reaches the database as a 500.
"""
from __future__ import annotations

import re
from datetime import date

from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

from matchmaker.errors import Invalid

#: the largest id a row can have: ids are PostgreSQL integer (int4) columns
MAX_ID = 2**31 - 1
#: quantities (units, households, wishes) and counts (openings, people) a record may carry
MAX_QUANTITY = 100_000_000
MAX_COUNT = 100_000
#: items in one list (ids, goods lines, skills, categories) and characters in one text
MAX_LIST_ITEMS = 1000
MAX_TEXT_CHARS = 10_000
#: the dates a record, need, offer or period may name; a birth date may be older
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
#: the deepest a JSON body nests (the deepest the API documents is 3)
MAX_JSON_DEPTH = 20
#: list pages: the largest page number and page size
MAX_PAGE, MAX_PER_PAGE = 100_000, 200

SURROGATE = re.compile("[\ud800-\udfff]")


class BadJSON(ValueError):
    """A body that parses as JSON but that no client should send; the message is for the user."""


def check_json(value) -> None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and lone surrogates in any key or string."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)) and depth > MAX_JSON_DEPTH:
            raise BadJSON(f"请求体嵌套层数不能超过{MAX_JSON_DEPTH}层")
        if isinstance(item, dict):
            stack += [(key, depth) for key in item] + [(v, depth + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, depth + 1) for v in item]
        elif isinstance(item, str) and SURROGATE.search(item):
            raise BadJSON("请求体含有无效的Unicode字符")


class SafeJSONProvider(DefaultJSONProvider):
    """The app's JSON loader: every request body passes check_json, deep nesting is a ValueError."""

    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
        except RecursionError as exc:
            raise BadJSON(f"请求体嵌套层数不能超过{MAX_JSON_DEPTH}层") from exc
        check_json(value)
        return value


class BadParameter(Invalid):
    """A malformed list parameter (?page=, ?per_page=): a 400, as API.md says."""

    code, status = "bad_request", 400


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route: an id no row can have is a 404, never an overflowing query."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    def to_python(self, value: str) -> int:
        # Refusing the value here would make werkzeug answer 405 where a route of another method
        # has the same path; 0 is an id no row has, so the view answers its own 404.
        number = int(value)
        return number if number <= self.max else 0


def parse_int(raw: str | None, name: str, default: int | None = None, *, low: int = 1,
              high: int = MAX_ID, error: type[Invalid] = Invalid) -> int | None:
    """A whole number from a query string, between low and high; the error names the parameter."""
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 12 or not low <= int(text) <= high:
        raise error({name: f"须为{low}到{high}之间的整数"})
    return int(text)


def parse_page(args) -> tuple[int, int]:
    """?page= and ?per_page= of a list: page 1..MAX_PAGE, per_page 1..MAX_PER_PAGE (default 50)."""
    page = parse_int(args.get("page"), "page", 1, high=MAX_PAGE, error=BadParameter)
    per_page = parse_int(args.get("per_page"), "per_page", 50, high=10**6, error=BadParameter)
    return page, min(per_page, MAX_PER_PAGE)


def date_problem(value: date, earliest: date = EARLIEST_DATE) -> str | None:
    """Why a date is implausible, in Chinese, or None."""
    if not earliest <= value <= LATEST_DATE:
        return f"日期须在{earliest.isoformat()}到{LATEST_DATE.isoformat()}之间"
    return None


def parse_date(raw: str | None, name: str) -> date | None:
    """A YYYY-MM-DD query parameter within the plausible range, or None when absent."""
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise Invalid({name: "日期格式须为 YYYY-MM-DD"}) from exc
    problem = date_problem(value)
    if problem:
        raise Invalid({name: problem})
    return value


def parse_period(args) -> tuple[date | None, date | None]:
    """?from=&to=: both optional, each plausible, the end not before the start."""
    start, end = parse_date(args.get("from"), "from"), parse_date(args.get("to"), "to")
    if start and end and start > end:
        raise Invalid({"to": "截止日期不能早于起始日期"})
    return start, end

