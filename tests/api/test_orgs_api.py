"""Organizations, branches, teams and volunteers through the API: binding, codes, ownership."""
import pytest
from sqlalchemy import select

from matchmaker import privacy
from matchmaker.extensions import db
from matchmaker.models import AuditEvent, Organization, Region, User, Volunteer
from tests.conftest import TOWNSHIP, VILLAGE

VALID_CODE = "91350100M000100Y43"
LANTERN = {"name": "萍乡市星火公益服务中心", "kind": "social_org", "region_code": TOWNSHIP,
           "credit_code": "52360302MJ4C55287D", "address": "安源区五陂镇"}


@pytest.fixture
def organizer(bearer):
    return bearer("organizer")


def register(client, headers, **overrides):
    return client.post("/api/v1/organizations", json={**LANTERN, **overrides}, headers=headers)


def setup_team(client, headers, **team):
    org = register(client, headers).get_json()
    branch = client.post(f"/api/v1/organizations/{org['id']}/branches", headers=headers, json={
        "name": "星火公益服务中心党支部", "level": "branch", "formation": "standalone"}).get_json()
    body = {"branch_id": branch["id"], "name": "星火助学服务队", "categories": ["tutoring"],
            "region_code": VILLAGE, "radius_km": 20, **team}
    response = client.post("/api/v1/teams", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return org, branch, response.get_json()


def test_first_registration_binds_the_organizer_and_a_second_gets_409(client, organizer):
    response = register(client, organizer)
    assert response.status_code == 201
    body = response.get_json()
    assert body["name"] == "萍乡市星火公益服务中心" and body["region_code"] == TOWNSHIP
    user = db.session.scalar(select(User).where(User.role == "organizer"))
    assert user.organization_id == body["id"]
    second = register(client, organizer, name="另一家公司", credit_code=VALID_CODE)
    assert second.status_code == 409
    assert "一个组织" in second.get_json()["error"]["message"]
    assert db.session.scalar(select(Organization).where(Organization.name == "另一家公司")) is None


def test_an_admin_registers_organizations_without_being_bound(client, bearer):
    admin = bearer("admin")
    assert register(client, admin).status_code == 201
    assert register(client, admin, name="永利集团", credit_code=VALID_CODE).status_code == 201
    assert db.session.scalar(select(User).where(User.role == "admin")).organization_id is None


def test_a_credit_code_with_a_wrong_check_character_gets_422_in_chinese(client, organizer):
    response = register(client, organizer, credit_code="52360302MJ4C55287E")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["credit_code"] == "统一社会信用代码校验位不正确,请核对"


def test_a_credit_code_of_the_wrong_length_gets_422(client, organizer):
    response = register(client, organizer, credit_code="5236030")
    assert response.get_json()["error"]["fields"]["credit_code"] == "统一社会信用代码应为18位"


def test_a_full_width_lower_case_credit_code_is_folded_before_the_check(client, organizer):
    response = register(client, organizer, credit_code=" ９１３５０１００m０００１００y４３ ")
    assert response.status_code == 201
    assert response.get_json()["credit_code"] == VALID_CODE


def test_a_credit_code_already_registered_gets_409(client, bearer):
    assert register(client, bearer("organizer")).status_code == 201
    response = register(client, bearer("organizer"), name="另一家公司")
    assert response.status_code == 409
    assert response.get_json()["error"]["fields"]["credit_code"] == "该统一社会信用代码已被其他组织登记"


def test_an_unknown_region_and_kind_get_422(client, organizer):
    response = register(client, organizer, region_code="999999999999", kind="company")
    fields = response.get_json()["error"]["fields"]
    assert response.status_code == 422 and "kind" in fields
    response = register(client, organizer, region_code="999999999999")
    assert response.get_json()["error"]["fields"] == {"region_code": "找不到区划代码 999999999999"}


def test_an_organization_is_seen_by_its_organizer_and_admins_only(client, organizer, bearer):
    org = register(client, organizer).get_json()
    assert client.get(f"/api/v1/organizations/{org['id']}", headers=organizer).status_code == 200
    assert client.get(f"/api/v1/organizations/{org['id']}",
                      headers=bearer("admin")).get_json()["name"] == LANTERN["name"]
    assert client.get(f"/api/v1/organizations/{org['id']}",
                      headers=bearer("organizer")).status_code == 404
    assert client.get(f"/api/v1/organizations/{org['id']}",
                      headers=bearer("cadre", region=VILLAGE)).status_code == 403


def test_a_branch_is_added_to_the_own_organization_only(client, organizer, bearer):
    org = register(client, organizer).get_json()
    body = {"name": "星火党支部", "level": "general_branch", "formation": "joint"}
    response = client.post(f"/api/v1/organizations/{org['id']}/branches", json=body,
                           headers=organizer)
    assert response.status_code == 201
    assert response.get_json()["level"] == "general_branch"
    assert client.post(f"/api/v1/organizations/{org['id']}/branches", json=body,
                       headers=bearer("organizer")).status_code == 404
    again = client.post(f"/api/v1/organizations/{org['id']}/branches", json=body,
                        headers=organizer)
    assert again.status_code == 409
    listed = client.get(f"/api/v1/organizations/{org['id']}/branches", headers=organizer)
    assert [b["name"] for b in listed.get_json()["items"]] == ["星火党支部"]


def test_a_branch_level_outside_the_vocabulary_gets_422(client, organizer):
    org = register(client, organizer).get_json()
    response = client.post(f"/api/v1/organizations/{org['id']}/branches", headers=organizer,
                           json={"name": "星火党支部", "level": "cell", "formation": "standalone"})
    assert response.status_code == 422 and "level" in response.get_json()["error"]["fields"]


def test_a_team_without_coordinates_is_based_at_its_region(client, organizer):
    _, _, team = setup_team(client, organizer)
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    assert (team["lat"], team["lon"]) == (village.lat, village.lon)
    assert team["categories"] == ["tutoring"] and team["radius_km"] == 20


def test_a_team_with_coordinates_is_based_there(client, organizer):
    _, _, team = setup_team(client, organizer, lat=27.61, lon=113.85)
    assert (team["lat"], team["lon"]) == (27.61, 113.85)


def test_a_team_category_outside_the_vocabulary_gets_422(client, organizer):
    org = register(client, organizer).get_json()
    branch = client.post(f"/api/v1/organizations/{org['id']}/branches", headers=organizer, json={
        "name": "党支部", "level": "branch", "formation": "standalone"}).get_json()
    response = client.post("/api/v1/teams", headers=organizer, json={
        "branch_id": branch["id"], "name": "队", "categories": ["tutoring", "karaoke"],
        "region_code": VILLAGE, "radius_km": 5})
    assert response.status_code == 422
    assert "karaoke" in response.get_json()["error"]["fields"]["categories"]


def test_a_team_under_another_organizations_branch_gets_404(client, organizer, bearer):
    _, branch, _ = setup_team(client, organizer)
    response = client.post("/api/v1/teams", headers=bearer("organizer"), json={
        "branch_id": branch["id"], "name": "冒名服务队", "categories": ["repair"],
        "region_code": VILLAGE, "radius_km": 5})
    assert response.status_code == 404


def test_a_volunteer_phone_is_stored_encrypted_and_answered_masked(client, organizer):
    _, _, team = setup_team(client, organizer)
    response = client.post(f"/api/v1/teams/{team['id']}/volunteers", headers=organizer, json={
        "name": "钟雅婷", "phone": "139 0000 2001", "is_party_member": True,
        "skills": ["数学辅导", "心理疏导"]})
    assert response.status_code == 201
    body = response.get_json()
    assert body["phone_masked"] == "139****2001" and body["is_party_member"] is True
    assert body["skills"] == ["数学辅导", "心理疏导"]
    volunteer = db.session.get(Volunteer, body["id"])
    assert "13900002001" not in volunteer.phone_encrypted
    assert privacy.decrypt(volunteer.phone_encrypted) == "13900002001"
    assert volunteer.phone_hash == privacy.keyed_hash("phone", "13900002001")


def test_volunteer_lists_carry_no_phone(client, organizer):
    _, _, team = setup_team(client, organizer)
    client.post(f"/api/v1/teams/{team['id']}/volunteers", headers=organizer, json={
        "name": "钟雅婷", "phone": "13900002001", "is_party_member": False, "skills": []})
    listed = client.get(f"/api/v1/teams/{team['id']}/volunteers", headers=organizer).get_json()
    assert listed["total"] == 1 and listed["items"][0]["is_party_member"] is False
    assert "phone" not in str(listed) and "2001" not in str(listed)


def test_a_bad_phone_gets_422_and_a_repeated_phone_in_a_team_gets_409(client, organizer):
    _, _, team = setup_team(client, organizer)
    url = f"/api/v1/teams/{team['id']}/volunteers"
    bad = client.post(url, headers=organizer, json={"name": "甲", "phone": "12345",
                                                   "is_party_member": True})
    assert bad.status_code == 422
    assert bad.get_json()["error"]["fields"]["phone"] == "请填写11位手机号码或带区号的固定电话"
    body = {"name": "乙", "phone": "13900002001", "is_party_member": True}
    assert client.post(url, headers=organizer, json=body).status_code == 201
    assert client.post(url, headers=organizer, json=body).status_code == 409


def test_other_organizers_see_neither_the_teams_nor_the_volunteers(client, organizer, bearer):
    _, _, team = setup_team(client, organizer)
    stranger = bearer("organizer")
    assert client.get(f"/api/v1/teams/{team['id']}", headers=stranger).status_code == 404
    assert client.get(f"/api/v1/teams/{team['id']}/volunteers",
                      headers=stranger).status_code == 404
    assert client.post(f"/api/v1/teams/{team['id']}/volunteers", headers=stranger, json={
        "name": "甲", "is_party_member": True}).status_code == 404
    assert client.get("/api/v1/teams", headers=stranger).get_json()["total"] == 0
    assert [t["name"] for t in client.get("/api/v1/teams", headers=organizer)
            .get_json()["items"]] == ["星火助学服务队"]


def test_registrations_are_audited_without_personal_values(client, organizer):
    _, _, team = setup_team(client, organizer)
    client.post(f"/api/v1/teams/{team['id']}/volunteers", headers=organizer, json={
        "name": "钟雅婷", "phone": "13900002001", "is_party_member": True})
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    actions = [e.action for e in events if e.action.split(".")[0] in
               ("organization", "branch", "team", "volunteer")]
    assert actions == ["organization.create", "branch.create", "team.create", "volunteer.create"]
    assert "13900002001" not in str([e.details for e in events])
    assert "钟雅婷" not in str([e.details for e in events])
