"""Home page, login and logout, language switch, error pages, /healthz."""
import re

import pytest


def test_home_shows_counts_from_the_database(client, make_user):
    html = client.get("/").get_data(as_text=True)
    assert "党建帮扶对接平台" in html
    villages = re.search(r'data-key="platform-villages">\s*<span class="value">([\d,]+)', html).group(1)
    from sqlalchemy import func, select

    from matchmaker.extensions import db
    from matchmaker.models import Region

    expected = db.session.scalar(select(func.count()).where(Region.level == "village"))
    assert int(villages.replace(",", "")) == expected > 0


def test_healthz_reports_database_ok_and_inline_jobs(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["redis"] == "not_configured" and body["queue"]["backend"] == "inline"


def test_login_and_logout_through_the_pages(client, make_user):
    user = make_user("cadre", username="li-cadre")
    page = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in page
    response = client.post("/login", data={"username": "li-cadre", "password": "correct-horse-9"})
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert user.username in home and "村干部" in home
    assert client.post("/logout").status_code == 302
    assert "li-cadre" not in client.get("/").get_data(as_text=True)


def test_wrong_password_shows_a_message_and_does_not_log_in(client, make_user):
    make_user("organizer", username="wang")
    html = client.post("/login", data={"username": "wang", "password": "bad-pass-1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "用户名或密码不正确" in html
    assert "退出" not in html


def test_login_never_redirects_off_site(client, make_user):
    make_user("admin", username="boss")
    response = client.post("/login?next=//evil.example/x",
                           data={"username": "boss", "password": "correct-horse-9"})
    assert response.headers["Location"] == "/admin/match-runs"  # the admin's work page


def test_password_change_ends_other_sessions(client, make_user):
    from matchmaker.extensions import db

    user = make_user("admin", username="rotate")
    client.post("/login", data={"username": "rotate", "password": "correct-horse-9"})
    assert "rotate" in client.get("/").get_data(as_text=True)
    user.set_password("another-pass-2")
    db.session.commit()
    assert "rotate" not in client.get("/").get_data(as_text=True)


def test_unknown_page_is_a_friendly_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "页面不存在" in html and "Traceback" not in html


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_english_can_be_chosen(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert 'lang="en"' in html
    assert "Log in" in html


@pytest.mark.parametrize(("role", "landing"), [
    ("organizer", "/organizer/"), ("cadre", "/cadre/"), ("admin", "/admin/match-runs")])
def test_each_role_lands_on_its_work_page_after_login(client, make_user, role, landing):
    user = make_user(role)
    response = client.post("/login", data={"username": user.username,
                                           "password": "correct-horse-9"})
    assert response.status_code == 302 and response.headers["Location"] == landing
    # a logged-in visit to the login page goes to the same work page
    assert client.get("/login").headers["Location"] == landing


def test_a_safe_next_wins_over_the_work_page(client, make_user):
    user = make_user("organizer")
    response = client.post("/login?next=/wishes?category=study",
                           data={"username": user.username, "password": "correct-horse-9"})
    assert response.headers["Location"] == "/wishes?category=study"


def nav_links(html: str) -> set[str]:
    nav = html[html.index('<nav class="nav"'):]
    return set(re.findall(r'href="([^"?]+)', nav[:nav.index("</nav>")]))


def test_every_menu_reaches_the_pages_that_had_no_link(client, login_as):
    assert "/certificates/check" in nav_links(client.get("/").text)
    login_as("organizer")
    organizer = nav_links(client.get("/organizer/").text)
    assert {"/organizer/teams", "/organizer/organization", "/certificates/check"} <= organizer


def test_the_admin_menu_links_the_cadre_pages_an_admin_may_open(client, login_as):
    login_as("admin")
    menu = nav_links(client.get("/admin/match-runs").text)
    assert {"/cadre/households", "/cadre/needs", "/cadre/verification",
            "/cadre/matches", "/admin/match-runs"} <= menu
    for path in menu:  # every link of the menu opens for the admin
        assert client.get(path).status_code == 200, path
