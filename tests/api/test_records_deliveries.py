"""Donations, placements (with their openings and follow-up) and purchases credited to sellers."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    Claim, Donation, Household, Member, Need, Offer, Placement, Purchase, PurchaseShare,
    donation_needs,
)
from matchmaker.services.records.placements import add_months
from tests.api.market import hold_job_need, hold_need
from tests.api.test_records import DAY, actions, build_world, fields, verify
from tests.conftest import OTHER_VILLAGE, VILLAGE


@pytest.fixture
def world(app, bearer, make_household):
    return build_world(bearer, make_household)


def make_offer(world, kind="job", capacity=2, **values) -> Offer:
    values = {"category": "factory", "title": "包装工", "openings": capacity, **values}
    offer = Offer(organization_id=world.ours.org.id, kind=kind, capacity=capacity,
                  capacity_used=0, status="open", **values)
    db.session.add(offer)
    db.session.commit()
    return offer


# -- donations ----------------------------------------------------------------------------------

def hold_needs_of(world, household_ids, kind: str) -> None:
    """Our organization claims a need of the kind of each household: what deliveries go through."""
    for household_id in household_ids:
        hold_need(world.ours.org.id, db.session.get(Household, household_id), kind)


def donate(client, world, headers=None, held=True, **overrides):
    """Post a donation; with `held`, to households of goods needs our organization holds."""
    body = {"village_code": VILLAGE, "date": DAY.isoformat(), "money_yuan": 2000,
            "goods": [{"item": "棉被", "unit": "床", "quantity": 20, "value_yuan": 3000}],
            "household_ids": [world.home.id], **overrides}
    if held:
        hold_needs_of(world, body["household_ids"] or [], "goods")
    return client.post("/api/v1/donations", json=body, headers=headers or world.organizer)


def test_an_organizer_records_a_donation_of_money_and_goods(client, world):
    response = donate(client, world, team_id=world.ours.team.id)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and body["organization_id"] == world.ours.org.id
    assert body["money_yuan"] == 2000 and body["goods_value_yuan"] == 3000
    assert body["goods"] == [{"item": "棉被", "unit": "床", "quantity": 20, "value_yuan": 3000}]
    assert body["household_ids"] == [world.home.id] and body["team_id"] == world.ours.team.id
    assert actions("donations", body["id"]) == ["donation.create"]


def test_a_donation_needs_money_or_goods(client, world):
    response = donate(client, world, money_yuan=None, goods=[])
    assert response.status_code == 422
    assert fields(response) == {"goods": "请填写捐款金额或至少一项物资"}


def test_a_donation_for_another_organization_or_village_gets_422(client, world):
    assert fields(donate(client, world, organization_id=world.theirs.org.id)) == {
        "organization_id": "只能记录本组织的帮扶"}
    assert "household_ids" in fields(donate(client, world, household_ids=[world.away.id]))
    assert fields(donate(client, world, team_id=world.theirs.team.id)) == {
        "team_id": "找不到本组织的这支志愿服务队"}
    assert "goods[0].quantity" in fields(donate(client, world, goods=[
        {"item": "大米", "unit": "袋", "quantity": 0}]))


def test_a_verified_donation_whose_goods_change_goes_back_to_pending(client, world):
    donation_id = donate(client, world).get_json()["id"]
    assert verify(client, world.cadre, f"donations/{donation_id}").status_code == 200
    response = client.patch(f"/api/v1/donations/{donation_id}", json={
        "goods": [{"item": "大米", "unit": "袋", "quantity": 10, "value_yuan": 800}]},
        headers=world.organizer)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "pending" and body["money_yuan"] == 2000
    assert [line["item"] for line in body["goods"]] == ["大米"]
    assert actions("donations", donation_id)[-2:] == ["donation.reopen", "donation.update"]


def test_a_donation_naming_a_need_links_it(client, world):
    need = Need(household_id=world.home.id, village_id=world.home.village_id, kind="goods",
                category="daily_life", title="过冬棉被", quantity=2, status="open")
    db.session.add(need)
    db.session.commit()
    response = donate(client, world, need_ids=[need.id])
    assert response.get_json()["need_ids"] == [need.id]
    assert db.session.execute(select(donation_needs.c.need_id)).scalars().all() == [need.id]


def test_the_other_village_cadre_cannot_see_or_reject_a_donation(client, world):
    donation_id = donate(client, world).get_json()["id"]
    assert client.post(f"/api/v1/donations/{donation_id}/reject", json={"reason": "x"},
                       headers=world.other_cadre).status_code == 404
    assert client.get("/api/v1/donations", headers=world.other_cadre).get_json()["total"] == 0
    assert db.session.get(Donation, donation_id).status == "pending"


# -- placements ---------------------------------------------------------------------------------

def hire(client, world, offer, member_id=None, headers=None, held=True, **overrides):
    """Post a placement; with `held`, through a job need of the member the organization holds."""
    member_id = member_id or world.home.members[0].id
    if held and "need_id" not in overrides:
        hold_job_need(world.ours.org.id, db.session.get(Member, member_id))
    body = {"offer_id": offer.id, "member_id": member_id, "start_date": DAY.isoformat(),
            "wage_yuan_month": 3200, **overrides}
    return client.post("/api/v1/placements", json=body, headers=headers or world.organizer)


def test_a_placement_takes_an_opening_of_the_job_offer(client, world):
    offer = make_offer(world, capacity=2)
    response = hire(client, world, offer)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and body["village_code"] == VILLAGE
    assert body["start_date"] == DAY.isoformat() and body["wage_yuan_month"] == 3200
    db.session.refresh(offer)
    assert offer.capacity_used == 1 and offer.status == "open"


def test_no_placement_beyond_the_openings(client, world, make_household):
    offer = make_offer(world, capacity=1)
    assert hire(client, world, offer).status_code == 201
    response = hire(client, world, offer, member_id=world.home.members[1].id)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "capacity_exhausted"
    db.session.refresh(offer)
    assert offer.capacity_used == 1 and offer.status == "exhausted"
    assert db.session.scalar(select(Placement.id).where(
        Placement.member_id == world.home.members[1].id)) is None


def test_a_rejected_placement_gives_its_opening_back(client, world):
    offer = make_offer(world, capacity=1)
    placement_id = hire(client, world, offer).get_json()["id"]
    response = client.post(f"/api/v1/placements/{placement_id}/reject",
                           json={"reason": "本人未到岗"}, headers=world.cadre)
    assert response.status_code == 200 and response.get_json()["status"] == "rejected"
    db.session.refresh(offer)
    assert offer.capacity_used == 0 and offer.status == "open"
    assert hire(client, world, offer, member_id=world.home.members[1].id).status_code == 201
    resubmitted = client.patch(f"/api/v1/placements/{placement_id}",
                               json={"wage_yuan_month": 3500}, headers=world.organizer)
    assert resubmitted.status_code == 409
    assert resubmitted.get_json()["error"]["code"] == "capacity_exhausted"


def test_a_placement_rejected_on_the_cadres_page_gives_its_opening_back_too(client, world,
                                                                           login_as):
    offer = make_offer(world, capacity=1)
    placement_id = hire(client, world, offer).get_json()["id"]
    login_as("cadre")
    page = client.post(f"/cadre/records/placement/{placement_id}/reject",
                       data={"reason": "本人未到岗"})
    assert page.status_code == 302
    db.session.refresh(offer)
    assert offer.capacity_used == 0 and offer.status == "open"


def test_a_placement_needs_an_open_job_offer_of_the_own_organization(client, world):
    goods = make_offer(world, kind="goods", capacity=5, category="daily_life", openings=None)
    assert fields(hire(client, world, goods)) == {"offer_id": "找不到本组织的这项就业岗位供给"}
    closed = make_offer(world, title="仓管员")
    closed.status = "closed"
    db.session.commit()
    assert fields(hire(client, world, closed)) == {"offer_id": "该岗位已关闭或已过期"}
    assert hire(client, world, make_offer(world), headers=world.rival).status_code == 422


def test_one_member_is_placed_once_in_one_job(client, world):
    offer = make_offer(world, capacity=3)
    assert hire(client, world, offer).status_code == 201
    response = hire(client, world, offer)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "duplicate"
    db.session.refresh(offer)
    assert offer.capacity_used == 1


def test_a_claimed_job_need_does_not_take_a_second_opening(client, world):
    offer = make_offer(world, capacity=1)
    need = Need(household_id=world.home.id, village_id=world.home.village_id, kind="job",
                category="factory", title="就近务工", status="open")
    db.session.add(need)
    db.session.commit()
    claimed = client.post(f"/api/v1/needs/{need.id}/claim", json={"offer_id": offer.id},
                          headers=world.organizer)
    assert claimed.status_code == 200
    response = hire(client, world, offer, need_id=need.id)
    assert response.status_code == 201 and response.get_json()["need_id"] == need.id
    db.session.refresh(offer)
    assert offer.capacity_used == 1
    assert db.session.scalar(select(Claim.status)) == "active"


def test_a_job_need_of_another_household_gets_422(client, world):
    need = Need(household_id=world.away.id, village_id=world.away.village_id, kind="job",
                category="factory", title="务工", status="open")
    db.session.add(need)
    db.session.commit()
    hold_job_need(world.ours.org.id, world.away.members[0])  # held, but not this household's
    response = hire(client, world, make_offer(world), need_id=need.id)
    assert fields(response) == {"need_id": "只能选择本组织认领或对接的、该人员的就业需求"}


def test_a_placement_cannot_start_in_the_future(client, world):
    response = hire(client, world, make_offer(world),
                    start_date=(date.today() + timedelta(days=7)).isoformat())
    assert response.status_code == 422 and "start_date" in fields(response)


def follow_up(client, headers, placement_id, months, employed):
    return client.post(f"/api/v1/placements/{placement_id}/follow-up",
                       json={"months": months, "employed": employed}, headers=headers)


def test_follow_up_after_three_and_six_months(client, world):
    started = date.today() - timedelta(days=200)
    placement_id = hire(client, world, make_offer(world),
                        start_date=started.isoformat()).get_json()["id"]
    response = follow_up(client, world.organizer, placement_id, 3, True)
    assert response.status_code == 200 and response.get_json()["employed_at_3_months"] is True
    response = follow_up(client, world.cadre, placement_id, 6, False)
    assert response.status_code == 200
    assert response.get_json()["employed_at_6_months"] is False
    assert response.get_json()["employed_at_3_months"] is True
    assert actions("placements", placement_id).count("placement.follow_up") == 2


def test_follow_up_before_the_months_have_passed_gets_422(client, world):
    placement_id = hire(client, world, make_offer(world)).get_json()["id"]
    response = follow_up(client, world.organizer, placement_id, 3, True)
    assert response.status_code == 422
    due = add_months(DAY, 3).isoformat()
    assert fields(response) == {"months": f"入职满3个月({due})后才能回访"}


def test_follow_up_fields_are_checked(client, world):
    placement_id = hire(client, world, make_offer(world)).get_json()["id"]
    assert fields(follow_up(client, world.organizer, placement_id, 4, True)) == {
        "months": "回访时点须为3或6个月"}
    response = client.post(f"/api/v1/placements/{placement_id}/follow-up", json={"months": 3},
                           headers=world.organizer)
    assert fields(response) == {"employed": "请填写是否仍在岗"}
    assert follow_up(client, world.other_cadre, placement_id, 3, True).status_code == 404


def test_an_employed_answer_is_true_or_false(client, world):
    placement_id = hire(client, world, make_offer(world)).get_json()["id"]
    assert fields(follow_up(client, world.organizer, placement_id, 3, "maybe")) == {
        "employed": "是否仍在岗须为 true 或 false"}


def test_a_rejected_placement_is_not_followed_up(client, world):
    started = date.today() - timedelta(days=120)
    placement_id = hire(client, world, make_offer(world),
                        start_date=started.isoformat()).get_json()["id"]
    client.post(f"/api/v1/placements/{placement_id}/reject", json={"reason": "未到岗"},
                headers=world.cadre)
    assert follow_up(client, world.organizer, placement_id, 3, True).status_code == 409


def test_the_offer_and_member_of_a_placement_are_fixed(client, world):
    placement_id = hire(client, world, make_offer(world)).get_json()["id"]
    response = client.patch(f"/api/v1/placements/{placement_id}",
                            json={"member_id": world.home.members[1].id},
                            headers=world.organizer)
    assert fields(response) == {"member_id": "岗位和人员不能修改,请重新记录"}


@pytest.mark.parametrize("start, months, due", [
    (date(2026, 8, 31), 6, date(2027, 2, 28)), (date(2026, 1, 15), 3, date(2026, 4, 15)),
    (date(2027, 11, 30), 3, date(2028, 2, 29))])
def test_add_months_keeps_to_the_month_end(start, months, due):
    assert add_months(start, months) == due


# -- purchases ----------------------------------------------------------------------------------

def buy(client, world, headers=None, held=True, **overrides):
    """Post a purchase; with `held`, from households of produce needs our organization holds."""
    body = {"village_code": VILLAGE, "date": DAY.isoformat(), "product": "白萝卜", "unit": "斤",
            "quantity": 2300, "yuan": 1150, **overrides}
    if "sellers" not in overrides and "household_ids" not in overrides:
        body["sellers"] = [{"household_id": world.home.id, "yuan": 1150}]
    if held:
        hold_needs_of(world, body.get("household_ids") or [
            line["household_id"] for line in body.get("sellers") or []], "produce")
    return client.post("/api/v1/purchases", json=body, headers=headers or world.organizer)


def test_a_purchase_credits_its_yuan_to_the_sellers(client, world, make_household):
    neighbour = make_household(head_name="李春花")
    response = buy(client, world, sellers=[{"household_id": world.home.id, "yuan": 700},
                                           {"household_id": neighbour.id, "yuan": 450}])
    assert response.status_code == 201
    body = response.get_json()
    assert body["product"] == "白萝卜" and body["quantity"] == 2300 and body["yuan"] == 1150
    assert body["sellers"] == [{"household_id": world.home.id, "yuan": 700},
                               {"household_id": neighbour.id, "yuan": 450}]
    assert body["status"] == "pending"


def test_shares_must_sum_to_the_purchase(client, world):
    response = buy(client, world, sellers=[{"household_id": world.home.id, "yuan": 1000}])
    assert response.status_code == 422
    assert fields(response) == {"sellers": "各户所得合计1000元,须等于认购金额1150元"}


def test_household_ids_split_the_yuan_evenly_to_the_fen(client, world, make_household):
    others = [make_household(head_name=name) for name in ("李春花", "陈有福")]
    ids = [world.home.id] + [h.id for h in others]
    response = buy(client, world, yuan=100, household_ids=ids)
    assert response.status_code == 201
    assert [s["yuan"] for s in response.get_json()["sellers"]] == [33.34, 33.33, 33.33]
    total = sum(s.yuan for s in db.session.scalars(select(PurchaseShare)))
    assert total == Decimal("100.00")


def test_sellers_must_be_households_of_the_village(client, world):
    response = buy(client, world, sellers=[{"household_id": world.away.id, "yuan": 1150}])
    assert response.status_code == 422 and "sellers" in fields(response)
    assert fields(buy(client, world, household_ids=[])) == {"sellers": "请填写出售农户"}


def test_patching_a_purchase_with_household_ids_replaces_the_sellers(client, world,
                                                                     make_household):
    purchase_id = buy(client, world).get_json()["id"]
    verify(client, world.cadre, f"purchases/{purchase_id}")
    neighbour = make_household(head_name="李春花")
    hold_needs_of(world, [neighbour.id], "produce")
    response = client.patch(f"/api/v1/purchases/{purchase_id}",
                            json={"household_ids": [world.home.id, neighbour.id]},
                            headers=world.organizer)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "pending"
    assert body["sellers"] == [{"household_id": world.home.id, "yuan": 575},
                               {"household_id": neighbour.id, "yuan": 575}]
    assert db.session.get(Purchase, purchase_id).yuan == 1150


def test_a_purchase_in_another_village_is_verified_by_its_cadre(client, world):
    purchase_id = buy(client, world, village_code=OTHER_VILLAGE, sellers=[
        {"household_id": world.away.id, "yuan": 1150}]).get_json()["id"]
    assert verify(client, world.cadre, f"purchases/{purchase_id}").status_code == 404
    assert verify(client, world.other_cadre, f"purchases/{purchase_id}").status_code == 200


def test_a_rival_organizer_never_sees_a_purchase(client, world):
    purchase_id = buy(client, world).get_json()["id"]
    assert client.get(f"/api/v1/purchases/{purchase_id}", headers=world.rival).status_code == 404
    assert client.get("/api/v1/purchases", headers=world.rival).get_json()["total"] == 0


def test_an_unknown_member_id_gets_422(client, world):
    response = hire(client, world, make_offer(world), member_id=99999, held=False)
    assert fields(response) == {"member_id": "找不到该人员"}


def test_a_purchase_may_not_be_posted_by_an_admin(client, bearer, world):
    assert buy(client, world, headers=bearer("admin")).status_code == 403


# -- only members of needs the organization holds (issue 18.12) --------------------------------

def test_a_member_of_no_need_the_organization_holds_is_not_placed(client, world):
    """The probe: a member of another village placed on our job offer answered 201."""
    offer = make_offer(world)
    response = hire(client, world, offer, member_id=world.away.members[0].id, held=False)
    assert response.status_code == 422
    assert fields(response) == {"member_id": "只能为本组织认领或对接的就业需求所帮扶的人员记录就业"}
    db.session.refresh(offer)
    assert offer.capacity_used == 0 and db.session.scalar(select(Placement.id)) is None


def test_a_job_need_another_organization_holds_is_not_ours_to_fill(client, world):
    member = world.home.members[0]
    theirs = hold_job_need(world.theirs.org.id, member)
    response = hire(client, world, make_offer(world), held=False, need_id=theirs.id)
    assert fields(response) == {"need_id": "只能选择本组织认领或对接的、该人员的就业需求"}
    assert fields(hire(client, world, make_offer(world), held=False)) == {
        "member_id": "只能为本组织认领或对接的就业需求所帮扶的人员记录就业"}


def test_a_placement_without_need_id_is_linked_to_the_held_need(client, world):
    need = hold_job_need(world.ours.org.id, world.home.members[0])
    response = hire(client, world, make_offer(world), held=False)
    assert response.status_code == 201 and response.get_json()["need_id"] == need.id


# -- only households of needs the organization holds (issue 18.12) -----------------------------

RECIPIENT_NOT_HELD = "没有本组织认领或对接的物资、资金或微心愿需求:受赠农户只能是这些需求的农户"
SELLER_NOT_HELD = "没有本组织认领或对接的农产品待售需求:出售农户只能是这些需求的农户"


def test_a_donation_to_a_household_of_no_held_need_gets_422(client, world):
    """The probe's hole for donations: any household of any village answered 201."""
    response = donate(client, world, held=False, village_code=OTHER_VILLAGE,
                      household_ids=[world.away.id])
    assert response.status_code == 422
    assert fields(response) == {"household_ids": f"编号 {world.away.id} 的农户{RECIPIENT_NOT_HELD}"}
    assert fields(donate(client, world, held=False)) == {
        "household_ids": f"编号 {world.home.id} 的农户{RECIPIENT_NOT_HELD}"}
    assert db.session.scalar(select(Donation.id)) is None


def test_a_need_held_by_another_organization_or_of_another_kind_opens_no_household(client, world):
    hold_need(world.theirs.org.id, world.home, "goods")
    hold_need(world.ours.org.id, world.home, "produce")  # ours, but for a purchase
    assert fields(donate(client, world, held=False)) == {
        "household_ids": f"编号 {world.home.id} 的农户{RECIPIENT_NOT_HELD}"}
    hold_need(world.ours.org.id, world.away, "goods")  # a donation is not for produce sellers
    response = buy(client, world, held=False, village_code=OTHER_VILLAGE,
                   sellers=[{"household_id": world.away.id, "yuan": 1150}])
    assert fields(response) == {"sellers": f"编号 {world.away.id} 的农户{SELLER_NOT_HELD}"}


def test_households_of_claimed_or_matched_needs_are_delivered_to(client, world, make_household):
    matched = make_household(head_name="李春花")
    hold_need(world.ours.org.id, world.home, "funds")
    hold_need(world.ours.org.id, matched, "wish", status="matched")
    response = donate(client, world, held=False, household_ids=[world.home.id, matched.id])
    assert response.status_code == 201
    assert response.get_json()["household_ids"] == [world.home.id, matched.id]
    hold_need(world.ours.org.id, world.away, "produce")
    response = buy(client, world, held=False, village_code=OTHER_VILLAGE,
                   household_ids=[world.away.id])
    assert response.status_code == 201
    assert response.get_json()["sellers"] == [{"household_id": world.away.id, "yuan": 1150}]


def test_a_purchase_from_a_household_of_no_held_need_gets_422(client, world, make_household):
    """The probe's hole for purchases: sellers of any village, bought from with no need held."""
    response = buy(client, world, held=False, village_code=OTHER_VILLAGE,
                   sellers=[{"household_id": world.away.id, "yuan": 1150}])
    assert response.status_code == 422
    assert fields(response) == {"sellers": f"编号 {world.away.id} 的农户{SELLER_NOT_HELD}"}
    neighbour = make_household(head_name="陈有福")
    hold_need(world.ours.org.id, world.home, "produce")
    response = buy(client, world, held=False, household_ids=[world.home.id, neighbour.id])
    assert fields(response) == {"household_ids": f"编号 {neighbour.id} 的农户{SELLER_NOT_HELD}"}
    assert db.session.scalar(select(Purchase.id)) is None


def release_claims(organization_id: int) -> None:
    for claim in db.session.scalars(select(Claim).where(Claim.organization_id == organization_id)):
        claim.status = "released"
    db.session.commit()


def test_an_edit_keeps_the_households_on_the_record_and_checks_the_added(client, world,
                                                                         make_household):
    donation_id = donate(client, world).get_json()["id"]
    purchase_id = buy(client, world).get_json()["id"]
    release_claims(world.ours.org.id)  # the needs are no longer held: the records stand
    assert client.patch(f"/api/v1/donations/{donation_id}", json={"note": "补充说明"},
                        headers=world.organizer).status_code == 200
    assert client.patch(f"/api/v1/purchases/{purchase_id}", json={"yuan": 1200, "sellers": [
        {"household_id": world.home.id, "yuan": 1200}]}, headers=world.organizer).status_code == 200
    neighbour = make_household(head_name="李春花")
    response = client.patch(f"/api/v1/donations/{donation_id}",
                            json={"household_ids": [world.home.id, neighbour.id]},
                            headers=world.organizer)
    assert fields(response) == {"household_ids": f"编号 {neighbour.id} 的农户{RECIPIENT_NOT_HELD}"}
    response = client.patch(f"/api/v1/purchases/{purchase_id}",
                            json={"household_ids": [world.home.id, neighbour.id]},
                            headers=world.organizer)
    assert fields(response) == {"household_ids": f"编号 {neighbour.id} 的农户{SELLER_NOT_HELD}"}
    assert [s.household_id for s in db.session.get(Purchase, purchase_id).sellers] == [
        world.home.id]
