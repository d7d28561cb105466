"""The receipt (签收) of a need: only of help someone took on, never of an unclaimed need."""
import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Need
from tests.api.receipts import claimed
from tests.conftest import VILLAGE, valid_id_number


@pytest.fixture
def wish(client, bearer, make_household):
    household = make_household(members=[{"name": "刘小燕", "relation": "child",
                                         "id_number": valid_id_number("20160909", 311)}])
    cadre = bearer("cadre", region=VILLAGE)
    posted = client.post("/api/v1/needs", headers=cadre, json={
        "household_id": household.id, "member_id": household.members[1].id, "kind": "wish",
        "category": "study", "title": "一个新书包", "amount_yuan": 120,
        "guardian_consent": True})
    assert posted.status_code == 201, posted.get_json()
    return posted.get_json()["id"], cadre


def test_the_receipt_of_an_unclaimed_wish_is_refused_and_lights_nothing(client, wish):
    need_id, cadre = wish
    refused = client.post(f"/api/v1/needs/{need_id}/fulfil", headers=cadre,
                          json={"note": "已签收"})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "invalid_transition"
    assert "只有已认领或已匹配的需求才能记录签收" in error["message"] and "待认领" in error["message"]
    assert db.session.get(Need, need_id).status == "open"
    assert client.get("/api/v1/impact").get_json()["figures"]["wishes_fulfilled"] == 0
    assert "need.fulfil" not in db.session.scalars(select(AuditEvent.action)).all()


def test_the_receipt_of_a_claimed_wish_lights_it(client, wish):
    need_id, cadre = wish
    claimed(need_id)
    done = client.post(f"/api/v1/needs/{need_id}/fulfil", headers=cadre,
                       json={"note": "书包已送到,本人签收"})
    assert done.status_code == 200 and done.get_json()["status"] == "fulfilled"
    assert client.get("/api/v1/impact").get_json()["figures"]["wishes_fulfilled"] == 1
