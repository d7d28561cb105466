"""Source article 000's figures, rebuilt from records posted and verified through the API.

"累计开展助学、帮扶等志愿活动300余场次,志愿服务时长超20000小时,受益学生达500余人" (the 灯塔计划
party branch) and "专场招聘会11场 … 提供岗位信息8865个,帮助85名贫困人员实现就业" (the 两新
organizations' job drive) come back exactly from GET /api/v1/impact; records still pending or
rejected never count.
"""
from datetime import date, timedelta

from tests.api.market import add_volunteers, hold_job_need, make_org, make_team
from tests.api.market import organizer_headers
from tests.conftest import VILLAGE, valid_id_number

FIRST_DAY = date(2019, 3, 1)


def team_of(org, village, volunteers: int):
    team = make_team(org, village, name="志愿服务队")
    return team, add_volunteers(team, volunteers)


def students(make_household) -> list[int]:
    """50 registered households with two school children each: 100 registered students."""
    ids = []
    for family in range(50):
        household = make_household(members=[
            {"name": f"学生{family}-{n}", "relation": "child",
             "id_number": valid_id_number("20100301", 2 * family + n + 1)} for n in (0, 1)])
        ids += [member.id for member in household.members if member.relation == "child"]
    return ids


def post(client, headers, path: str, body: dict) -> int:
    response = client.post(f"/api/v1/{path}", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def verify_all(client, cadre, path: str, ids: list[int]) -> None:
    for record_id in ids:
        assert client.post(f"/api/v1/{path}/{record_id}/verify",
                           headers=cadre).status_code == 200


def lighthouse_activities(client, headers, team, volunteers, pupils) -> list[int]:
    """300 activities on 300 days: 200 of 10 volunteers × 7 h, 100 of 10 × 6 h = 20,000 h;
    each with 10 registered pupils, the first 200 also with 2 unregistered ones."""
    ids = []
    for i in range(300):
        ids.append(post(client, headers, "activities", {
            "team_id": team.id, "date": (FIRST_DAY + timedelta(days=i)).isoformat(),
            "title": "助学筑梦铸人", "category": "tutoring", "village_code": VILLAGE,
            "hours": [{"volunteer_id": v.id, "hours": 7 if i < 200 else 6} for v in volunteers],
            "beneficiary_member_ids": [pupils[(i * 10 + k) % 100] for k in range(10)],
            "extra_beneficiaries": 2 if i < 200 else 0}))
    return ids


def job_drive(client, headers, team, volunteer, make_household) -> tuple[list, list]:
    """Three job offers with 8,865 openings, 11 job fairs, and 85 people hired."""
    offers = [post(client, headers, "offers", {"kind": "job", "category": "factory",
                                               "title": f"扶贫岗位{n}", "openings": openings})
              for n, openings in enumerate((3000, 3000, 2865))]
    fairs = [post(client, headers, "activities", {
        "team_id": team.id, "date": (FIRST_DAY + timedelta(days=400 + i)).isoformat(),
        "title": "扶贫专场招聘会", "category": "job_fair", "village_code": VILLAGE,
        "hours": [{"volunteer_id": volunteer.id, "hours": 2}]}) for i in range(11)]
    hires = []
    for n in range(85):
        worker = make_household(head_name=f"务工人员{n}",
                                id_number=valid_id_number("19850601", 500 + n)).members[0]
        hold_job_need(team.branch.organization_id, worker)
        hires.append(post(client, headers, "placements", {
            "offer_id": offers[n % 3], "member_id": worker.id,
            "start_date": (FIRST_DAY + timedelta(days=420)).isoformat()}))
    return fairs, hires


def test_article_000_figures_come_back_exactly_from_verified_records(
        client, bearer, make_household, village):
    lighthouse = make_org(village, "萍乡市灯塔计划公益发展中心")
    employers = make_org(village, "萍乡市非公企业党建联盟")
    lighthouse_team, tutors = team_of(lighthouse, village, volunteers=10)
    employer_team, [recruiter] = team_of(employers, village, volunteers=1)
    tutoring, hiring = organizer_headers(bearer, lighthouse), organizer_headers(bearer, employers)
    cadre = bearer("cadre")

    activities = lighthouse_activities(client, tutoring, lighthouse_team, tutors,
                                       students(make_household))
    fairs, hires = job_drive(client, hiring, employer_team, recruiter, make_household)
    verify_all(client, cadre, "activities", activities + fairs)
    verify_all(client, cadre, "placements", hires)
    # one more activity left pending, one rejected: neither may count
    day = (FIRST_DAY + timedelta(days=500)).isoformat()
    extra = {"team_id": lighthouse_team.id, "date": day, "title": "未核实的活动",
             "category": "tutoring", "village_code": VILLAGE, "extra_beneficiaries": 40,
             "hours": [{"volunteer_id": v.id, "hours": 8} for v in tutors]}
    post(client, tutoring, "activities", extra)
    rejected = post(client, tutoring, "activities", {**extra, "date": FIRST_DAY.isoformat()})
    assert client.post(f"/api/v1/activities/{rejected}/reject", json={"reason": "重复登记"},
                       headers=cadre).status_code == 200

    mine = client.get(f"/api/v1/impact?organization={lighthouse.id}").get_json()["figures"]
    assert mine["activities"] == 300
    assert mine["volunteer_hours"] == 20000
    assert mine["beneficiaries"] == 500
    assert mine["volunteers"] == 10 and mine["teams"] == 1
    assert mine["beneficiary_visits"] == 300 * 10 + 400

    drive = client.get(f"/api/v1/impact?organization={employers.id}").get_json()["figures"]
    assert drive["job_fairs"] == 11
    assert drive["job_openings"] == 8865
    assert drive["people_employed"] == 85

    everywhere = client.get(f"/api/v1/impact?region={VILLAGE}&from=2019-01-01").get_json()
    assert everywhere["figures"]["volunteer_hours"] == 20000 + 22
    assert everywhere["figures"]["activities"] == 311
    assert everywhere["figures"]["households_helped"] == 50 + 85
    assert everywhere["hours"] == {"recorded": 20022.0, "corrected": 0.0, "total": 20022.0}
    in_2019 = client.get("/api/v1/impact?from=2019-01-01&to=2019-12-31").get_json()["figures"]
    assert in_2019["activities"] == 300  # 2019-03-01 + 299 days; the fairs are in 2020
