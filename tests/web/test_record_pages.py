"""The organizer logs a team's activity on one form; the village cadre verifies or rejects it."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Activity, Claim, Region
from matchmaker.services.market import claims
from matchmaker.services.records import activities as records_activities
from tests.api.market import make_need, make_org
from tests.api.test_impact_article_000 import team_of
from tests.conftest import VILLAGE


@pytest.fixture
def team(app):
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    return team_of(make_org(village, "赣鄱建材有限公司"), village, volunteers=3)


def form(team, people, **values) -> dict:
    body = {"team_id": team.id, "title": "周末课业辅导", "category": "tutoring",
            "date": (date.today() - timedelta(days=1)).isoformat(), "village_code": VILLAGE,
            "extra_beneficiaries": "4", "same_hours": "3",
            f"v-{people[0].id}": "1", f"v-{people[1].id}": "1", f"h-{people[1].id}": "5"}
    return {**body, **values}


def test_a_whole_team_is_logged_with_common_hours_and_the_cadre_verifies(client, login_as,
                                                                         team):
    team, people = team
    organizer = login_as("organizer")
    organizer.organization_id = team.branch.organization_id
    db.session.commit()
    page = client.get("/organizer/activities/new")
    assert page.status_code == 200 and all(p.name in page.text for p in people)
    done = client.post("/organizer/activities/new", data=form(team, people),
                       follow_redirects=True)
    assert "活动已记录" in done.text and "待核实" in done.text
    activity = db.session.scalar(select(Activity))
    assert sorted((line.volunteer_id, float(line.hours)) for line in activity.hours) == [
        (people[0].id, 3.0), (people[1].id, 5.0)]  # the third was not ticked

    client.post("/logout")
    login_as("cadre")
    queue = client.get("/cadre/verification")
    assert "周末课业辅导" in queue.text and "2名志愿者,共8小时" in queue.text
    refused = client.post(f"/cadre/records/activity/{activity.id}/reject", data={"reason": ""},
                          follow_redirects=True)
    assert "请填写驳回原因" in refused.text
    verified = client.post(f"/cadre/records/activity/{activity.id}/verify",
                           follow_redirects=True)
    assert "已核实" in verified.text
    assert db.session.get(Activity, activity.id).status == "verified"


def test_a_refused_form_says_why_in_chinese_and_keeps_what_was_typed(client, login_as, team):
    team, people = team
    organizer = login_as("organizer")
    organizer.organization_id = team.branch.organization_id
    db.session.commit()
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    page = client.post("/organizer/activities/new",
                       data=form(team, people, date=tomorrow, title="敬老院义诊"))
    assert page.status_code == 422 and "不能晚于今天" in page.text
    assert 'value="敬老院义诊"' in page.text and f'value="{tomorrow}"' in page.text
    assert db.session.scalar(select(Activity)) is None


def organizer_of(login_as, team):
    organizer = login_as("organizer")
    organizer.organization_id = team.branch.organization_id
    db.session.commit()
    return organizer


def ticked_boxes(page_text: str) -> int:
    return sum(1 for line in page_text.split("<input") if 'name="v-' in line and "checked" in line)


def test_nobody_is_ticked_until_ticked_and_the_village_is_the_teams(client, login_as, team):
    team, people = team
    organizer_of(login_as, team)
    page = client.get("/organizer/activities/new")
    assert page.status_code == 200 and ticked_boxes(page.text) == 0
    assert f'<option value="{VILLAGE}" selected>' in page.text  # not the first place by code
    assert '<output data-hours>0</output>' in page.text


def test_only_the_ticked_volunteers_are_recorded(client, login_as, team):
    team, people = team
    organizer_of(login_as, team)
    body = {**form(team, people, same_hours="2.5", **{f"h-{people[1].id}": "2"})}
    client.post("/organizer/activities/new", data=body)
    activity = db.session.scalar(select(Activity))
    assert sorted(float(line.hours) for line in activity.hours) == [2.0, 2.5]


def test_the_total_is_shown_before_sending_without_saving(client, login_as, team):
    team, people = team
    organizer_of(login_as, team)
    body = {**form(team, people), f"v-{people[2].id}": "1", "same_hours": "2.5",
            f"h-{people[1].id}": "2", "preview": "1"}
    page = client.post("/organizer/activities/new", data=body)
    assert page.status_code == 200 and db.session.scalar(select(Activity)) is None
    assert "<output data-count>3</output>" in page.text
    assert "<output data-hours>7</output>" in page.text and ticked_boxes(page.text) == 3


def test_an_empty_submit_says_each_thing_once(client, login_as, team):
    team, people = team
    organizer_of(login_as, team)
    body = {"team_id": team.id, **{f"v-{p.id}": "1" for p in people}}
    page = client.post("/organizer/activities/new", data=body)
    assert page.status_code == 422 and page.text.count("请填写服务时长") == 1
    assert all(p.name in page.text.split("请填写服务时长")[1].split("</p>")[0] for p in people)
    assert page.text.count("请填写活动名称") == 1 and page.text.count("请填写活动日期") == 1
    nobody = client.post("/organizer/activities/new", data={"team_id": team.id})
    assert nobody.text.count("请填写至少一名志愿者的服务时长") == 1


def test_hours_typed_for_someone_not_ticked_are_not_dropped_silently(client, login_as, team):
    team, people = team
    organizer_of(login_as, team)
    page = client.post("/organizer/activities/new",
                       data=form(team, people, **{f"h-{people[2].id}": "3"}))
    assert page.status_code == 422 and f"未勾选参加:{people[2].name}" in page.text
    assert db.session.scalar(select(Activity)) is None


def test_an_activity_names_the_claim_it_delivered(client, login_as, team, make_household):
    team, people = team
    organizer = organizer_of(login_as, team)
    need = make_need(make_household(), title="留守儿童周末辅导")
    claims.claim_need(need.id, organizer, {})
    db.session.commit()
    page = client.get("/organizer/activities/new")
    assert "留守儿童周末辅导 · 五陂村" in page.text
    assert 'name="need_ids"' in page.text and "农户代号" not in page.text
    workbench = client.get("/organizer/")
    assert "待记录" in workbench.text
    done = client.post("/organizer/activities/new",
                       data={**form(team, people), "need_ids": str(need.id)})
    assert done.status_code == 302
    activity = db.session.scalar(select(Activity))
    assert records_activities.linked(activity)["needs"] == [need.id]
    assert "待记录" not in client.get("/organizer/").text


def test_an_activity_cannot_name_a_need_the_organization_does_not_hold(client, login_as, team,
                                                                         make_household):
    team, people = team
    organizer_of(login_as, team)
    need = make_need(make_household(), title="别家的需求")
    page = client.post("/organizer/activities/new",
                       data={**form(team, people), "need_ids": str(need.id)})
    assert page.status_code == 422 and "只能选择本组织认领或对接的需求" in page.text
    assert db.session.scalar(select(Claim)) is None and db.session.scalar(select(Activity)) is None
