"""Service certificates: verified hours only, a masked ID number, a number anyone can check."""
from datetime import date
from io import BytesIO

from pypdf import PdfReader
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


def _tutor_with_hours():
    """王小明 of 萍乡市灯塔计划公益发展中心: 4 verified hours, 6 pending and 5 rejected."""
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    org = make_org(village, "萍乡市灯塔计划公益发展中心")
    org.contact_phone = "0799-6888888"
    team, [tutor] = team_of(org, village, volunteers=1)
    tutor.name = "王小明"
    tutor.id_number_encrypted = privacy.encrypt(valid_id_number("19950101", 7))
    activity(team, village.id, date(2026, 3, 1), 4, volunteers=[tutor])
    activity(team, village.id, date(2026, 3, 8), 6, status="pending", volunteers=[tutor])
    activity(team, village.id, date(2026, 3, 15), 5, status="rejected", volunteers=[tutor])
    return org, tutor


def _pdf_text(data: bytes) -> str:
    """The PDF's text with the line breaks of its layout taken out."""
    pages = PdfReader(BytesIO(data)).pages
    return "".join("".join(page.extract_text() for page in pages).split())


def test_the_pdf_states_the_pages_certificate_and_its_number_checks(client, login_as):
    org, tutor = _tutor_with_hours()
    organizer = login_as("organizer")
    organizer.organization_id = org.id
    db.session.commit()
    period = "from=2026-01-01&to=2026-06-30"
    page = client.get(f"/organizer/volunteers/{tutor.id}/certificate?{period}").text
    assert f'href="/organizer/volunteers/{tutor.id}/certificate.pdf?' in page

    response = client.get(f"/organizer/volunteers/{tutor.id}/certificate.pdf?{period}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith(b"%PDF-")
    text = _pdf_text(response.data)
    number = page.split('class="certificate-number">')[1].split("<")[0]
    assert "志愿服务记录证明" in text and "王小明" in text and number in text
    full = valid_id_number("19950101", 7)
    assert f"{full[:6]}********{full[-4:]}" in text
    assert full not in text and full.encode() not in response.data
    assert "共计4小时" in text and "萍乡市灯塔计划公益发展中心" in text and "0799-6888888" in text
    assert "2026-03-01" in text and "2026-03-08" not in text and "2026-03-15" not in text
    assert "共计15小时" not in text and "共计10小时" not in text

    client.post("/logout")
    checked = client.get(f"/certificates/check?number={number}").text
    assert "真实有效" in checked and "4 小时" in checked


def test_another_organizations_volunteer_is_not_found(client, login_as):
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    team, [tutor] = team_of(make_org(village, "甲公司"), village, volunteers=1)
    organizer = login_as("organizer")
    organizer.organization_id = make_org(village, "乙公司").id
    db.session.commit()
    assert client.get(f"/organizer/volunteers/{tutor.id}/certificate").status_code == 404
    assert client.get(f"/organizer/volunteers/{tutor.id}/certificate.pdf").status_code == 404


def test_the_pdf_sends_a_visitor_to_log_in(client):
    _org, tutor = _tutor_with_hours()
    response = client.get(f"/organizer/volunteers/{tutor.id}/certificate.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert b"%PDF" not in response.data


def test_the_check_link_comes_from_the_base_url_never_the_host_header(client, login_as, app):
    app.config["BASE_URL"] = "https://bangfu.example.gov.cn/"
    org, tutor = _tutor_with_hours()
    organizer = login_as("organizer")
    organizer.organization_id = org.id
    db.session.commit()
    where = f"/organizer/volunteers/{tutor.id}/certificate"
    evil = {"Host": "evil.example"}
    session = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    client.set_cookie(session.key, session.value, domain="evil.example")  # the visitor's session
    response = client.get(f"{where}.pdf", headers=evil)
    assert response.status_code == 200, (response.status_code, response.headers)
    text = _pdf_text(response.data)
    assert "https://bangfu.example.gov.cn/certificates/check" in text
    assert "evil.example" not in text and "localhost" not in text
    page = client.get(where, headers=evil).text
    assert "https://bangfu.example.gov.cn/certificates/check" in page
    assert "evil.example" not in page
