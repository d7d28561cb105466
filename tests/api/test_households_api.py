"""The household registry API: validation, masking, scoping, audit."""
import json

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Household
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE, valid_id_number

HEAD_ID = valid_id_number("19680512", 11)
CHILD_ID = valid_id_number("20120315", 22)
PHONE = "13812345678"


def household(**overrides) -> dict:
    body = {"village_code": VILLAGE, "head_name": "张建国", "id_number": HEAD_ID,
            "phone": PHONE, "address": "五陂村3组", "status": "poor",
            "poverty_causes": ["illness", "lack_capital"],
            "members": [{"name": "张建国", "relation": "self", "labour_capacity": "weak"},
                        {"name": "张小雨", "id_number": CHILD_ID, "relation": "child",
                         "is_student": True, "school_stage": "junior"}]}
    return {**body, **overrides}


@pytest.fixture
def cadre(bearer):
    return bearer("cadre", region=VILLAGE)


def test_cadre_registers_a_household_with_its_members(client, cadre):
    response = client.post("/api/v1/households", json=household(), headers=cadre)
    assert response.status_code == 201
    body = response.get_json()
    assert body["code"] == f"{VILLAGE}-0001"
    assert body["id_number_masked"] == HEAD_ID[:6] + "********" + HEAD_ID[-4:]
    assert body["phone_masked"] == "138****5678"
    assert [m["name"] for m in body["members"]] == ["张建国", "张小雨"]
    assert body["members"][1]["age"] == 14 and body["members"][1]["gender"] == "female"
    stored = db.session.get(Household, body["id"])
    assert HEAD_ID not in stored.id_number_encrypted and stored.members[0].relation == "self"


def test_head_missing_from_members_is_added_first(client, cadre):
    body = household(members=[{"name": "张小雨", "id_number": CHILD_ID, "relation": "child"}])
    members = client.post("/api/v1/households", json=body, headers=cadre).get_json()["members"]
    assert [(m["name"], m["relation"]) for m in members] == [("张建国", "self"), ("张小雨", "child")]


def test_second_household_with_the_same_id_number_gets_409(client, cadre):
    client.post("/api/v1/households", json=household(), headers=cadre)
    again = household(members=[], head_name="张建国", code="X-2")
    response = client.post("/api/v1/households", json=again, headers=cadre)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "duplicate"


def test_a_member_registered_in_another_household_gets_409(client, cadre):
    client.post("/api/v1/households", json=household(), headers=cadre)
    other = household(id_number=valid_id_number("19700101", 33), members=[
        {"name": "张小雨", "id_number": CHILD_ID, "relation": "child"}])
    assert client.post("/api/v1/households", json=other, headers=cadre).status_code == 409


@pytest.mark.parametrize("overrides, field, message", [
    ({"id_number": HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")}, "id_number", "校验码"),
    ({"id_number": "360302196813120013"}, "id_number", "出生日期"),
    ({"phone": "12345"}, "phone", "手机号码"),
    ({"head_name": "  "}, "head_name", "请填写户主姓名"),
    ({"status": "rich"}, "status", "不是有效的选择"),
    ({"poverty_causes": ["illness", "bad_luck"]}, "poverty_causes", "bad_luck"),
    ({"village_code": TOWNSHIP}, "village_code", "找不到该村"),
    ({"members": [{"name": "李", "relation": "cousin"}]}, "members[0].relation", "不是有效的选择"),
    ({"members": [{"name": "李", "relation": "child", "id_number": CHILD_ID,
                   "birth_date": "2012-03-16"}]}, "members[0].birth_date", "不一致"),
])
def test_invalid_fields_are_422_with_a_chinese_message(client, cadre, overrides, field, message):
    response = client.post("/api/v1/households", json=household(**overrides), headers=cadre)
    assert response.status_code == 422
    assert message in response.get_json()["error"]["fields"][field]


def test_full_width_digits_and_spaces_are_normalised_and_traditional_names_kept(client, cadre):
    wide = "".join(chr(ord(c) + 0xFEE0) for c in HEAD_ID)
    body = household(id_number=f" {wide} ", head_name=" 張建國 ", members=[])
    created = client.post("/api/v1/households", json=body, headers=cadre).get_json()
    assert created["head_name"] == "張建國"
    assert created["id_number_masked"].endswith(HEAD_ID[-4:])


def test_lists_show_no_id_digits_and_no_phone(client, cadre):
    client.post("/api/v1/households", json=household(), headers=cadre)
    body = client.get("/api/v1/households", headers=cadre).get_json()
    assert body["total"] == 1
    text = json.dumps(body, ensure_ascii=False)
    assert HEAD_ID[-4:] not in text and "5678" not in text and "masked" not in text


def test_township_cadre_sees_its_villages_and_village_cadre_of_another_gets_404(client, bearer,
                                                                               cadre):
    created = client.post("/api/v1/households", json=household(), headers=cadre).get_json()
    township = bearer("cadre", region=TOWNSHIP)
    assert client.get(f"/api/v1/households/{created['id']}", headers=township).status_code == 200
    assert client.get("/api/v1/households", headers=township).get_json()["total"] == 1
    neighbour = bearer("cadre", region=OTHER_VILLAGE)
    assert client.get(f"/api/v1/households/{created['id']}", headers=neighbour).status_code == 404
    assert client.get("/api/v1/households", headers=neighbour).get_json()["total"] == 0


def test_cadre_cannot_register_in_another_village(client, bearer):
    neighbour = bearer("cadre", region=OTHER_VILLAGE)
    response = client.post("/api/v1/households", json=household(), headers=neighbour)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["village_code"] == "该村不在您的管辖范围"


def test_organizers_and_the_public_never_see_households(client, cadre, bearer):
    created = client.post("/api/v1/households", json=household(), headers=cadre).get_json()
    organizer = bearer("organizer")
    assert client.get("/api/v1/households", headers=organizer).status_code == 403
    assert client.get(f"/api/v1/households/{created['id']}", headers=organizer).status_code == 403
    assert client.get(f"/api/v1/households/{created['id']}").status_code == 401


def test_viewing_a_household_is_audit_logged_without_personal_values(client, cadre):
    created = client.post("/api/v1/households", json=household(), headers=cadre).get_json()
    client.get(f"/api/v1/households/{created['id']}", headers=cadre)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "household.view"))
    assert event.object_type == "households" and event.object_id == created["id"]
    assert HEAD_ID not in json.dumps(db.session.scalars(select(AuditEvent.details)).all())


def test_no_response_ever_carries_a_full_id_number_or_phone(client, cadre, bearer):
    bodies = [client.post("/api/v1/households", json=household(), headers=cadre).get_data(
        as_text=True)]
    created = json.loads(bodies[0])
    bodies.append(client.get("/api/v1/households", headers=cadre).get_data(as_text=True))
    bodies.append(client.get(f"/api/v1/households/{created['id']}", headers=cadre).get_data(
        as_text=True))
    bodies.append(client.post("/api/v1/households", json=household(), headers=cadre).get_data(
        as_text=True))
    for text in bodies:
        assert HEAD_ID not in text and CHILD_ID not in text and PHONE not in text


def test_no_log_line_carries_an_id_number_or_phone(client, cadre, caplog):
    import logging

    with caplog.at_level(logging.DEBUG):
        created = client.post("/api/v1/households", json=household(), headers=cadre).get_json()
        client.post("/api/v1/households", json=household(), headers=cadre)
        client.get(f"/api/v1/households/{created['id']}", headers=cadre)
    assert caplog.records, "the audit log should have written lines"
    for secret in (HEAD_ID, CHILD_ID, PHONE):
        assert secret not in caplog.text
    # the same lines as MATCHMAKER_LOG_FORMAT=json writes them: JSON, and still no secret
    from matchmaker.logs import JsonFormatter

    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records]
    requests = [line for line in lines if line["logger"] == "matchmaker.requests"]
    assert [(r["method"], r["route"], r["status"]) for r in requests] == [
        ("POST", "/api/v1/households", 201), ("POST", "/api/v1/households", 409),
        ("GET", "/api/v1/households/<int:household_id>", 200)]
    for secret in (HEAD_ID, CHILD_ID, PHONE):
        assert all(secret not in json.dumps(line, ensure_ascii=False) for line in lines)
