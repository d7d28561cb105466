"""Service certificates: verified hours only, a masked ID number, a number anyone can check."""
from datetime import date

from sqlalchemy import select

from matchmaker import privacy
from matchmaker.extensions import db
from matchmaker.models import Region
from tests.api.market import make_org
from tests.api.test_impact_api import activity
from tests.api.test_impact_article_000 import team_of
from tests.conftest import VILLAGE, valid_id_number


def test_a_certificate_counts_verified_hours_and_its_number_checks(client, login_as):
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    org = make_org(village, "萍乡市灯塔计划公益发展中心")
    org.contact_phone = "0799-6888888"
    team, [tutor] = team_of(org, village, volunteers=1)
    tutor.name = "王小明"
    tutor.id_number_encrypted = privacy.encrypt(valid_id_number("19950101", 7))
    activity(team, village.id, date(2026, 3, 1), 4, volunteers=[tutor])
    activity(team, village.id, date(2026, 3, 8), 6, status="pending", volunteers=[tutor])
    organizer = login_as("organizer")
    organizer.organization_id = org.id
    db.session.commit()

    page = client.get(f"/organizer/volunteers/{tutor.id}/certificate?from=2026-01-01"
                      f"&to=2026-06-30").text
    assert "王小明" in page and "共计 4 小时" in page and "0799-6888888" in page
    assert "360302********" in page and valid_id_number("19950101", 7) not in page
    number = page.split('class="certificate-number">')[1].split("<")[0]

    client.post("/logout")
    checked = client.get(f"/certificates/check?number={number}").text
    assert "真实有效" in checked and "王**" in checked and "4 小时" in checked
    forged = number.replace("-400-", "-4000-")
    assert "查无此证明" in client.get(f"/certificates/check?number={forged}").text
    assert "查无此证明" in client.get("/certificates/check?number=abc").text


def test_another_organizations_volunteer_is_not_found(client, login_as):
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    team, [tutor] = team_of(make_org(village, "甲公司"), village, volunteers=1)
    organizer = login_as("organizer")
    organizer.organization_id = make_org(village, "乙公司").id
    db.session.commit()
    assert client.get(f"/organizer/volunteers/{tutor.id}/certificate").status_code == 404
