"""Offers through the API: each kind's capacity, location, listing, editing and closing."""
import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Offer, Region
from matchmaker.services.market import offers
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE


def make_org(client, headers, name="萍乡市星火公益服务中心"):
    org = client.post("/api/v1/organizations", headers=headers, json={
        "name": name, "kind": "social_org", "region_code": TOWNSHIP}).get_json()
    branch = client.post(f"/api/v1/organizations/{org['id']}/branches", headers=headers, json={
        "name": "党支部", "level": "branch", "formation": "standalone"}).get_json()
    team = client.post("/api/v1/teams", headers=headers, json={
        "branch_id": branch["id"], "name": "助学服务队", "categories": ["tutoring"],
        "region_code": VILLAGE, "lat": 27.6, "lon": 113.9, "radius_km": 25}).get_json()
    return org, team


@pytest.fixture
def organizer(client, bearer):
    headers = bearer("organizer")
    org, team = make_org(client, headers)
    return headers, org, team


def post(client, headers, **body):
    return client.post("/api/v1/offers", headers=headers, json=body)


TUTORING = {"kind": "service", "category": "tutoring", "title": "周末课业辅导",
            "quantity": 20, "unit": "户"}


@pytest.mark.parametrize("body, capacity", [
    (TUTORING, 20.0),
    ({"kind": "goods", "category": "daily_life", "title": "大米", "quantity": 1000,
      "unit": "斤"}, 1000.0),
    ({"kind": "funds", "category": "study", "title": "助学金", "amount_yuan": 30000}, 30000.0),
    ({"kind": "job", "category": "factory", "title": "普工", "openings": 30,
      "wage_yuan_month": 4200}, 30.0),
    ({"kind": "purchase", "category": "agriculture", "title": "收购白萝卜", "quantity": 2300,
      "unit": "斤"}, 2300.0),
    ({"kind": "wish_adoption", "category": "study", "title": "认领学习类微心愿",
      "quantity": 30, "per_wish_cap_yuan": 500}, 30.0),
])
def test_each_kind_takes_its_capacity_from_its_own_field(client, organizer, body, capacity):
    headers, org, _ = organizer
    response = post(client, headers, **body)
    assert response.status_code == 201, response.get_json()
    offer = response.get_json()
    assert (offer["capacity"], offer["capacity_used"], offer["capacity_left"]) == (
        capacity, 0.0, capacity)
    assert offer["status"] == "open" and offer["organization_id"] == org["id"]


@pytest.mark.parametrize("body, field", [
    ({"kind": "service", "category": "tutoring", "title": "辅导"}, "quantity"),
    ({"kind": "goods", "category": "daily_life", "title": "大米", "quantity": 0}, "quantity"),
    ({"kind": "funds", "category": "study", "title": "助学金", "quantity": 5}, "amount_yuan"),
    ({"kind": "job", "category": "factory", "title": "普工", "quantity": 5}, "openings"),
    ({"kind": "purchase", "category": "agriculture", "title": "收购"}, "quantity"),
    ({"kind": "wish_adoption", "category": "study", "title": "认领"}, "quantity"),
])
def test_a_kind_without_its_capacity_gets_422_naming_the_field(client, organizer, body, field):
    response = post(client, organizer[0], **body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_a_category_of_another_kind_gets_422(client, organizer):
    response = post(client, organizer[0], **{**TUTORING, "category": "factory"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["category"].startswith("类别须为:课业辅导")


def test_dates_out_of_order_get_422(client, organizer):
    response = post(client, organizer[0], **TUTORING, available_from="2026-12-01",
                    available_until="2026-11-01")
    assert response.get_json()["error"]["fields"] == {
        "available_until": "截止日期不能早于开始日期"}


def test_an_offer_of_a_team_is_placed_at_the_teams_base(client, organizer):
    headers, _, team = organizer
    offer = post(client, headers, **TUTORING, team_id=team["id"]).get_json()
    assert (offer["lat"], offer["lon"], offer["radius_km"]) == (27.6, 113.9, 25)
    assert offer["region_code"] == VILLAGE and offer["team_id"] == team["id"]


def test_an_offer_with_a_region_is_placed_at_the_region(client, organizer):
    headers, _, team = organizer
    offer = post(client, headers, **TUTORING, team_id=team["id"], region_code=OTHER_VILLAGE,
                 radius_km=8).get_json()
    other = db.session.scalar(select(Region).where(Region.code == OTHER_VILLAGE))
    assert (offer["lat"], offer["lon"], offer["radius_km"]) == (other.lat, other.lon, 8)


def test_an_offer_without_team_or_region_is_placed_at_the_organization(client, organizer):
    offer = post(client, organizer[0], **TUTORING).get_json()
    assert offer["region_code"] == TOWNSHIP


def test_another_organizations_team_gets_422_on_the_field_as_claims_and_records_do(
        client, organizer, bearer):
    """One own-team guard (issue 17): a team_id in the body is bad input, not a missing page."""
    stranger = bearer("organizer")
    make_org(client, stranger, name="永利集团")
    response = post(client, stranger, **TUTORING, team_id=organizer[2]["id"])
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"team_id": "找不到本组织的这支志愿服务队"}
    assert client.get("/api/v1/offers", headers=stranger).get_json()["items"] == []


def test_an_organizer_without_an_organization_gets_403(client, bearer):
    response = post(client, bearer("organizer"), **TUTORING)
    assert response.status_code == 403
    assert "登记本组织" in response.get_json()["error"]["message"]


def test_organizers_list_their_own_offers_and_admins_all(client, organizer, bearer):
    headers = organizer[0]
    post(client, headers, **TUTORING)
    post(client, headers, kind="job", category="factory", title="普工", openings=3)
    stranger = bearer("organizer")
    make_org(client, stranger, name="永利集团")
    post(client, stranger, kind="job", category="factory", title="装配工", openings=5)
    mine = client.get("/api/v1/offers", headers=headers).get_json()
    assert mine["total"] == 2 and {o["title"] for o in mine["items"]} == {"周末课业辅导", "普工"}
    jobs = client.get("/api/v1/offers?kind=job", headers=headers).get_json()
    assert [o["title"] for o in jobs["items"]] == ["普工"]
    everything = client.get("/api/v1/offers?per_page=1", headers=bearer("admin")).get_json()
    assert (everything["total"], everything["per_page"], len(everything["items"])) == (3, 1, 1)


def test_a_bad_list_filter_gets_400(client, organizer):
    response = client.get("/api/v1/offers?status=sold", headers=organizer[0])
    assert response.status_code == 400
    assert client.get("/api/v1/offers?page=0", headers=organizer[0]).status_code == 400


def test_another_organizations_offer_is_404_to_read_edit_and_close(client, organizer, bearer):
    offer = post(client, organizer[0], **TUTORING).get_json()
    stranger = bearer("organizer")
    make_org(client, stranger, name="永利集团")
    url = f"/api/v1/offers/{offer['id']}"
    assert client.get(url, headers=stranger).status_code == 404
    assert client.patch(url, headers=stranger, json={"title": "x"}).status_code == 404
    assert client.post(url + "/close", headers=stranger).status_code == 404
    assert client.get(url, headers=organizer[0]).get_json()["title"] == "周末课业辅导"


def test_patch_changes_only_the_given_fields_and_recomputes_capacity(client, organizer):
    headers, _, team = organizer
    offer = post(client, headers, **TUTORING, team_id=team["id"]).get_json()
    response = client.patch(f"/api/v1/offers/{offer['id']}", headers=headers,
                            json={"quantity": 35, "title": "周末及假期课业辅导"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["title"], body["capacity"], body["unit"]) == ("周末及假期课业辅导", 35.0, "户")
    assert (body["team_id"], body["lat"]) == (team["id"], 27.6)


def test_capacity_may_not_drop_below_what_is_used(client, organizer):
    headers = organizer[0]
    offer = post(client, headers, **TUTORING).get_json()
    offers.use_capacity(offer["id"], 12)
    response = client.patch(f"/api/v1/offers/{offer['id']}", headers=headers,
                            json={"quantity": 10})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"quantity": "不能少于已使用的12"}
    assert db.session.get(Offer, offer["id"]).capacity == 20


def test_lowering_capacity_to_what_is_used_exhausts_and_raising_it_reopens(client, organizer):
    headers = organizer[0]
    offer = post(client, headers, **TUTORING).get_json()
    offers.use_capacity(offer["id"], 12)
    url = f"/api/v1/offers/{offer['id']}"
    lowered = client.patch(url, headers=headers, json={"quantity": 12}).get_json()
    assert (lowered["status"], lowered["capacity_left"]) == ("exhausted", 0.0)
    raised = client.patch(url, headers=headers, json={"quantity": 15}).get_json()
    assert (raised["status"], raised["capacity_left"]) == ("open", 3.0)


def test_the_kind_of_an_offer_cannot_be_changed(client, organizer):
    offer = post(client, organizer[0], **TUTORING).get_json()
    response = client.patch(f"/api/v1/offers/{offer['id']}", headers=organizer[0],
                            json={"kind": "job", "category": "factory", "openings": 3})
    assert response.status_code == 422 and "kind" in response.get_json()["error"]["fields"]


def test_close_moves_open_to_closed_and_a_second_close_gets_409(client, organizer):
    headers = organizer[0]
    offer = post(client, headers, **TUTORING).get_json()
    url = f"/api/v1/offers/{offer['id']}/close"
    first = client.post(url, headers=headers)
    assert first.status_code == 200 and first.get_json()["status"] == "closed"
    second = client.post(url, headers=headers)
    assert second.status_code == 409
    assert second.get_json()["error"]["code"] == "invalid_transition"
    edit = client.patch(f"/api/v1/offers/{offer['id']}", headers=headers, json={"quantity": 5})
    assert edit.status_code == 409


def test_an_admin_may_close_any_offer_and_it_is_audited(client, organizer, bearer):
    offer = post(client, organizer[0], **TUTORING).get_json()
    assert client.post(f"/api/v1/offers/{offer['id']}/close",
                       headers=bearer("admin")).status_code == 200
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "offers", AuditEvent.object_id == offer["id"])
        .order_by(AuditEvent.id)).all()
    assert actions == ["offer.create", "offer.close"]


def test_cadres_may_not_post_or_list_offers(client, bearer):
    cadre = bearer("cadre", region=VILLAGE)
    assert post(client, cadre, **TUTORING).status_code == 403
    assert client.get("/api/v1/offers", headers=cadre).status_code == 403
    assert client.get("/api/v1/offers").status_code == 401
