"""The organizer's donation, placement and purchase pages: the API's records, chosen by needs."""
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from matchmaker.api.schemas_records import donation_dict, placement_dict, purchase_dict
from matchmaker.extensions import db
from matchmaker.models import Donation, Offer, Placement, Purchase, Region
from matchmaker.services.market import claims
from matchmaker.services.records import verification as records
from tests.api.market import make_need, make_offer, make_org, make_team
from tests.conftest import OTHER_VILLAGE, VILLAGE, valid_id_number

DAY = date.today() - timedelta(days=2)
#: what differs between two records made the same way: their id and when they were made
OWN = ("id", "created_at")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def same_record(made: dict, expected: dict) -> None:
    strip = lambda record: {k: v for k, v in record.items() if k not in OWN}  # noqa: E731
    assert strip(made) == strip(expected)


@pytest.fixture
def world(app, client, login_as, make_user, make_household):
    """Our organization (logged in) and a rival, each holding needs in 五陂村; one of ours is in
    another village; households never shown, only their needs."""
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    ours, theirs = make_org(village, "赣鄱建材有限公司"), make_org(village, "井冈山茶业合作社")
    team = make_team(ours, village)
    home = make_household(head_name="刘长根", members=[
        {"name": "刘建军", "relation": "child", "gender": "male",
         "id_number": valid_id_number("19950305", 401)}])
    neighbour = make_household(head_name="陈桂英")
    away = make_household(village=OTHER_VILLAGE, head_name="王立新")
    worker = home.members[1]
    organizer = login_as("organizer")
    organizer.organization_id = ours.id
    rival = make_user("organizer")
    rival.organization_id = theirs.id
    db.session.commit()
    w = SimpleNamespace(
        ours=ours, theirs=theirs, team=team, home=home, neighbour=neighbour, worker=worker,
        organizer=organizer, rival=rival,
        quilts=make_need(home, "goods", category="daily_life", title="过冬棉被", quantity=2,
                         unit="床"),
        far=make_need(away, "goods", category="daily_life", title="助学书包"),
        job=make_need(home, "job", category="factory", title="想在附近工厂上班",
                      member_id=worker.id),
        radish=make_need(home, "produce", category="agriculture", title="白萝卜待售"),
        radish2=make_need(neighbour, "produce", category="agriculture", title="红薯待售"),
        their_goods=make_need(neighbour, "goods", category="daily_life", title="取暖器"),
        their_job=make_need(neighbour, "job", category="factory", title="想学电焊",
                            member_id=neighbour.members[0].id),
        their_produce=make_need(neighbour, "produce", category="agriculture", title="土鸡蛋待售"),
        offer=make_offer(ours, "job", capacity=2, category="factory", title="包装工",
                         openings=2, status="open"),
        their_offer=make_offer(theirs, "job", capacity=3, category="factory", title="采茶工",
                               openings=3, status="open"))
    for need in (w.quilts, w.far, w.job, w.radish, w.radish2):
        claims.claim_need(need.id, organizer, {})
    for need in (w.their_goods, w.their_job, w.their_produce):
        claims.claim_need(need.id, rival, {})
    db.session.commit()
    return w


@pytest.fixture
def api(app, make_user, world):
    """Another client posting through the API as an organizer of the same organization."""
    user = make_user("organizer")
    user.organization_id = world.ours.id
    db.session.commit()
    other = app.test_client()
    token = other.post("/api/v1/auth/token", json={
        "username": user.username, "password": "correct-horse-9"}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    return lambda path, body: other.post(f"/api/v1/{path}", json=body, headers=headers)


# -- donations ----------------------------------------------------------------------------------

def donation_form(world, **values) -> dict:
    body = {"date": DAY.isoformat(), "money_yuan": "2000", "team_id": str(world.team.id),
            "goods-0-item": "棉被", "goods-0-unit": "床", "goods-0-quantity": "20",
            "goods-0-value_yuan": "3000",
            "goods-2-item": "大米", "goods-2-unit": "袋", "goods-2-quantity": "10",
            "need_ids": [str(world.quilts.id)]}
    return {**body, **values}


def test_the_donation_page_offers_our_claimed_needs_only(client, world):
    page = client.get("/organizer/donations/new")
    assert page.status_code == 200
    assert "过冬棉被" in page.text and "助学书包" in page.text
    assert "取暖器" not in page.text and "刘长根" not in page.text
    assert page.text.count('name="goods-') == 5 * 4  # five empty rows, no script needed
    assert 'name="csrf_token"' in page.text


def test_a_donation_posted_on_the_page_is_the_record_the_api_makes(client, world, api):
    done = client.post("/organizer/donations/new", data=donation_form(world),
                       follow_redirects=True)
    assert done.status_code == 200 and "捐赠已记录" in done.text
    assert "棉被 20床" in done.text and "待核实" in done.text
    made = db.session.scalar(select(Donation))
    assert made.status == "pending" and made.organization_id == world.ours.id
    response = api("donations", {
        "date": DAY.isoformat(), "money_yuan": 2000, "team_id": world.team.id,
        "village_code": VILLAGE, "household_ids": [world.home.id], "need_ids": [world.quilts.id],
        "goods": [{"item": "棉被", "unit": "床", "quantity": 20, "value_yuan": 3000},
                  {"item": "大米", "unit": "袋", "quantity": 10}]})
    assert response.status_code == 201
    same_record(donation_dict(made), response.get_json())


@pytest.mark.parametrize(("values", "message"), [
    ({"goods-2-quantity": "0"}, "数量须大于0"),
    # two days ahead: the date is fixed when the tests are collected, and a run may cross midnight
    ({"date": (date.today() + timedelta(days=2)).isoformat()}, "日期不能晚于今天"),
    ({"money_yuan": "", "goods-0-item": "", "goods-0-unit": "", "goods-0-quantity": "",
      "goods-0-value_yuan": "", "goods-2-item": "", "goods-2-unit": "", "goods-2-quantity": ""},
     "请填写捐款金额或至少一项物资"),
])
def test_a_refused_donation_says_why_on_the_field_and_writes_nothing(client, world, values,
                                                                     message):
    page = client.post("/organizer/donations/new", data=donation_form(world, **values))
    assert page.status_code == 422 and message in page.text
    assert 'value="棉被"' in page.text or not values.get("goods-0-item", "x")
    assert count(Donation) == 0


def test_a_goods_error_is_shown_on_the_row_it_came_from(client, world):
    page = client.post("/organizer/donations/new",
                       data=donation_form(world, **{"goods-2-quantity": "0"}))
    row = page.text.split('data-goods-row="2"')[1].split("</tr>")[0]
    assert "数量须大于0" in row


@pytest.mark.parametrize(("need", "message"), [
    ("their_goods", "只能选择本组织认领或对接的需求"),
    ("far", "所选需求的农户不在所填的村(社区)或乡镇"),
])
def test_a_donation_for_a_need_not_ours_or_elsewhere_is_refused(client, world, need, message):
    page = client.post("/organizer/donations/new", data=donation_form(
        world, village_code=VILLAGE, need_ids=[str(getattr(world, need).id)]))
    assert page.status_code == 422 and message in page.text
    assert count(Donation) == 0


def test_a_donation_names_only_our_own_team(client, world):
    their_team = make_team(world.theirs, db.session.get(Region, world.home.village_id))
    page = client.post("/organizer/donations/new",
                       data=donation_form(world, team_id=str(their_team.id)))
    assert page.status_code == 422 and "找不到本组织的这支志愿服务队" in page.text
    assert count(Donation) == 0


# -- placements ---------------------------------------------------------------------------------

def placement_form(world, **values) -> dict:
    body = {"offer_id": str(world.offer.id), "need_id": str(world.job.id),
            "start_date": DAY.isoformat(), "wage_yuan_month": "3200"}
    return {**body, **values}


def test_the_placement_page_offers_our_openings_and_job_needs(client, world):
    page = client.get("/organizer/placements/new")
    assert page.status_code == 200
    assert "包装工" in page.text and "剩余名额 2" in page.text and "想在附近工厂上班" in page.text
    assert "采茶工" not in page.text and "想学电焊" not in page.text
    assert "刘建军" not in page.text  # the member is chosen through the need, never by name


def test_a_placement_posted_on_the_page_hires_the_member_the_job_need_names(client, world):
    done = client.post("/organizer/placements/new", data=placement_form(world),
                       follow_redirects=True)
    assert done.status_code == 200 and "就业已记录" in done.text and "包装工" in done.text
    made = db.session.scalar(select(Placement))
    body = placement_dict(made)
    assert {key: body[key] for key in ("status", "organization_id", "offer_id", "member_id",
                                       "need_id", "start_date", "wage_yuan_month")} == {
        "status": "pending", "organization_id": world.ours.id, "offer_id": world.offer.id,
        "member_id": world.worker.id, "need_id": world.job.id, "start_date": DAY.isoformat(),
        "wage_yuan_month": 3200}
    assert db.session.get(Offer, world.offer.id).capacity_used == 1  # one opening taken


@pytest.mark.parametrize(("values", "field_message"), [
    ({"need_id": ""}, "请选择家庭成员"),
    ({"start_date": (date.today() + timedelta(days=3)).isoformat()}, "日期不能晚于今天"),
    ({"wage_yuan_month": "-5"}, "月薪(元)不能为负数"),
])
def test_a_refused_placement_says_why_and_takes_no_opening(client, world, values,
                                                           field_message):
    page = client.post("/organizer/placements/new", data=placement_form(world, **values))
    assert page.status_code == 422 and field_message in page.text
    assert count(Placement) == 0 and db.session.get(Offer, world.offer.id).capacity_used == 0


@pytest.mark.parametrize(("values", "message"), [
    ({"offer": "their_offer"}, "找不到本组织的这项就业岗位供给"),
    ({"need": "their_job"}, "只能选择本组织认领或对接的需求"),
])
def test_another_organizations_offer_or_job_need_cannot_be_used(client, world, values,
                                                                message):
    form = placement_form(world)
    if "offer" in values:
        form["offer_id"] = str(getattr(world, values["offer"]).id)
    else:
        form["need_id"] = str(getattr(world, values["need"]).id)
    page = client.post("/organizer/placements/new", data=form)
    assert page.status_code == 422 and message in page.text
    assert count(Placement) == 0
    assert db.session.get(Offer, world.their_offer.id).capacity_used == 0


def test_the_same_member_is_not_hired_twice_into_one_job(client, world):
    client.post("/organizer/placements/new", data=placement_form(world))
    page = client.post("/organizer/placements/new", data=placement_form(world))
    assert page.status_code == 409 and "已有就业记录" in page.text
    assert count(Placement) == 1


def hire(client, world, started: date) -> Placement:
    client.post("/organizer/placements/new",
                data=placement_form(world, start_date=started.isoformat()))
    return db.session.scalar(select(Placement))


def test_follow_ups_at_three_and_six_months_on_the_list(client, world):
    placement = hire(client, world, date.today() - timedelta(days=200))
    listed = client.get("/organizer/deliveries")
    assert listed.text.count(f"/organizer/placements/{placement.id}/follow-up") == 2
    done = client.post(f"/organizer/placements/{placement.id}/follow-up",
                       data={"months": "3", "employed": "true"}, follow_redirects=True)
    assert "已记录入职满3个月的回访" in done.text
    client.post(f"/organizer/placements/{placement.id}/follow-up",
                data={"months": "6", "employed": "false"})
    placement = db.session.get(Placement, placement.id)
    assert (placement.employed_at_3_months, placement.employed_at_6_months) == (True, False)
    listed = client.get("/organizer/deliveries")
    assert "仍在岗" in listed.text and "已离岗" in listed.text
    assert f"/organizer/placements/{placement.id}/follow-up" not in listed.text


def test_a_follow_up_before_its_months_is_refused(client, world):
    placement = hire(client, world, date.today() - timedelta(days=40))
    listed = client.get("/organizer/deliveries")
    assert "起可回访" in listed.text and "/follow-up" not in listed.text
    refused = client.post(f"/organizer/placements/{placement.id}/follow-up",
                          data={"months": "3", "employed": "true"}, follow_redirects=True)
    assert "入职满3个月" in refused.text and "后才能回访" in refused.text
    assert db.session.get(Placement, placement.id).employed_at_3_months is None


def test_another_organization_cannot_follow_up_our_placement(client, world, login_as):
    placement = hire(client, world, date.today() - timedelta(days=200))
    client.post("/logout")
    intruder = login_as("organizer")
    intruder.organization_id = world.theirs.id
    db.session.commit()
    refused = client.post(f"/organizer/placements/{placement.id}/follow-up",
                          data={"months": "3", "employed": "false"}, follow_redirects=True)
    assert "找不到该就业记录" in refused.text
    assert db.session.get(Placement, placement.id).employed_at_3_months is None
    assert "包装工" not in client.get("/organizer/deliveries").text


# -- purchases ----------------------------------------------------------------------------------

def purchase_form(world, **values) -> dict:
    body = {"date": DAY.isoformat(), "product": "白萝卜", "unit": "斤", "quantity": "2300",
            "yuan": "4600.01", "need_ids": [str(world.radish.id), str(world.radish2.id)]}
    return {**body, **values}


def test_a_purchase_posted_on_the_page_is_the_record_the_api_makes(client, world, api):
    page = client.get("/organizer/purchases/new")
    assert "白萝卜待售" in page.text and "红薯待售" in page.text
    assert "土鸡蛋待售" not in page.text
    done = client.post("/organizer/purchases/new", data=purchase_form(world),
                       follow_redirects=True)
    assert "认购已记录" in done.text and "白萝卜" in done.text and "2 户" in done.text
    made = db.session.scalar(select(Purchase))
    assert made.status == "pending"
    assert sorted(float(share.yuan) for share in made.sellers) == [2300.0, 2300.01]
    response = api("purchases", {
        "date": DAY.isoformat(), "product": "白萝卜", "unit": "斤", "quantity": 2300,
        "yuan": 4600.01, "village_code": VILLAGE,
        "household_ids": [world.home.id, world.neighbour.id],
        "need_ids": [world.radish.id, world.radish2.id]})
    assert response.status_code == 201
    same_record(purchase_dict(made), response.get_json())


@pytest.mark.parametrize(("values", "message"), [
    ({"need_ids": []}, "请选择出售农户对应的农产品待售需求"),
    ({"quantity": ""}, "请填写数量"),
    ({"product": ""}, "请填写农产品名称"),
])
def test_a_refused_purchase_says_why_and_writes_nothing(client, world, values, message):
    values = {"village_code": VILLAGE, **values}
    page = client.post("/organizer/purchases/new", data=purchase_form(world, **values))
    assert page.status_code == 422 and message in page.text
    assert count(Purchase) == 0


def test_another_organizations_produce_need_cannot_be_used(client, world):
    page = client.post("/organizer/purchases/new", data=purchase_form(
        world, need_ids=[str(world.their_produce.id)]))
    assert page.status_code == 422 and "只能选择本组织认领或对接的需求" in page.text
    assert count(Purchase) == 0


# -- the list and who may come ------------------------------------------------------------------

def test_the_list_shows_each_records_verification_and_the_reason_of_a_rejection(
        client, world, make_user):
    client.post("/organizer/donations/new", data=donation_form(world))
    client.post("/organizer/purchases/new", data=purchase_form(world))
    cadre = make_user("cadre")
    records.reject_record("donation", db.session.scalar(select(Donation.id)), cadre,
                          "物资清单与签收单不符")
    records.verify_record("purchase", db.session.scalar(select(Purchase.id)), cadre)
    db.session.commit()
    listed = client.get("/organizer/deliveries")
    assert "已驳回" in listed.text and "物资清单与签收单不符" in listed.text
    assert "已核实" in listed.text
    workbench = client.get("/organizer/")
    assert "/organizer/deliveries" in workbench.text


PAGES = ["/organizer/donations/new", "/organizer/placements/new", "/organizer/purchases/new",
         "/organizer/deliveries"]


@pytest.mark.parametrize("path", PAGES)
def test_a_cadre_or_anonymous_visitor_cannot_reach_the_pages(client, world, login_as, path):
    client.post("/logout")
    anonymous = client.get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    login_as("cadre")
    assert client.get(path).status_code == 403
    if path.endswith("/new"):
        assert client.post(path, data=donation_form(world)).status_code == 403
    assert count(Donation) + count(Placement) + count(Purchase) == 0


def test_an_organizer_without_an_organization_is_sent_to_register_it(client, login_as):
    client.post("/logout")
    login_as("organizer")
    response = client.get("/organizer/donations/new")
    assert response.status_code == 302 and "/organizer/organization/new" in response.headers[
        "Location"]


def test_every_form_needs_its_csrf_token(app, client, world):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for path, body in (("/organizer/donations/new", donation_form(world)),
                           ("/organizer/placements/new", placement_form(world)),
                           ("/organizer/purchases/new", purchase_form(world))):
            assert client.post(path, data=body).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert count(Donation) + count(Placement) + count(Purchase) == 0


def test_a_job_need_claimed_with_its_offer_is_filled_from_the_opening_the_claim_holds(
        client, world):
    need = make_need(world.home, "job", category="factory", title="想当仓库管理员",
                     member_id=world.worker.id)
    offer = make_offer(world.ours, "job", capacity=1, category="factory", title="仓管员",
                       openings=1, status="open")
    claims.claim_need(need.id, world.organizer, {"offer_id": offer.id})
    db.session.commit()
    assert db.session.get(Offer, offer.id).capacity_left == 0
    assert "仓管员" in client.get("/organizer/placements/new").text
    client.post("/organizer/placements/new",
                data=placement_form(world, offer_id=str(offer.id), need_id=str(need.id)))
    assert db.session.scalar(select(Placement)).need_id == need.id
    assert db.session.get(Offer, offer.id).capacity_used == 1  # no second opening taken
