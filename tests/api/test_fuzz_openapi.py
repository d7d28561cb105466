"""Fuzzing the JSON API against its own OpenAPI document: no 5xx, and every answer as documented.

Schemathesis reads /api/v1/openapi.json from the app (in process, over WSGI), generates valid and
invalid requests for every operation from the document (the request bodies come from the WTForms
classes) and checks each answer: never a server error, a documented status code, a documented
content type, and a body that matches the documented schema. Every operation runs anonymously and
with a bearer token of each role over a seeded database, so the ids in the paths exist and the
handlers get past their permission checks.
"""
from __future__ import annotations

import contextvars
import json
import shutil
from datetime import timedelta
from types import SimpleNamespace

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks
from sqlalchemy import select

from matchmaker import create_app
from matchmaker.extensions import db
from matchmaker.models import Region
from matchmaker.services import accounts
from matchmaker.services.registry import households
from tests.api.market import add_volunteers, make_need, make_offer, make_org, make_team
from tests.conftest import BASE_CONFIG, OTHER_VILLAGE, VILLAGE, build_app, valid_id_number

ROLES = ("organizer", "cadre", "admin")
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance]
#: generated cases per operation and role (valid and invalid ones): the whole module, four
#: callers x ~80 operations, has to stay well under 2 minutes on 2 cores
MAX_EXAMPLES = 4
#: an anonymous caller is turned away (401) before most handlers read anything
ANONYMOUS_EXAMPLES = 2
#: the seeded ids are small; half of the generated path ids are folded into 1..SEEDED_IDS
SEEDED_IDS = 6
#: per case; a matching round over the seeded county takes well under a second
DEADLINE = timedelta(seconds=3)
FUZZ_CONFIG = schemathesis.Config.from_dict({
    "seed": 7,  # the same cases on every run: a failure here is a regression, not bad luck
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "generation": {"database": "none"},
})

# The document is generated from the URL map alone, so an app that never touches its database
# serves it for collection; the requests go to the seeded app of each role (the `world` fixture).
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"}),
    config=FUZZ_CONFIG)


@schema.hook
def map_path_parameters(context, path_parameters):
    return {name: value % SEEDED_IDS + 1 if isinstance(value, int) and value % 2 else value
            for name, value in (path_parameters or {}).items()}


@pytest.fixture(scope="module", params=ROLES)
def world(request, sqlite_template, tmp_path_factory):
    """A seeded app and the bearer headers of a user of the role (see `seeded_world`)."""
    yield from seeded_world(request.param, sqlite_template, tmp_path_factory)


@pytest.fixture(scope="module")
def anonymous_world(sqlite_template, tmp_path_factory):
    yield from seeded_world("anonymous", sqlite_template, tmp_path_factory)


def seeded_world(role: str, sqlite_template, tmp_path_factory):
    """The app on a fresh SQLite copy of the migrated schema, seeded, and the role's headers.

    SQLite only (these fixtures never ask for `database_url`, so the conftest does not
    parametrise them): the fuzzer tests the handlers and the document, which are the same on
    either database, and running every case twice would double the time for no new finding; what
    differs between the databases (locks, concurrent claims, constraints) has tests of its own.
    One world per role and module, not per operation, keeps the run within its time budget; the
    cases of one role accumulate in it, as the requests of a real client would.
    """
    folder = tmp_path_factory.mktemp(f"fuzz-{role}")
    shutil.copyfile(sqlite_template, folder / "fuzz.sqlite")
    app = build_app(f"sqlite:///{folder / 'fuzz.sqlite'}", folder / "instance")
    with app.app_context():
        org = seed()
        yield SimpleNamespace(app=app, headers=role_headers(role, org))
        db.session.remove()
        db.engine.dispose()


def seed():
    """Households in two villages, an organization with a team of volunteers, needs and offers."""
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    admin = accounts.create_user("seed-admin", "correct-horse-9", "admin")
    home = households.create_household(household_data(VILLAGE, 1, members=[
        {"name": "刘小燕", "relation": "child", "id_number": valid_id_number("20160909", 301)}]),
        admin)
    away = households.create_household(household_data(OTHER_VILLAGE, 2), admin)
    org = make_org(village, "赣鄱建材有限公司")
    add_volunteers(make_team(org, village), 3)
    for household in (home, away, home):
        make_need(household)
    make_need(home, kind="wish", category="study", title="一个新书包", amount_yuan=120)
    make_offer(org)
    make_offer(org, kind="goods", category="other", title="冬衣", unit="件")
    return org


def household_data(village: str, serial: int, members=()) -> dict:
    return {"village_code": village, "head_name": "赵大山", "status": "poor",
            "id_number": valid_id_number("19600101", serial), "poverty_causes": ["illness"],
            "members": list(members)}


def role_headers(role: str, org) -> dict[str, str]:
    if role == "anonymous":
        return {}
    user = accounts.create_user(f"fuzz-{role}", "correct-horse-9", role,
                                VILLAGE if role == "cadre" else None)
    if role == "organizer":
        user.organization_id = org.id
    token, _ = accounts.issue_token(user, 1)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def call_and_validate(case, world) -> None:
    db.session.commit()  # nothing of the test's own session holds a lock the request needs
    # Each request gets an app context of its own, as in production, not the test's one.
    contextvars.Context().run(case.call_and_validate, app=world.app, headers=world.headers,
                              checks=CHECKS)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=DEADLINE, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_each_role_as_documented(case, world):
    call_and_validate(case, world)


@schema.parametrize()
@settings(max_examples=ANONYMOUS_EXAMPLES, deadline=DEADLINE,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_an_anonymous_caller_as_documented(case, anonymous_world):
    call_and_validate(case, anonymous_world)


# -- hostile inputs (issue 18): every operation, anonymous and with each role ------------------
#
# Hypothesis rarely draws the values an attacker sends on purpose, so each class of them is sent
# to every operation deterministically: a plausible body (from the documented properties) with
# every property of one type replaced by the class's value, hostile path ids and query values,
# and a body nested 1,000 levels. Every answer must be a documented non-5xx with a body that any
# standard JSON client can read (no Infinity or NaN).
#: the raw token 1e400 (Python reads it as inf; a JSON encoder never writes it)
RAW_1E400 = "__raw_1e400__"
SUBSTITUTES = {
    "extreme numbers": {"number": [float("inf"), float("nan"), RAW_1E400, "-Infinity", 1e20]},
    "huge integers": {"integer": [2**63, 10**23, -(2**63)], "number": [10**23]},
    "lists and objects where strings are expected": {"string": [["x", "y"], {"a": "b"}]},
    "lone surrogates": {"string": ["\ud800x", "x\udfff"]},
}
HOSTILE_QUERY = {"page": "99999999999999999999999", "per_page": "1e400",
                 "organization": "99999999999999999999999", "to": "9999-12-31",
                 "from": "0001-01-01", "region": "9" * 40}
DEEP_BODY = "[" * 1000 + "]" * 1000
PLAIN = {"string": "x", "integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}


def body_properties(operation) -> dict:
    bodies = list(operation.body)
    return bodies[0].definition["schema"].get("properties", {}) if bodies else {}


def plain_value(prop: dict):
    if "enum" in prop:
        return prop["enum"][0]
    if prop.get("format") == "date":
        return "2026-06-01"
    return PLAIN.get(prop.get("type"), "x")


def hostile_bodies(operation):
    """One JSON text per hostile value: every property of the value's type set to it."""
    properties = body_properties(operation)
    if not properties:
        return
    plain = {name: plain_value(prop) for name, prop in properties.items()}
    for kinds in SUBSTITUTES.values():
        for kind, values in kinds.items():
            names = [name for name, prop in properties.items() if prop.get("type") == kind]
            for value in values if names else ():
                text = json.dumps({**plain, **dict.fromkeys(names, value)})  # Infinity, NaN
                yield text.replace(f'"{RAW_1E400}"', "1e400")
    yield DEEP_BODY


def hostile_requests(operation):
    """(path, query, body) of one operation: hostile bodies on a seeded id, a huge id, queries."""
    seeded, huge = operation.path, operation.path
    for parameter in operation.path_parameters:
        seeded = seeded.replace("{%s}" % parameter.name, "1")
        huge = huge.replace("{%s}" % parameter.name, str(2**63))
    for body in hostile_bodies(operation):
        yield seeded, {}, body
    if huge != seeded:
        yield huge, {}, None
    query = {q.name: HOSTILE_QUERY.get(q.name, "-1e400") for q in operation.query}
    if query:
        yield seeded, query, None


def assert_no_server_error_nor_infinity(response, what: str) -> None:
    text = response.get_data(as_text=True)
    assert response.status_code < 500, f"{what}: {response.status_code} {text[:300]}"
    for token in ("Infinity", "NaN"):
        assert token not in text, f"{what}: {token} in {text[:300]}"


def send_hostile_inputs(world) -> int:
    """Every documented operation, every hostile request; returns how many were sent."""
    client, sent = world.app.test_client(), 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for path, query, body in hostile_requests(operation):
            db.session.commit()  # nothing of the test's own session holds a lock
            response = contextvars.Context().run(
                client.open, path, method=operation.method.upper(), query_string=query,
                data=body, headers={**world.headers, "Content-Type": "application/json"})
            assert_no_server_error_nor_infinity(
                response, f"{operation.label} {path} {query} {(body or '')[:120]}")
            sent += 1
    return sent


def test_hostile_inputs_get_no_server_error_from_any_role(world):
    assert send_hostile_inputs(world) > 300


def test_hostile_inputs_get_no_server_error_from_an_anonymous_caller(anonymous_world):
    assert send_hostile_inputs(anonymous_world) > 300
