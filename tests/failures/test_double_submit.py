"""The same request sent twice: no duplicate records. A household or a claim repeated is a
409; any write repeated with the same Idempotency-Key gets the first response and writes
nothing; the page forms carry no guard of their own (see the last test)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from matchmaker import jobs
from matchmaker.extensions import db
from matchmaker.models import Activity, Claim, Donation, Household, IdempotencyKey, Need
from matchmaker.models.base import utcnow
from tests.api.market import hold_need, make_need
from tests.api.test_records import DAY, make_org_team, organizer_of
from tests.conftest import VILLAGE, valid_id_number
from tests.failures.test_database_busy import HeldLock


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def world(app, bearer, make_household):
    from types import SimpleNamespace

    from matchmaker.services.regions import region_by_code

    ours = make_org_team("赣鄱建材有限公司", region_by_code(VILLAGE), volunteers=1)
    return SimpleNamespace(home=make_household(), ours=ours, cadre=bearer("cadre"),
                           organizer=organizer_of(bearer, ours.org))


def twice(client, path: str, body: dict, headers: dict, key: str | None = "k-1"):
    headers = {**headers, **({"Idempotency-Key": key} if key else {})}
    return client.post(path, json=body, headers=headers), client.post(path, json=body,
                                                                       headers=headers)


def need_body(world) -> dict:
    return {"household_id": world.home.id, "kind": "service", "category": "tutoring",
            "title": "周末课业辅导"}


def activity_body(world) -> dict:
    return {"team_id": world.ours.team.id, "date": DAY.isoformat(), "title": "周末课业辅导",
            "category": "tutoring", "village_code": VILLAGE,
            "hours": [{"volunteer_id": world.ours.volunteers[0].id, "hours": 3}]}


def donation_body(world) -> dict:
    return {"village_code": VILLAGE, "date": DAY.isoformat(), "money_yuan": 2000,
            "household_ids": [world.home.id]}


def household_body() -> dict:
    return {"village_code": VILLAGE, "head_name": "张建国", "status": "poor",
            "id_number": valid_id_number("19700101", 501), "poverty_causes": ["illness"],
            "members": [{"name": "张建国", "relation": "self"}]}


WRITES = {"need": ("/api/v1/needs", need_body, "cadre", Need),
          "activity": ("/api/v1/activities", activity_body, "organizer", Activity),
          "donation": ("/api/v1/donations", donation_body, "organizer", Donation),
          "household": ("/api/v1/households", lambda world: household_body(), "cadre", Household)}


def test_writes_repeated_with_their_idempotency_key_return_the_first_answer(client, world):
    hold_need(world.ours.org.id, world.home, "goods")  # a donation goes through a held need
    for number, (path, body, who, model) in enumerate(WRITES.values()):
        before = count(model)
        first, second = twice(client, path, body(world), getattr(world, who), key=f"k-{number}")
        assert first.status_code == 201, (path, first.get_json())
        assert (second.status_code, second.get_json()) == (201, first.get_json()), path
        assert second.headers["Idempotent-Replayed"] == "true"
        assert count(model) == before + 1, path
    need = make_need(world.home)
    first, second = twice(client, f"/api/v1/needs/{need.id}/claim", {}, world.organizer,
                          key="k-claim")  # k-1 was this organizer's key for the activity
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.get_json() == first.get_json()
    assert db.session.scalar(select(func.count()).where(Claim.need_id == need.id)) == 1


def test_without_a_key_a_need_repeats_a_household_or_claim_gets_409(client, world):
    """What the key is for: the API cannot tell a double-click from a second, equal need."""
    first, second = twice(client, "/api/v1/needs", need_body(world), world.cadre, key=None)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.get_json()["id"] != second.get_json()["id"] and count(Need) == 2
    before = count(Household)
    first, second = twice(client, "/api/v1/households", household_body(), world.cadre, key=None)
    assert (first.status_code, second.status_code) == (201, 409)
    assert count(Household) == before + 1
    need = make_need(world.home)
    first, second = twice(client, f"/api/v1/needs/{need.id}/claim", {}, world.organizer, key=None)
    assert (first.status_code, second.status_code) == (200, 409)
    assert second.get_json()["error"]["code"] == "already_claimed" and count(Claim) == 1


def test_a_key_is_refused_for_another_request_and_is_its_callers_own(client, world, bearer):
    headers = {**world.cadre, "Idempotency-Key": "k-2"}
    assert client.post("/api/v1/needs", json=need_body(world), headers=headers).status_code == 201
    other = client.post("/api/v1/needs", json={**need_body(world), "title": "旧房修缮"},
                        headers=headers)
    assert other.status_code == 422
    assert other.get_json()["error"]["code"] == "idempotency_key_reused" and count(Need) == 1
    someone_else = client.post("/api/v1/needs", json=need_body(world),
                               headers={**bearer("cadre"), "Idempotency-Key": "k-2"})
    assert someone_else.status_code == 201 and "Idempotent-Replayed" not in someone_else.headers
    assert count(Need) == 2
    db.session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(days=2)))
    assert jobs.enqueue("forget_idempotency_keys").result == {"forgotten": 2}
    later = client.post("/api/v1/needs", json={**need_body(world), "title": "旧房修缮"},
                        headers=headers)
    assert later.status_code == 201 and count(Need) == 3  # a day on, the key is free again


def test_a_refused_write_is_replayed_as_refused(client, world):
    body = {**need_body(world), "kind": "rocket"}
    first, second = twice(client, "/api/v1/needs", body, world.cadre)
    assert (first.status_code, second.status_code) == (422, 422)
    assert second.get_json() == first.get_json() and count(Need) == 0


def test_a_key_whose_request_met_a_busy_database_may_be_tried_again(client, world, app,
                                                                     database_url):
    app.config["DATABASE_LOCK_WAIT_MS"] = 300
    db.engine.dispose()  # new connections take the short lock wait
    headers = {**world.cadre, "Idempotency-Key": "k-4"}
    with HeldLock(database_url):
        busy = client.post("/api/v1/needs", json=need_body(world), headers=headers)
    assert busy.status_code == 503 and count(IdempotencyKey) == 0
    again = client.post("/api/v1/needs", json=need_body(world), headers=headers)
    assert again.status_code == 201 and count(Need) == 1


def test_a_need_form_posted_twice_makes_two_needs(client, login_as, world):
    """The pages have no double-click guard (no one-time form token, no script disabling the
    button): they rely on post-redirect-get. Two posts of the form are two needs; a client
    that must not duplicate uses the API with an Idempotency-Key."""
    login_as("cadre")
    url = f"/cadre/households/{world.home.id}/needs/new"
    for _ in range(2):
        assert client.post(url, data=need_body(world)).status_code == 302
    assert count(Need) == 2
