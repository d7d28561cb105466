"""The organizer logs a team's activity on one form; the village cadre verifies or rejects it."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Activity, Region
from tests.api.market import make_org
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
    assert page.status_code == 200 and "不能晚于今天" in page.text
    assert 'value="敬老院义诊"' in page.text and f'value="{tomorrow}"' in page.text
    assert db.session.scalar(select(Activity)) is None
