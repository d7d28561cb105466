"""Needs and micro-wishes: rules, minors, lifecycle, and what the public may see."""
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Need
from tests.api.receipts import claimed
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE, valid_id_number

CHILD_ID = valid_id_number("20160909", 301)   # 10 years old on 2026-11-22
ADULT_ID = valid_id_number("19900101", 302)


@pytest.fixture
def family(make_household):
    household = make_household(head_name="刘长根", members=[
        {"name": "刘小燕", "relation": "child", "id_number": CHILD_ID},
        {"name": "王桂兰", "relation": "spouse", "id_number": ADULT_ID}])
    return household


@pytest.fixture
def cadre(bearer):
    return bearer("cadre", region=VILLAGE)


def wish(family, **overrides) -> dict:
    child = family.members[1]
    body = {"household_id": family.id, "member_id": child.id, "kind": "wish",
            "category": "study", "title": "一个新书包", "amount_yuan": 120,
            "guardian_consent": True}
    return {**body, **overrides}


def post(client, headers, body):
    return client.post("/api/v1/needs", json=body, headers=headers)


def test_a_cadre_posts_a_wish_and_it_is_open(client, cadre, family):
    response = post(client, cadre, wish(family))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "open" and body["pseudonym"] == "刘同学"
    assert body["age_band"] == "7-13" and body["household_code"] == family.code


@pytest.mark.parametrize("overrides, field, message", [
    ({"amount_yuan": 800}, "amount_yuan", "不超过500元"),
    ({"amount_yuan": None}, "amount_yuan", "须填写价值"),
    ({"member_id": None}, "member_id", "须指明"),
    ({"category": "luxury"}, "category", "类别须为"),
    ({"guardian_consent": False}, "guardian_consent", "监护人同意"),
    ({"deadline": (date.today() - timedelta(days=1)).isoformat()}, "deadline", "不能早于今天"),
    ({"kind": "party"}, "kind", "不是有效的选择"),
])
def test_unreasonable_wishes_are_refused_with_a_reason(client, cadre, family, overrides, field,
                                                       message):
    response = post(client, cadre, wish(family, **overrides))
    assert response.status_code == 422
    assert message in response.get_json()["error"]["fields"][field]


def test_a_member_may_hold_one_open_wish_at_a_time(client, cadre, family):
    assert post(client, cadre, wish(family)).status_code == 201
    second = post(client, cadre, wish(family, title="一双运动鞋", category="clothing"))
    assert second.status_code == 409 and second.get_json()["error"]["code"] == "duplicate"


def test_county_rules_narrow_categories_raise_the_cap_and_require_review(client, cadre, family,
                                                                        bearer):
    admin = bearer("admin")
    rules = {"wish_categories": ["study"], "one_open_wish_per_member": True,
             "township_review": True, "wish_cap_yuan": 800}
    assert client.put("/api/v1/counties/360302000000/rules", json=rules,
                      headers=admin).get_json()["wish_cap_yuan"] == 800
    assert post(client, cadre, wish(family, category="clothing")).status_code == 422
    created = post(client, cadre, wish(family, amount_yuan=700)).get_json()
    assert created["status"] == "review"
    assert client.get("/api/v1/needs").get_json()["total"] == 0
    village_cadre_try = client.post(f"/api/v1/needs/{created['id']}/approve", headers=cadre)
    assert village_cadre_try.status_code == 403
    township = bearer("cadre", region=TOWNSHIP)
    approved = client.post(f"/api/v1/needs/{created['id']}/approve", headers=township)
    assert approved.get_json()["status"] == "open"
    assert client.get("/api/v1/needs").get_json()["total"] == 1


def test_fulfilling_records_the_receipt_and_cannot_happen_twice(client, cadre, family):
    need = post(client, cadre, wish(family)).get_json()
    claimed(need["id"])
    done = client.post(f"/api/v1/needs/{need['id']}/fulfil", json={"note": "书包已送到,本人签收"},
                       headers=cadre)
    assert done.get_json()["status"] == "fulfilled"
    assert done.get_json()["receipt_note"] == "书包已送到,本人签收"
    again = client.post(f"/api/v1/needs/{need['id']}/fulfil", headers=cadre)
    assert again.status_code == 409 and "已完成" in again.get_json()["error"]["message"]
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "needs")).all()
    assert actions == ["need.create", "need.fulfil"]


def test_a_cadre_of_another_village_can_neither_post_nor_close(client, bearer, cadre, family):
    need = post(client, cadre, wish(family)).get_json()
    neighbour = bearer("cadre", region=OTHER_VILLAGE)
    assert post(client, neighbour, wish(family, member_id=family.members[2].id)).status_code == 404
    assert client.post(f"/api/v1/needs/{need['id']}/cancel", headers=neighbour).status_code == 404


def test_overdue_needs_expire(app, client, cadre, family):
    from matchmaker.services.market import needs

    need = post(client, cadre, wish(family, deadline=date.today().isoformat())).get_json()
    assert needs.expire_overdue(date.today() + timedelta(days=1)) == 1
    db.session.commit()
    assert db.session.get(Need, need["id"]).status == "expired"


def test_the_public_list_carries_no_personal_data(client, cadre, family):
    post(client, cadre, wish(family))
    post(client, cadre, {"household_id": family.id, "kind": "goods", "category": "daily_life",
                         "title": "冬季棉被", "quantity": 2, "unit": "床"})
    body = client.get("/api/v1/needs?region=360302000000").get_json()
    assert body["total"] == 2
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("刘长根", "刘小燕", "王桂兰", CHILD_ID, ADULT_ID, family.code):
        assert secret not in text
    assert {item["village"]["name"] for item in body["items"]} == {"五陂村"}
    assert body["items"][1]["pseudonym"] == "刘同学"


def test_public_filters_by_kind_and_region(client, cadre, family):
    post(client, cadre, wish(family))
    assert client.get("/api/v1/needs?kind=wish").get_json()["total"] == 1
    assert client.get("/api/v1/needs?kind=job").get_json()["total"] == 0
    assert client.get(f"/api/v1/needs?region={OTHER_VILLAGE}").get_json()["total"] == 0
    assert client.get("/api/v1/needs?kind=bogus").status_code == 422


def test_the_cadre_list_includes_needs_under_review(client, cadre, family, bearer):
    client.put("/api/v1/counties/360302000000/rules", headers=bearer("admin"), json={
        "township_review": True, "one_open_wish_per_member": True})
    post(client, cadre, wish(family))
    mine = client.get("/api/v1/needs?mine=1", headers=cadre).get_json()
    assert [item["status"] for item in mine["items"]] == ["review"]
