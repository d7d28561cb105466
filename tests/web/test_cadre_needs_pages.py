"""The cadre's needs pages: publish from the household, receipt, township review."""
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Need, Notification, Region
from matchmaker.services.market import claims
from tests.api.market import make_org
from tests.conftest import TOWNSHIP, VILLAGE, valid_id_number


def _family(make_household):
    return make_household(members=[{"name": "钱小宝", "relation": "child",
                                    "id_number": valid_id_number("20150505", 501)}])


def _claimed_by_an_organization(need: Need, make_user) -> None:
    """An organizer's claim, the way a need becomes ready for its receipt."""
    organizer = make_user("organizer")
    organizer.organization_id = make_org(need.household.village, "赣鄱建材有限公司").id
    db.session.commit()
    claims.claim_need(need.id, organizer, {})
    db.session.commit()


def test_a_wish_is_published_from_the_household_page_and_received(client, login_as,
                                                                  make_household, make_user):
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
    _claimed_by_an_organization(need, make_user)
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
    approved = client.post(f"/cadre/needs/{need.id}/approve?status=review")
    assert approved.headers["Location"].endswith("/cadre/needs?status=review")
    db.session.refresh(need)
    assert need.status == "open"


def _open_need(make_household, **fields) -> Need:
    household = _family(make_household)
    need = Need(household_id=household.id, village_id=household.village_id, kind="goods",
                category="daily_life", title="冬季棉被", quantity=2, unit="床",
                **{"status": "open", **fields})
    db.session.add(need)
    db.session.commit()
    return need


def test_an_unclaimed_need_offers_no_receipt_and_refuses_one(client, login_as, make_household):
    login_as("cadre", region=VILLAGE)
    need = _open_need(make_household)
    page = client.get("/cadre/needs").get_data(as_text=True)
    row = page.split(f'data-need="{need.id}"')[1].split("</tr>")[0]
    assert "冬季棉被" in row and "记录签收" not in row and "取消" in row
    refused = client.post(f"/cadre/needs/{need.id}/fulfil", data={"note": "已签收"},
                          follow_redirects=True)
    assert "只有已认领或已匹配的需求才能记录签收" in refused.get_data(as_text=True)
    db.session.refresh(need)
    assert need.status == "open" and need.fulfilled_at is None


def test_a_claimed_need_offers_the_receipt_and_cancel_asks_first(client, login_as,
                                                                 make_household, make_user):
    login_as("cadre", region=VILLAGE)
    need = _open_need(make_household)
    _claimed_by_an_organization(need, make_user)
    page = client.get("/cadre/needs").get_data(as_text=True)
    row = page.split(f'data-need="{need.id}"')[1].split("</tr>")[0]
    assert "记录签收" in row and "data-confirm=" in row
    assert "js/cadre_forms.js" in page


def _under_review(client, bearer, make_household) -> tuple[Need, dict]:
    client.put("/api/v1/counties/360302000000/rules", headers=bearer("admin"),
               json={"township_review": True, "one_open_wish_per_member": True})
    household = _family(make_household)
    poster = bearer("cadre", region=VILLAGE)
    client.post("/api/v1/needs", headers=poster, json={
        "household_id": household.id, "kind": "goods", "category": "daily_life",
        "title": "冬季棉被", "quantity": 2, "unit": "床", "description": "老人怕冷,需两床厚棉被"})
    return db.session.scalar(select(Need)), poster


def test_the_reviewer_sees_description_and_village_and_sends_back_with_a_reason(
        client, login_as, make_household, bearer):
    need, _ = _under_review(client, bearer, make_household)
    login_as("cadre", region=TOWNSHIP)
    page = client.get("/cadre/needs?status=review").get_data(as_text=True)
    village = db.session.get(Region, need.village_id).name
    row = page.split(f'data-need="{need.id}"')[1].split("</tr>")[0]
    assert "老人怕冷,需两床厚棉被" in row and village in row and "退回并说明理由" in row
    empty = client.post(f"/cadre/needs/{need.id}/reject?status=review", data={"reason": ""},
                        follow_redirects=True)
    assert "退回时请说明理由" in empty.get_data(as_text=True)
    sent = client.post(f"/cadre/needs/{need.id}/reject?status=review&kind=goods",
                       data={"reason": "请补充老人的年龄和住址"})
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith("/cadre/needs?status=review&kind=goods")
    db.session.refresh(need)
    assert need.status == "cancelled"
    told = db.session.scalar(select(Notification).where(Notification.kind == "need.sent_back"))
    assert told.user_id == need.created_by_id and told.body == "请补充老人的年龄和住址"


def test_only_who_may_review_is_offered_the_review(client, login_as, make_household, bearer):
    need, _ = _under_review(client, bearer, make_household)
    login_as("cadre", region=VILLAGE)
    row = client.get("/cadre/needs").get_data(as_text=True).split(
        f'data-need="{need.id}"')[1].split("</tr>")[0]
    assert "审核通过" not in row and "退回并说明理由" not in row
    refused = client.post(f"/cadre/needs/{need.id}/approve", follow_redirects=True)
    assert "只有乡镇(街道)干部可以审核" in refused.get_data(as_text=True)
    db.session.refresh(need)
    assert need.status == "review"


def test_the_need_form_groups_fields_by_kind_and_names_the_place(client, login_as,
                                                                 make_household):
    login_as("cadre", region=VILLAGE)
    household = _family(make_household)
    page = client.get(f"/cadre/households/{household.id}/needs/new").get_data(as_text=True)
    assert "所在地区" in page and household.village.name in page and "区划代码" not in page
    assert 'data-shows-kind' in page and 'data-kinds="wish funds"' in page
    assert "js/cadre_forms.js" in page
