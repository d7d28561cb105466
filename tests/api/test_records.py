"""Activities and their hours: the rules of a real day, corrections apart, and verification."""
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    Activity, ActivityHours, AuditEvent, Claim, Need, Notification, Organization, Region, Team,
    User, Volunteer,
)
from tests.api.market import add_volunteers, make_org, make_team
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE, valid_id_number

DAY = date.today() - timedelta(days=2)


# -- builders (shared with the other test_records_* modules) ------------------------------------

def region(code: str) -> Region:
    return db.session.scalar(select(Region).where(Region.code == code))


def make_org_team(name: str, village: Region, volunteers: int = 2) -> SimpleNamespace:
    org = make_org(village, name)
    team = make_team(org, village)
    return SimpleNamespace(org=org, team=team, volunteers=add_volunteers(team, volunteers))


def headers_of(bearer, role: str, **kwargs) -> tuple[dict, User]:
    headers = bearer(role, **kwargs)
    return headers, db.session.scalars(select(User).order_by(User.id.desc())).first()


def organizer_of(bearer, org: Organization) -> dict:
    headers, user = headers_of(bearer, "organizer")
    user.organization_id = org.id
    db.session.commit()
    return headers


def build_world(bearer, make_household) -> SimpleNamespace:
    """Two organizations with teams and volunteers, households in two villages, the users."""
    village, other_village = region(VILLAGE), region(OTHER_VILLAGE)
    ours = make_org_team("赣鄱建材有限公司", village)
    theirs = make_org_team("井冈山茶业合作社", village, volunteers=1)
    home = make_household(head_name="刘长根", members=[
        {"name": "刘小燕", "relation": "child", "id_number": valid_id_number("20160909", 301)}])
    away = make_household(village=OTHER_VILLAGE, head_name="王立新")
    return SimpleNamespace(
        village=village, other_village=other_village, ours=ours, theirs=theirs, home=home,
        away=away, organizer=organizer_of(bearer, ours.org),
        rival=organizer_of(bearer, theirs.org), cadre=bearer("cadre"),
        other_cadre=bearer("cadre", region=OTHER_VILLAGE),
        township_cadre=bearer("cadre", region=TOWNSHIP))


@pytest.fixture
def world(app, bearer, make_household):
    return build_world(bearer, make_household)


def activity_body(world, **overrides) -> dict:
    body = {"team_id": world.ours.team.id, "date": DAY.isoformat(), "title": "周末课业辅导",
            "category": "tutoring", "village_code": VILLAGE,
            "hours": [{"volunteer_id": world.ours.volunteers[0].id, "hours": 3}],
            "beneficiary_member_ids": [world.home.members[1].id], "extra_beneficiaries": 2}
    return {**body, **overrides}


def post_activity(client, world, headers=None, **overrides):
    return client.post("/api/v1/activities", json=activity_body(world, **overrides),
                       headers=headers or world.organizer)


def fields(response) -> dict:
    return response.get_json()["error"]["fields"]


def actions(table: str, record_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == table, AuditEvent.object_id == record_id)
        .order_by(AuditEvent.id)))


def verify(client, headers, path: str):
    return client.post(f"/api/v1/{path}/verify", headers=headers)


# -- posting an activity ------------------------------------------------------------------------

def test_an_organizer_records_an_activity_that_waits_for_verification(client, world):
    response = post_activity(client, world, start_time="09:00", end_time="12:00")
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "pending" and body["kind"] == "activity"
    assert body["village_code"] == VILLAGE and body["late_entry"] is False
    assert body["start_time"] == "09:00" and body["end_time"] == "12:00"
    assert body["beneficiary_member_ids"] == [world.home.members[1].id]
    assert [line["hours"] for line in body["hours"]] == [3.0] and body["corrections"] == []
    assert body["recorded_hours"] == 3.0 and body["total_hours"] == 3.0
    activity = db.session.get(Activity, body["id"])
    assert activity.organization_id == world.ours.org.id and activity.hours[0].date == DAY
    assert actions("activities", activity.id) == ["activity.create"]


def test_an_activity_dated_tomorrow_gets_422(client, world):
    response = post_activity(client, world, date=(date.today() + timedelta(days=1)).isoformat())
    assert response.status_code == 422
    assert fields(response) == {"date": "日期不能晚于今天:只能记录已经发生的帮扶"}


@pytest.mark.parametrize("hours", [0, -1, 25])
def test_hours_must_be_more_than_zero_and_at_most_a_day(client, world, hours):
    line = {"volunteer_id": world.ours.volunteers[0].id, "hours": hours}
    response = post_activity(client, world, hours=[line])
    assert response.status_code == 422
    assert fields(response) == {"hours[0].hours": "服务时长须大于0且不超过24小时"}


def test_an_activity_needs_hours_and_one_line_per_volunteer(client, world):
    assert fields(post_activity(client, world, hours=[])) == {
        "hours": "请填写至少一名志愿者的服务时长"}
    line = {"volunteer_id": world.ours.volunteers[0].id, "hours": 1}
    assert fields(post_activity(client, world, hours=[line, line])) == {
        "hours": "同一志愿者只能填写一行"}


def test_hours_longer_than_the_activity_get_422(client, world):
    response = post_activity(client, world, start_time="09:00", end_time="11:30")
    assert response.status_code == 422
    assert fields(response) == {"hours[0].hours": "超过活动时长:09:00至11:30共2.5小时"}


def test_times_must_be_given_together_and_in_order(client, world):
    assert fields(post_activity(client, world, start_time="09:00")) == {
        "end_time": "开始和结束时间须同时填写或同时留空"}
    assert fields(post_activity(client, world, start_time="12:00", end_time="09:00")) == {
        "end_time": "结束时间须晚于开始时间"}


def test_a_volunteer_has_at_most_24_hours_a_day_across_activities(client, world):
    volunteer = world.ours.volunteers[0].id
    first = post_activity(client, world, hours=[{"volunteer_id": volunteer, "hours": 20}])
    assert first.status_code == 201
    second = post_activity(client, world, title="敬老院打扫",
                           hours=[{"volunteer_id": world.ours.volunteers[1].id, "hours": 2},
                                  {"volunteer_id": volunteer, "hours": 4.5}])
    assert second.status_code == 422
    assert fields(second) == {
        "hours[1].hours": f"该志愿者{DAY.isoformat()}已记录20小时,一天合计不能超过24小时"}
    other_day = (DAY - timedelta(days=1)).isoformat()
    assert post_activity(client, world, date=other_day, hours=[
        {"volunteer_id": volunteer, "hours": 4.5}]).status_code == 201


def test_a_rejected_activity_no_longer_counts_toward_the_day(client, world):
    volunteer = world.ours.volunteers[0].id
    first = post_activity(client, world, hours=[{"volunteer_id": volunteer, "hours": 20}])
    rejected = client.post(f"/api/v1/activities/{first.get_json()['id']}/reject",
                           json={"reason": "当天无此活动"}, headers=world.cadre)
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"
    again = post_activity(client, world, hours=[{"volunteer_id": volunteer, "hours": 20}])
    assert again.status_code == 201


def test_hours_only_for_volunteers_of_the_own_organization(client, world):
    stranger = {"volunteer_id": world.theirs.volunteers[0].id, "hours": 2}
    response = post_activity(client, world, hours=[stranger])
    assert response.status_code == 422
    assert fields(response) == {"hours[0].volunteer_id": "找不到本组织的这名志愿者"}
    response = post_activity(client, world, team_id=world.theirs.team.id)
    assert fields(response) == {"team_id": "找不到本组织的这支志愿服务队"}
    assert db.session.scalar(select(ActivityHours.id)) is None


@pytest.mark.parametrize("role", ["admin", "cadre"])
def test_nobody_but_an_organizer_may_post_hours(client, bearer, world, role):
    response = post_activity(client, world, headers=bearer(role))
    assert response.status_code == 403
    assert db.session.scalar(select(Activity.id)) is None


def test_an_organizer_without_an_organization_may_not_post_hours(client, bearer, world):
    response = post_activity(client, world, headers=bearer("organizer"))
    assert response.status_code == 403


def test_beneficiaries_must_be_registered_in_the_activity_place(client, world):
    response = post_activity(client, world, beneficiary_member_ids=[world.away.members[0].id])
    assert response.status_code == 422
    assert fields(response)["beneficiary_member_ids"].startswith(
        f"编号 {world.away.members[0].id} 不是")


def test_a_township_wide_activity_may_help_people_of_its_villages(client, world):
    people = [world.home.members[1].id, world.away.members[0].id]
    response = post_activity(client, world, village_code=TOWNSHIP, category="job_fair",
                             beneficiary_member_ids=people)
    assert response.status_code == 201
    assert response.get_json()["beneficiary_member_ids"] == sorted(people)


def test_an_unknown_place_gets_422(client, world):
    response = post_activity(client, world, village_code="999999999999")
    assert fields(response) == {"village_code": "找不到区划代码 999999999999"}


@pytest.mark.parametrize("app_config", [{"RECORD_LATE_DAYS": 5}])
def test_an_activity_entered_long_after_the_event_is_flagged_late(client, world):
    late = post_activity(client, world, date=(date.today() - timedelta(days=6)).isoformat())
    on_time = post_activity(client, world, title="义诊",
                            date=(date.today() - timedelta(days=5)).isoformat())
    assert late.get_json()["late_entry"] is True
    assert on_time.get_json()["late_entry"] is False


# -- corrections --------------------------------------------------------------------------------

def correct(client, world, activity_id, lines, note="漏记了下午的时长", headers=None):
    return client.post(f"/api/v1/activities/{activity_id}/hours", json={
        "hours": lines, "note": note}, headers=headers or world.organizer)


def test_hours_added_later_are_corrections_shown_apart(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    late_volunteer = world.ours.volunteers[1].id
    response = correct(client, world, activity_id, [
        {"volunteer_id": world.ours.volunteers[0].id, "hours": 1.5},
        {"volunteer_id": late_volunteer, "hours": 2}])
    assert response.status_code == 201
    body = response.get_json()
    assert [line["hours"] for line in body["hours"]] == [3.0]
    assert [(c["volunteer_id"], c["hours"], c["note"]) for c in body["corrections"]] == [
        (world.ours.volunteers[0].id, 1.5, "漏记了下午的时长"), (late_volunteer, 2.0, "漏记了下午的时长")]
    assert (body["recorded_hours"], body["corrected_hours"], body["total_hours"]) == (3, 3.5, 6.5)
    lines = db.session.scalars(select(ActivityHours).order_by(ActivityHours.id)).all()
    assert [(line.hours, line.is_correction) for line in lines] == [(3, False), (1.5, True),
                                                                   (2, True)]


def test_a_correction_of_a_verified_activity_sends_it_back_to_pending(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    assert verify(client, world.cadre, f"activities/{activity_id}").status_code == 200
    response = correct(client, world, activity_id,
                       [{"volunteer_id": world.ours.volunteers[0].id, "hours": 1}])
    assert response.get_json()["status"] == "pending"
    assert actions("activities", activity_id)[-3:] == [
        "activity.verify", "activity.reopen", "activity.correct_hours"]


def test_corrections_obey_the_day_and_the_span(client, world):
    volunteer = world.ours.volunteers[0].id
    activity_id = post_activity(client, world, start_time="08:00",
                                end_time="12:00").get_json()["id"]
    response = correct(client, world, activity_id, [{"volunteer_id": volunteer, "hours": 1.5}])
    assert fields(response) == {"hours[0].hours": "超过活动时长:08:00至12:00共4小时"}
    post_activity(client, world, title="夜间巡逻", hours=[{"volunteer_id": volunteer, "hours": 20.5}])
    response = correct(client, world, activity_id, [{"volunteer_id": volunteer, "hours": 1}])
    assert response.status_code == 422 and "一天合计不能超过24小时" in fields(response)[
        "hours[0].hours"]


def test_a_correction_needs_a_reason_and_an_own_volunteer(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    line = {"volunteer_id": world.ours.volunteers[1].id, "hours": 1}
    assert fields(correct(client, world, activity_id, [line], note="")) == {
        "note": "请填写补录原因"}
    stranger = {"volunteer_id": world.theirs.volunteers[0].id, "hours": 1}
    assert fields(correct(client, world, activity_id, [stranger])) == {
        "hours[0].volunteer_id": "找不到本组织的这名志愿者"}


def test_nobody_else_adds_hours_to_an_activity(client, bearer, world):
    activity_id = post_activity(client, world).get_json()["id"]
    line = [{"volunteer_id": world.theirs.volunteers[0].id, "hours": 1}]
    assert correct(client, world, activity_id, line, headers=world.rival).status_code == 404
    assert correct(client, world, activity_id, line, headers=bearer("admin")).status_code == 403
    assert correct(client, world, activity_id, line, headers=world.cadre).status_code == 403


def test_a_rejected_activity_takes_no_corrections(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    client.post(f"/api/v1/activities/{activity_id}/reject", json={"reason": "重复记录"},
                headers=world.cadre)
    response = correct(client, world, activity_id,
                       [{"volunteer_id": world.ours.volunteers[0].id, "hours": 1}])
    assert response.status_code == 409


# -- changing -----------------------------------------------------------------------------------

def patch(client, world, activity_id, headers=None, **body):
    return client.patch(f"/api/v1/activities/{activity_id}", json=body,
                        headers=headers or world.organizer)


def test_a_verified_activity_changed_goes_back_to_pending(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    verify(client, world.cadre, f"activities/{activity_id}")
    response = patch(client, world, activity_id, title="周末课业辅导(数学)")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "pending" and body["title"] == "周末课业辅导(数学)"
    assert body["verified_at"] is None and body["recorded_hours"] == 3
    assert actions("activities", activity_id)[-2:] == ["activity.reopen", "activity.update"]


def test_an_unchanged_patch_keeps_the_verification(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    verify(client, world.cadre, f"activities/{activity_id}")
    response = patch(client, world, activity_id, title="周末课业辅导")
    assert response.get_json()["status"] == "verified"


def test_recorded_hours_cannot_be_patched(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    response = patch(client, world, activity_id, hours=[
        {"volunteer_id": world.ours.volunteers[0].id, "hours": 8}])
    assert response.status_code == 422 and "hours" in fields(response)
    assert db.session.scalar(select(ActivityHours.hours)) == 3


def test_moving_an_activity_moves_its_hours_and_checks_the_new_day(client, world):
    volunteer = world.ours.volunteers[0].id
    activity_id = post_activity(client, world).get_json()["id"]
    earlier = DAY - timedelta(days=3)
    post_activity(client, world, date=earlier.isoformat(), title="抢收",
                  hours=[{"volunteer_id": volunteer, "hours": 22}])
    response = patch(client, world, activity_id, date=earlier.isoformat())
    assert response.status_code == 422 and "一天合计不能超过24小时" in fields(response)["date"]
    moved = patch(client, world, activity_id, date=(DAY - timedelta(days=1)).isoformat())
    assert moved.status_code == 200
    assert db.session.get(Activity, activity_id).hours[0].date == DAY - timedelta(days=1)


def test_shortening_an_activity_below_its_hours_gets_422(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    response = patch(client, world, activity_id, start_time="09:00", end_time="10:00")
    assert response.status_code == 422
    assert fields(response) == {"end_time": "超过活动时长:09:00至10:00共1小时"}


def test_only_the_own_organizer_patches(client, bearer, world):
    activity_id = post_activity(client, world).get_json()["id"]
    assert patch(client, world, activity_id, headers=world.rival, title="x").status_code == 404
    assert patch(client, world, activity_id, headers=world.cadre, title="x").status_code == 403


# -- verification -------------------------------------------------------------------------------

def test_the_village_cadre_verifies_an_activity(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    response = verify(client, world.cadre, f"activities/{activity_id}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "verified" and body["verified_at"]
    assert db.session.get(Activity, activity_id).verified_by_id is not None
    assert actions("activities", activity_id) == ["activity.create", "activity.verify"]
    organizer = db.session.scalar(select(User).where(User.organization_id == world.ours.org.id))
    note = db.session.scalar(select(Notification).where(Notification.user_id == organizer.id))
    assert note.kind == "record.verified" and note.title.startswith("活动记录已核实")


def test_a_cadre_of_another_village_gets_404(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    assert verify(client, world.other_cadre, f"activities/{activity_id}").status_code == 404
    assert client.get(f"/api/v1/activities/{activity_id}",
                      headers=world.other_cadre).status_code == 404
    assert db.session.get(Activity, activity_id).status == "pending"


def test_the_township_cadre_verifies_its_villages_records(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    assert verify(client, world.township_cadre, f"activities/{activity_id}").status_code == 200


def test_a_village_cadre_may_not_verify_a_township_wide_activity(client, world):
    activity_id = post_activity(client, world, village_code=TOWNSHIP).get_json()["id"]
    assert verify(client, world.cadre, f"activities/{activity_id}").status_code == 404
    assert verify(client, world.township_cadre, f"activities/{activity_id}").status_code == 200


def test_an_admin_may_verify_as_api_md_allows(client, bearer, world):
    activity_id = post_activity(client, world).get_json()["id"]
    assert verify(client, bearer("admin"), f"activities/{activity_id}").status_code == 200


def test_volunteers_of_another_team_of_the_organization_may_serve(client, world, bearer):
    other_team = Team(branch_id=world.ours.team.branch_id, name="巾帼志愿服务队",
                      categories=["elderly_care"], region_id=world.village.id)
    db.session.add(other_team)
    db.session.flush()
    helper = Volunteer(team_id=other_team.id, name="李红")
    db.session.add(helper)
    db.session.commit()
    response = post_activity(client, world, hours=[{"volunteer_id": helper.id, "hours": 2}])
    assert response.status_code == 201
    assert response.get_json()["hours"][0]["volunteer_name"] == "李红"


def test_an_organizer_may_not_verify(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    assert verify(client, world.organizer, f"activities/{activity_id}").status_code == 403


def test_a_decided_record_cannot_be_verified_again(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    verify(client, world.cadre, f"activities/{activity_id}")
    response = verify(client, world.cadre, f"activities/{activity_id}")
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == "该记录已核实,不能再核实或驳回"
    rejected = client.post(f"/api/v1/activities/{activity_id}/reject", json={"reason": "x"},
                           headers=world.cadre)
    assert rejected.status_code == 409


def test_a_rejection_needs_a_reason(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    response = client.post(f"/api/v1/activities/{activity_id}/reject", json={"reason": " "},
                           headers=world.cadre)
    assert response.status_code == 422 and fields(response) == {"reason": "请填写驳回原因"}
    response = client.post(f"/api/v1/activities/{activity_id}/reject",
                           json={"reason": "受益人不在本村"}, headers=world.cadre)
    assert response.get_json()["rejection_reason"] == "受益人不在本村"


def test_a_rejected_activity_resubmitted_with_a_change_is_pending_again(client, world):
    activity_id = post_activity(client, world).get_json()["id"]
    client.post(f"/api/v1/activities/{activity_id}/reject", json={"reason": "受益人有误"},
                headers=world.cadre)
    response = patch(client, world, activity_id, beneficiary_member_ids=[])
    assert response.get_json()["status"] == "pending"
    assert response.get_json()["beneficiary_member_ids"] == []


# -- reading ------------------------------------------------------------------------------------

def test_lists_are_scoped_to_the_organization_and_the_region(client, bearer, world):
    ours = post_activity(client, world).get_json()["id"]
    theirs = post_activity(client, world, headers=world.rival, team_id=world.theirs.team.id,
                           hours=[{"volunteer_id": world.theirs.volunteers[0].id, "hours": 2}],
                           village_code=OTHER_VILLAGE,
                           beneficiary_member_ids=[world.away.members[0].id]).get_json()["id"]

    def ids(headers, query=""):
        response = client.get(f"/api/v1/activities{query}", headers=headers)
        assert response.status_code == 200
        return [item["id"] for item in response.get_json()["items"]]

    assert ids(world.organizer) == [ours] and ids(world.rival) == [theirs]
    assert ids(world.cadre) == [ours] and ids(world.other_cadre) == [theirs]
    assert sorted(ids(world.township_cadre)) == sorted([ours, theirs])
    assert ids(bearer("admin"), f"?village={OTHER_VILLAGE}") == [theirs]
    assert ids(world.cadre, "?status=verified") == []
    assert client.get(f"/api/v1/activities/{theirs}", headers=world.organizer).status_code == 404
    assert client.get(f"/api/v1/activities/{ours}", headers=world.cadre).status_code == 200


def test_bad_list_filters_get_422(client, world):
    response = client.get("/api/v1/activities?status=done", headers=world.cadre)
    assert response.status_code == 422 and "status" in fields(response)
    response = client.get("/api/v1/activities?from=yesterday", headers=world.cadre)
    assert response.status_code == 422 and "from" in fields(response)


# -- needs and claims ---------------------------------------------------------------------------

def test_an_activity_naming_a_claimed_need_keeps_the_claim_from_stalling(client, world):
    from matchmaker.services.market import claims

    need = Need(household_id=world.home.id, village_id=world.home.village_id, kind="service",
                category="tutoring", title="周末课业辅导", status="open")
    spare = Need(household_id=world.home.id, village_id=world.home.village_id, kind="service",
                 category="tutoring", title="暑假托管", status="open")
    db.session.add_all([need, spare])
    db.session.commit()
    for each in (need, spare):
        assert client.post(f"/api/v1/needs/{each.id}/claim", json={},
                           headers=world.organizer).status_code == 200
    response = post_activity(client, world, need_ids=[need.id])
    assert response.status_code == 201 and response.get_json()["need_ids"] == [need.id]
    assert claims.release_stalled_claims(datetime.now() + timedelta(days=400)) == 1
    db.session.commit()
    statuses = {c.need_id: c.status for c in db.session.scalars(select(Claim))}
    assert statuses == {need.id: "active", spare.id: "released"}


def test_a_need_of_another_place_or_kind_gets_422(client, world):
    away = Need(household_id=world.away.id, village_id=world.away.village_id, kind="service",
                category="tutoring", title="辅导", status="open")
    job = Need(household_id=world.home.id, village_id=world.home.village_id, kind="job",
               category="factory", title="找工作", status="open")
    db.session.add_all([away, job])
    db.session.commit()
    for need in (away, job):
        response = post_activity(client, world, need_ids=[need.id])
        assert response.status_code == 422 and "need_ids" in fields(response)


def test_record_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for plural in ("activities", "donations", "placements", "purchases"):
        assert set(paths[f"/api/v1/{plural}"]) == {"get", "post"}
        assert set(paths[f"/api/v1/{plural}/{{record_id}}"]) == {"get", "patch"}
        assert "post" in paths[f"/api/v1/{plural}/{{record_id}}/verify"]
        assert "post" in paths[f"/api/v1/{plural}/{{record_id}}/reject"]
    body = paths["/api/v1/activities"]["post"]["requestBody"]["content"]["application/json"]
    assert {"team_id", "date", "title", "category", "village_code"} <= set(
        body["schema"]["required"])
