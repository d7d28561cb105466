"""The claims API and the organizer's claim pages; the 503 for a database that stays locked."""
import sqlite3
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from matchmaker.errors_db import handle_operational_error
from matchmaker.extensions import db
from matchmaker.models import Claim, Need, Offer, User
from tests.api.market import claim, error_code, make_need, make_offer, make_org, make_team, organizer_headers


def test_an_organizer_claims_an_open_need(client, organizer, household, org):
    need = make_need(household)
    response = claim(client, organizer, need.id)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "claimed" and body["need_id"] == need.id
    row = db.session.get(Claim, body["claim_id"])
    assert row.organization_id == org.id and row.status == "active"
    assert body["due_at"] == row.due_at.isoformat(timespec="seconds") + "Z"  # UTC, RFC 3339


def test_a_claim_without_a_body_is_accepted(client, organizer, household):
    need = make_need(household)
    response = client.post(f"/api/v1/needs/{need.id}/claim", headers=organizer)
    assert response.status_code == 200 and response.get_json()["status"] == "claimed"


def test_second_claim_of_a_wish_gets_409(client, bearer, organizer, household, village):
    wish = make_need(household, kind="wish", category="study", title="一个新书包",
                     member_id=household.members[1].id, amount_yuan=Decimal("120"))
    assert claim(client, organizer, wish.id).status_code == 200
    rival = organizer_headers(bearer, make_org(village, "井冈山茶业合作社"))
    response = claim(client, rival, wish.id)
    assert response.status_code == 409 and error_code(response) == "already_claimed"
    assert response.get_json()["error"]["message"] == "该需求已被认领"


def test_capacity_short_gives_409_capacity_exhausted(client, organizer, household, org):
    offer = make_offer(org, kind="goods", capacity=2)
    need = make_need(household, kind="goods", category="daily_life", title="棉被", quantity=3)
    response = claim(client, organizer, need.id, offer_id=offer.id)
    assert response.status_code == 409 and error_code(response) == "capacity_exhausted"
    assert db.session.get(Need, need.id).status == "open"


def test_a_sliver_of_a_need_is_not_a_whole_claim_gets_422(client, organizer, household, org):
    """Issue 18.4: quantity 0.01 on a need of 2 let a one-unit offer claim all of it."""
    offer = make_offer(org, kind="goods", capacity=1)
    need = make_need(household, kind="goods", category="daily_life", title="棉被", quantity=2)
    response = claim(client, organizer, need.id, offer_id=offer.id, quantity=0.01)
    assert response.status_code == 422 and "quantity" in response.get_json()["error"]["fields"]
    funds = make_offer(org, kind="funds", capacity=100, amount_yuan=Decimal("100"))
    fees = make_need(household, kind="funds", category="study", title="学费",
                     amount_yuan=Decimal("3000"))
    response = claim(client, organizer, fees.id, offer_id=funds.id, amount_yuan=1)
    assert response.status_code == 422 and "amount_yuan" in response.get_json()["error"]["fields"]
    assert claim(client, organizer, fees.id, offer_id=funds.id).status_code == 409
    assert {db.session.get(Need, n.id).status for n in (need, fees)} == {"open"}
    assert [db.session.get(Offer, o.id).capacity_used for o in (offer, funds)] == [0, 0]


@pytest.mark.parametrize("app_config", [{"ORG_OPEN_CLAIMS": 2}])
def test_an_organization_over_its_open_claims_gets_409_without_a_team(client, organizer,
                                                                      household):
    """Issue 18.13: without team_id no limit held at all."""
    for _ in range(2):
        assert claim(client, organizer, make_need(household).id).status_code == 200
    response = claim(client, organizer, make_need(household).id)
    assert response.status_code == 409 and error_code(response) == "too_many_claims"


@pytest.mark.parametrize("app_config", [{"TEAM_OPEN_CLAIMS": 2}])
def test_a_team_over_its_open_claims_gets_409_too_many_claims(client, organizer, household, org,
                                                              village):
    team = make_team(org, village)
    for _ in range(2):
        assert claim(client, organizer, make_need(household).id,
                     team_id=team.id).status_code == 200
    response = claim(client, organizer, make_need(household).id, team_id=team.id)
    assert response.status_code == 409 and error_code(response) == "too_many_claims"


def test_bad_claim_fields_get_422(client, organizer, household):
    need = make_need(household)
    response = claim(client, organizer, need.id, quantity=-1)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"quantity": "数量须大于0"}


def test_a_body_that_is_not_an_object_gets_400(client, organizer, household):
    need = make_need(household)
    response = client.post(f"/api/v1/needs/{need.id}/claim", data="[1]",
                           content_type="application/json", headers=organizer)
    assert response.status_code == 400


def test_a_cadre_may_not_claim(client, bearer, household):
    need = make_need(household)
    assert claim(client, bearer("cadre"), need.id).status_code == 403


def test_an_organizer_without_an_organization_gets_403(client, bearer, household):
    need = make_need(household)
    response = claim(client, bearer("organizer"), need.id)
    assert response.status_code == 403 and "登记本组织" in response.get_json()["error"]["message"]


def test_an_unknown_need_gets_404(client, organizer):
    assert claim(client, organizer, 999999).status_code == 404


def test_joint_pledges_cover_a_wheelchair(client, bearer, organizer, household, village):
    need = make_need(household, kind="goods", category="health", title="轮椅一台",
                     amount_yuan=Decimal("3000"))
    first = client.post(f"/api/v1/needs/{need.id}/pledge", json={"amount_yuan": 1800},
                        headers=organizer)
    assert first.status_code == 200
    assert first.get_json()["status"] == "open" and first.get_json()["still_needed"] == 1200
    second_org = organizer_headers(bearer, make_org(village, "井冈山茶业合作社"))
    over = client.post(f"/api/v1/needs/{need.id}/pledge", json={"amount_yuan": 1500},
                       headers=second_org)
    assert over.status_code == 409 and error_code(over) == "over_pledged"
    assert "尚需1200元" in over.get_json()["error"]["message"]
    last = client.post(f"/api/v1/needs/{need.id}/pledge", json={"amount_yuan": 1200},
                       headers=second_org)
    assert last.get_json()["status"] == "claimed" and last.get_json()["still_needed"] == 0


def test_a_pledge_without_quantity_or_amount_gets_422(client, organizer, household):
    need = make_need(household, kind="goods", category="health", amount_yuan=Decimal("3000"))
    response = client.post(f"/api/v1/needs/{need.id}/pledge", json={}, headers=organizer)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["amount_yuan"] == "请填写认捐数量或金额"


def test_the_holder_releases_a_claim_and_the_offer_gets_its_capacity_back(
        client, organizer, household, org):
    offer = make_offer(org, capacity=3)
    need = make_need(household)
    claim_id = claim(client, organizer, need.id, offer_id=offer.id).get_json()["claim_id"]
    assert db.session.get(Offer, offer.id).capacity_used == 1
    response = client.post(f"/api/v1/claims/{claim_id}/release", json={"reason": "时间冲突"},
                           headers=organizer)
    assert response.status_code == 200
    assert response.get_json()["status"] == "released"
    assert response.get_json()["close_reason"] == "时间冲突"
    assert db.session.get(Need, need.id).status == "open"
    assert db.session.get(Offer, offer.id).capacity_used == 0


def test_a_release_needs_a_reason(client, organizer, household):
    claim_id = claim(client, organizer, make_need(household).id).get_json()["claim_id"]
    response = client.post(f"/api/v1/claims/{claim_id}/release", json={}, headers=organizer)
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]


def test_another_organization_cannot_release_my_claim(client, bearer, organizer, household,
                                                      village):
    claim_id = claim(client, organizer, make_need(household).id).get_json()["claim_id"]
    rival = organizer_headers(bearer, make_org(village, "井冈山茶业合作社"))
    response = client.post(f"/api/v1/claims/{claim_id}/release", json={"reason": "不要了"},
                           headers=rival)
    assert response.status_code == 404
    assert db.session.get(Claim, claim_id).status == "active"


def test_an_organizer_lists_only_its_organizations_claims(client, bearer, organizer, household,
                                                          village):
    mine = claim(client, organizer, make_need(household).id).get_json()["claim_id"]
    rival = organizer_headers(bearer, make_org(village, "井冈山茶业合作社"))
    claim(client, rival, make_need(household).id)
    body = client.get("/api/v1/claims?status=active", headers=organizer).get_json()
    assert [item["id"] for item in body["items"]] == [mine] and body["total"] == 1
    assert body["items"][0]["need_title"] == "周末课业辅导"
    assert client.get("/api/v1/claims?status=released", headers=organizer).get_json()[
        "total"] == 0
    assert client.get("/api/v1/claims?status=lost", headers=organizer).status_code == 422


def test_claim_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/needs/{need_id}/claim", "/api/v1/needs/{need_id}/pledge",
            "/api/v1/claims/{claim_id}/release", "/api/v1/claims"} <= set(paths)


def _locked() -> OperationalError:
    return OperationalError("UPDATE needs SET status=?", {}, sqlite3.OperationalError(
        "database is locked"))


def test_a_locked_database_answers_the_api_with_503_and_retry_after(app):
    with app.test_request_context("/api/v1/needs/1/claim", method="POST"):
        response = handle_operational_error(_locked())
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert response.get_json()["error"]["code"] == "database_busy"
    assert "稍后重试" in response.get_json()["error"]["message"]


def test_a_locked_database_answers_a_page_with_503(app):
    with app.test_request_context("/organizer/needs/1/claim", method="POST"):
        response = handle_operational_error(_locked())
        assert response.status_code == 503 and response.headers["Retry-After"] == "2"
        assert "稍后重试" in response.get_data(as_text=True)


def test_other_operational_errors_stay_internal_errors(app):
    other = OperationalError("SELECT 1", {}, sqlite3.OperationalError("no such table: needs"))
    with app.test_request_context("/api/v1/claims"):
        response = handle_operational_error(other)
    assert response.status_code == 500 and "Retry-After" not in response.headers


# the organizer's pages


def login_organizer(login_as, org) -> User:
    user = login_as("organizer")
    user.organization_id = org.id
    db.session.commit()
    return user


def test_browse_needs_shows_open_needs_without_personal_data(client, login_as, org, household):
    login_organizer(login_as, org)
    make_need(household, kind="wish", category="study", title="一个新书包",
              member_id=household.members[1].id, amount_yuan=Decimal("120"))
    make_need(household, title="已被认领的辅导", status="claimed")
    page = client.get("/organizer/needs").get_data(as_text=True)
    assert "一个新书包" in page and "五陂村" in page and "小学" in page and "120元" in page
    assert "已被认领的辅导" not in page
    assert "刘长根" not in page and "刘小燕" not in page and household.code not in page


def test_browse_needs_filters_by_kind(client, login_as, org, household):
    login_organizer(login_as, org)
    make_need(household, title="周末课业辅导")
    make_need(household, kind="goods", category="daily_life", title="过冬棉被")
    page = client.get("/organizer/needs?kind=goods").get_data(as_text=True)
    assert "过冬棉被" in page and "周末课业辅导" not in page


def test_browse_needs_offers_only_my_open_offers_that_fit(client, login_as, org, household,
                                                         village):
    login_organizer(login_as, org)
    make_need(household)
    make_offer(org, title="大学生暑期支教")
    make_offer(org, kind="goods", title="爱心棉被")
    make_offer(make_org(village, "井冈山茶业合作社"), title="别家的支教")
    page = client.get("/organizer/needs").get_data(as_text=True)
    assert "大学生暑期支教" in page
    assert "爱心棉被" not in page and "别家的支教" not in page


def test_claiming_from_the_page_says_the_due_date_and_keeps_the_filters(client, login_as, org,
                                                                       household):
    login_organizer(login_as, org)
    offer = make_offer(org, title="大学生暑期支教", capacity=4)
    need = make_need(household)
    response = client.post(f"/organizer/needs/{need.id}/claim?kind=service&category=tutoring",
                           data={"offer_id": offer.id})
    assert response.location.endswith("/organizer/needs?status=open&kind=service&category=tutoring")
    page = client.get(response.location).get_data(as_text=True)
    row = db.session.scalar(select(Claim).where(Claim.need_id == need.id))
    assert "认领成功" in page and row.due_at.strftime("%Y-%m-%d") in page
    assert "待记录" in client.get("/organizer/").get_data(as_text=True)
    assert row.offer_id == offer.id and db.session.get(Offer, offer.id).capacity_used == 1


def test_a_page_claim_of_a_taken_need_says_so(client, login_as, org, household):
    login_organizer(login_as, org)
    need = make_need(household, status="claimed")
    response = client.post(f"/organizer/needs/{need.id}/claim", data={}, follow_redirects=True)
    assert "该需求已被认领" in response.get_data(as_text=True)


def test_the_workbench_lists_offers_with_capacity_left_and_active_claims(client, login_as, org,
                                                                         household):
    user = login_organizer(login_as, org)
    make_offer(org, title="大学生暑期支教", capacity=4)
    make_offer(org, title="已用完的义诊", capacity=1, status="exhausted")
    need = make_need(household)
    db.session.add(Claim(need_id=need.id, organization_id=org.id, claimed_by_id=user.id,
                         claimed_at=need.created_at, due_at=need.created_at + timedelta(days=30)))
    db.session.commit()
    page = client.get("/organizer/").get_data(as_text=True)
    assert "大学生暑期支教" in page and "已用完的义诊" not in page
    assert "周末课业辅导" in page and "待记录" in page
    assert (need.created_at + timedelta(days=30)).strftime("%Y-%m-%d") in page


def test_releasing_from_the_workbench_reopens_the_need(client, login_as, org, household):
    login_organizer(login_as, org)
    need = make_need(household)
    client.post(f"/organizer/needs/{need.id}/claim", data={})
    claim_id = db.session.scalar(select(Claim.id).where(Claim.need_id == need.id))
    response = client.post(f"/organizer/claims/{claim_id}/release", data={"reason": "人手不足"},
                           follow_redirects=True)
    assert "已释放认领" in response.get_data(as_text=True)
    assert db.session.get(Need, need.id).status == "open"


def test_the_organizer_pages_are_for_organizers(client, login_as):
    login_as("cadre")
    assert client.get("/organizer/needs").status_code == 403
    assert client.get("/organizer/").status_code == 403
