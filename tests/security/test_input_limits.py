"""Issue 18, findings 2, 3, 5, 6 and 16: bad input is a 4xx with a clear message, never a 500.

Every case here was a 500, a stored Infinity, a lock-out bypass or a quadratic request before
matchmaker.limits and the bounded fields of matchmaker.forms. The overflows of ids and money are
PostgreSQL's (SQLite stores any integer), so the module runs on both databases.
"""
from __future__ import annotations

import json
import time

import pytest

from tests.api.market import make_need, make_offer
from tests.api.test_records import DAY, build_world
from tests.conftest import VILLAGE

pytestmark = pytest.mark.both_databases

HUGE = 99999999999999999999999
EXTREMES = (1e400, "1e400", "Infinity", "-Infinity", "NaN", "nan", 1e20, HUGE)


@pytest.fixture
def world(app, bearer, make_household):
    return build_world(bearer, make_household)


def refused(response, status=422) -> dict:
    """The API's error body of a refusal with the status; its fields."""
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    return error.get("fields", {})


def assert_finite_json(response) -> None:
    """A body every standard JSON client can read: no Infinity, no NaN."""
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in {text[:200]}"))


# -- 18.2: strings are strings, and the lock-out keys on the username the login checks ---------

@pytest.fixture
def app_config():
    return {"LOGIN_MAX_FAILURES": 3}


@pytest.mark.parametrize("username", [["org_x"], ["org_x", "0"], {"name": "org_x"}])
def test_a_locked_account_gets_no_token_for_a_username_in_a_list(client, make_user, username):
    make_user("organizer", username="org_x")
    for _ in range(3):
        client.post("/api/v1/auth/token", json={"username": "org_x", "password": "wrong-one-0"})
    assert client.post("/api/v1/auth/token", json={
        "username": "org_x", "password": "correct-horse-9"}).status_code == 429
    response = client.post("/api/v1/auth/token",
                           json={"username": username, "password": "correct-horse-9"})
    assert response.status_code in (422, 429) and "token" not in response.get_json()
    if response.status_code == 422:
        assert "username" in refused(response)


def test_every_text_field_refuses_a_list_or_an_object(client, world):
    for value in (["周末课业辅导", "x"], {"a": 1}):
        response = client.post("/api/v1/offers", headers=world.organizer, json={
            "kind": "service", "category": "tutoring", "title": value, "quantity": 2})
        assert refused(response)["title"] == "须为单个值,不能是列表或对象"


# -- 18.3 and 16: numbers are finite and plausible, money under the ceiling ---------------------

@pytest.mark.parametrize("value", EXTREMES)
def test_offers_needs_and_claims_refuse_extreme_quantities(client, world, bearer, value):
    offer = {"kind": "service", "category": "tutoring", "title": "课业辅导", "quantity": value}
    assert "quantity" in refused(client.post("/api/v1/offers", headers=world.organizer,
                                             json=offer))
    need = {"household_id": world.home.id, "kind": "service", "category": "tutoring",
            "title": "课业辅导", "quantity": value}
    cadre = bearer("cadre", region=VILLAGE)
    assert "quantity" in refused(client.post("/api/v1/needs", headers=cadre, json=need))
    open_need = make_need(world.home, quantity=2)
    assert "quantity" in refused(client.post(f"/api/v1/needs/{open_need.id}/claim",
                                             headers=world.organizer, json={"quantity": value}))


@pytest.mark.parametrize("value", EXTREMES)
def test_purchases_refuse_extreme_quantities_and_amounts(client, world, value):
    body = {"village_code": VILLAGE, "date": DAY.isoformat(), "product": "白萝卜", "unit": "斤",
            "quantity": value, "yuan": value,
            "sellers": [{"household_id": world.home.id, "yuan": value}]}
    problems = refused(client.post("/api/v1/purchases", headers=world.organizer, json=body))
    assert {"quantity", "yuan"} <= problems.keys()


def test_money_is_refused_above_the_configured_ceiling_and_accepted_from_a_fen(client, world,
                                                                                 app):
    ceiling = app.config["MONEY_MAX_YUAN"]
    for amount in (1e15, ceiling + 0.01):
        response = client.post("/api/v1/donations", headers=world.organizer, json={
            "village_code": VILLAGE, "date": DAY.isoformat(), "money_yuan": amount})
        assert "money_yuan" in refused(response)
    response = client.post("/api/v1/donations", headers=world.organizer, json={
        "village_code": VILLAGE, "date": DAY.isoformat(), "money_yuan": 0.01})
    assert response.status_code == 201, response.get_json()


def test_a_pledge_of_one_fen_is_not_refused_as_zero(client, world):
    need = make_need(world.home, kind="funds", category="study", title="学费", amount_yuan=3000)
    make_offer(world.ours.org, kind="funds", category="study", capacity=5000, amount_yuan=5000)
    response = client.post(f"/api/v1/needs/{need.id}/pledge", headers=world.organizer,
                           json={"amount_yuan": 0.01})
    assert "金额须大于0" not in response.get_data(as_text=True)


def test_public_needs_and_impact_stay_valid_json_after_extreme_attempts(client, world, bearer):
    cadre = bearer("cadre", region=VILLAGE)
    for value in ("Infinity", 1e400, "NaN"):
        client.post("/api/v1/needs", headers=cadre, json={
            "household_id": world.home.id, "kind": "goods", "category": "other",
            "title": "棉被", "quantity": value, "amount_yuan": value})
    for path in ("/api/v1/needs", "/api/v1/impact", "/api/v1/impact/breakdown?by=region"):
        assert_finite_json(client.get(path))


# -- 18.5: lists are bounded and processed in linear time --------------------------------------

def test_a_donation_with_too_many_households_is_refused_quickly(client, world):
    started = time.perf_counter()
    response = client.post("/api/v1/donations", headers=world.organizer, json={
        "village_code": VILLAGE, "date": DAY.isoformat(), "money_yuan": 10,
        "household_ids": list(range(1, 100_001))})
    assert "household_ids" in refused(response)
    assert time.perf_counter() - started < 5  # 40 s when the ids were deduplicated in a list


def test_a_donation_with_too_many_goods_lines_is_refused(client, world):
    line = {"item": "棉被", "unit": "床", "quantity": 1}
    response = client.post("/api/v1/donations", headers=world.organizer, json={
        "village_code": VILLAGE, "date": DAY.isoformat(), "goods": [line] * 1001})
    assert refused(response)["goods"] == "最多填写1000项"


def test_megabytes_of_skills_are_refused(client, world):
    headers = world.organizer
    for skills in (["木工" * 40] * 3, ["木工"] * 5000, "木工," * 600_000):
        response = client.post(f"/api/v1/teams/{world.ours.team.id}/volunteers", headers=headers,
                               json={"name": "李木匠", "skills": skills})
        assert "skills" in refused(response), skills[:3]


# -- 18.6: no 500s ----------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", f"organization={HUGE}",
                                   "to=2026-13-45"])
def test_impact_parameters_out_of_range_are_refused(client, query):
    for path in ("/api/v1/impact", "/api/v1/impact/breakdown", "/api/v1/impact.csv",
                 "/api/v1/impact.xlsx"):
        refused(client.get(f"{path}?{query}"))
    home = client.get(f"/?{query}")
    assert home.status_code == 200 and "须" in home.get_data(as_text=True)


def test_huge_page_numbers_are_refused_on_every_list(client, world, bearer, login_as):
    cadre = bearer("cadre", region=VILLAGE)
    for path, headers in (("/api/v1/needs", {}), ("/api/v1/households", cadre),
                          ("/api/v1/offers", world.organizer),
                          ("/api/v1/activities", world.organizer),
                          ("/api/v1/notifications", world.organizer)):
        for query in (f"page={HUGE}", "per_page=99999999999999999999", "page=0"):
            name = query.split("=")[0]
            assert name in refused(client.get(f"{path}?{query}", headers=headers), 400), path
    login_as("cadre", region=VILLAGE)
    assert client.get(f"/cadre/households?page={HUGE}").status_code == 400


def test_ids_beyond_the_id_column_are_404_in_page_routes(client, login_as):
    login_as("admin")
    for path in (f"/cadre/households/{HUGE}", f"/cadre/households/{2**31}/edit",
                 f"/cadre/imports/{HUGE}", f"/api/v1/needs/{HUGE}", f"/api/v1/offers/{HUGE}"):
        assert client.get(path).status_code == 404, path
    client.post("/logout")
    login_as("organizer")
    assert client.get(f"/organizer/volunteers/{HUGE}/certificate").status_code == 404


def test_a_huge_id_is_404_even_where_the_path_has_routes_of_other_methods(client, bearer):
    """werkzeug answers 405 when a converter refuses the value and another method's route has
    the same path: a huge id must still be the view's own 404."""
    headers = bearer("organizer")
    assert client.get(f"/api/v1/activities/{HUGE}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/offers/{HUGE}", headers=headers,
                        json={"title": "x"}).status_code == 404


@pytest.mark.parametrize("field", ["team_id", "offer_id"])
def test_ids_beyond_the_id_column_are_refused_in_json_bodies(client, world, field):
    response = client.post("/api/v1/donations", headers=world.organizer, json={
        "village_code": VILLAGE, "date": DAY.isoformat(), "money_yuan": 10, field: 2**63})
    assert refused(response)[field] == "编号须为正整数" or field in refused(response)


def test_ids_and_openings_beyond_range_are_refused_for_teams_offers_and_needs(client, world,
                                                                                bearer):
    teams = client.post("/api/v1/teams", headers=world.organizer, json={
        "branch_id": 2**63, "name": "队", "categories": ["tutoring"], "region_code": VILLAGE,
        "radius_km": 5})
    assert "branch_id" in refused(teams)
    offers = client.post("/api/v1/offers", headers=world.organizer, json={
        "kind": "job", "category": "factory", "title": "包装工", "openings": 2**63})
    assert "openings" in refused(offers)
    needs = client.post("/api/v1/needs", headers=bearer("cadre", region=VILLAGE), json={
        "household_id": 2**63, "kind": "service", "category": "tutoring", "title": "辅导"})
    assert "household_id" in refused(needs)


def test_deeply_nested_json_and_lone_surrogates_are_a_400(client, world):
    deep = '{"title": ' + "[" * 1000 + "]" * 1000 + "}"
    for body in (deep, '{"a": ' + "{\"a\": " * 100 + "1" + "}" * 100 + "}",
                 '{"title": "\\ud800x", "kind": "service"}', '{"\\udfff": 1}'):
        response = client.post("/api/v1/offers", headers={**world.organizer,
                                                          "Content-Type": "application/json"},
                               data=body)
        refused(response, 400)


def test_a_lone_surrogate_in_a_login_is_a_400(client):
    response = client.post("/api/v1/auth/token", data='{"username": "\\ud800x", "password": "p"}',
                           content_type="application/json")
    refused(response, 400)


def test_the_language_route_takes_only_a_known_language(client):
    assert client.get("/language/en").status_code == 302
    assert client.get("/language/en%0d%0aSet-Cookie:%20x=1").status_code == 404


# -- 16: dates, zero-width titles, the CSV's charset ------------------------------------------

def test_dates_before_the_floor_are_refused_for_records_and_needs(client, world, bearer):
    donation = client.post("/api/v1/donations", headers=world.organizer, json={
        "village_code": VILLAGE, "date": "0001-01-01", "money_yuan": 10})
    assert "date" in refused(donation)
    need = client.post("/api/v1/needs", headers=bearer("cadre", region=VILLAGE), json={
        "household_id": world.home.id, "kind": "service", "category": "tutoring",
        "title": "辅导", "deadline": "0001-01-01"})
    assert "deadline" in refused(need)


def test_a_title_of_only_zero_width_characters_is_no_title(client, world):
    response = client.post("/api/v1/offers", headers=world.organizer, json={
        "kind": "service", "category": "tutoring", "title": "\u200b\u200d\ufeff\u2060",
        "quantity": 2})
    assert "title" in refused(response)


def test_impact_csv_states_its_charset_once(client):
    content_type = client.get("/api/v1/impact.csv").headers["Content-Type"]
    assert content_type.count("charset") == 1 and "utf-8" in content_type
