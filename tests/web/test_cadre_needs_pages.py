"""The cadre's needs pages: publish from the household, receipt, township review."""
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Need
from tests.conftest import TOWNSHIP, VILLAGE, valid_id_number


def _family(make_household):
    return make_household(members=[{"name": "钱小宝", "relation": "child",
                                    "id_number": valid_id_number("20150505", 501)}])


def test_a_wish_is_published_from_the_household_page_and_received(client, login_as,
                                                                  make_household):
    login_as("cadre", region=VILLAGE)
    household = _family(make_household)
    page = client.get(f"/cadre/households/{household.id}/needs/new").get_data(as_text=True)
    assert "钱小宝" in page
    response = client.post(f"/cadre/households/{household.id}/needs/new", data={
        "household_id": household.id, "member_id": household.members[1].id, "kind": "wish",
        "category": "clothing", "title": "一件羽绒服", "amount_yuan": "260",
        "guardian_consent": "y"})
    assert response.status_code == 302
    need = db.session.scalar(select(Need))
    assert "一件羽绒服" in client.get("/cadre/needs").get_data(as_text=True)
    client.post(f"/cadre/needs/{need.id}/fulfil", data={"note": "家长代为签收"})
    db.session.refresh(need)
    assert need.status == "fulfilled" and need.receipt_note == "家长代为签收"


def test_a_missing_consent_is_shown_on_the_form(client, login_as, make_household):
    login_as("cadre", region=VILLAGE)
    household = _family(make_household)
    response = client.post(f"/cadre/households/{household.id}/needs/new", data={
        "household_id": household.id, "member_id": household.members[1].id, "kind": "wish",
        "category": "clothing", "title": "一件羽绒服", "amount_yuan": "260"})
    assert response.status_code == 422
    assert "监护人同意" in response.get_data(as_text=True)
    assert db.session.scalar(select(Need)) is None


def test_a_township_cadre_approves_needs_under_review(client, login_as, make_household, bearer):
    client.put("/api/v1/counties/360302000000/rules", headers=bearer("admin"),
               json={"township_review": True, "one_open_wish_per_member": True})
    household = _family(make_household)
    client.post("/api/v1/needs", headers=bearer("cadre", region=VILLAGE), json={
        "household_id": household.id, "kind": "goods", "category": "daily_life",
        "title": "冬季棉被", "quantity": 2, "unit": "床"})
    login_as("cadre", region=TOWNSHIP)
    need = db.session.scalar(select(Need))
    assert "审核通过" in client.get("/cadre/needs").get_data(as_text=True)
    client.post(f"/cadre/needs/{need.id}/approve")
    db.session.refresh(need)
    assert need.status == "open"
