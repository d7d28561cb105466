"""Session cookies: dead after logout and password change, fresh at login, flagged, no personal data."""
import base64
import re
import zlib

import pytest

from matchmaker import config as settings
from matchmaker.extensions import db
from matchmaker.services import accounts

GOOD = "correct-horse-9"
PROTECTED = "/inbox/"


def log_in(client, username):
    response = client.post("/login", data={"username": username, "password": GOOD})
    assert response.status_code == 302
    return response


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def sent_to_login(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def readable(cookie: str) -> str:
    """What anyone holding the cookie can read: it is signed, not encrypted."""
    compressed = cookie.startswith(".")
    payload = cookie.lstrip(".").split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(data) if compressed else data).decode()


def test_an_old_session_cookie_is_dead_after_logout(client, make_user):
    make_user("cadre", username="leaver")
    log_in(client, "leaver")
    old = session_cookie(client)
    assert client.get(PROTECTED).status_code == 200
    assert client.post("/logout").status_code == 302
    client.set_cookie("session", old)  # replay the copy taken while logged in
    assert sent_to_login(client.get(PROTECTED))


def test_logout_ends_the_sessions_of_other_browsers_too(app, client, make_user):
    make_user("admin", username="twice")
    other = app.test_client()
    log_in(client, "twice")
    log_in(other, "twice")
    client.post("/logout")
    assert sent_to_login(other.get(PROTECTED))


def test_an_old_session_cookie_is_dead_after_a_password_change(client, make_user):
    user = make_user("organizer", username="rotator")
    log_in(client, "rotator")
    old = session_cookie(client)
    user.set_password("a-brand-new-pass-7")
    db.session.commit()
    client.set_cookie("session", old)
    assert sent_to_login(client.get(PROTECTED))
    assert client.post("/login", data={"username": "rotator",
                                       "password": "a-brand-new-pass-7"}).status_code == 302
    assert client.get(PROTECTED).status_code == 200


def test_logout_leaves_bearer_tokens_working_but_a_password_change_ends_them(client, make_user):
    user = make_user("admin", username="scripter")
    token = client.post("/api/v1/auth/token", json={"username": "scripter", "password": GOOD})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    log_in(client, "scripter")
    client.post("/logout")
    assert client.get("/api/v1/notifications", headers=headers).status_code == 200
    user.set_password("another-long-pass-3")
    db.session.commit()
    assert client.get("/api/v1/notifications", headers=headers).status_code == 401


def test_login_starts_a_fresh_session_keeping_only_the_language(client, make_user):
    make_user("admin", username="fresh")
    client.get("/?lang=en")
    with client.session_transaction() as planted:  # what a fixation attempt would carry in
        planted["_user_id"] = "999:1"
        planted["planted"] = "by-someone-else"
    before = session_cookie(client)
    log_in(client, "fresh")
    after = session_cookie(client)
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "en"
        assert session["_user_id"] != "999:1"


def test_the_session_cookie_carries_no_personal_data(client, app):
    accounts.create_user("li-chunhua", GOOD, "cadre", "360302102200", display_name="李春华")
    db.session.commit()
    response = client.post("/login", data={"username": "li-chunhua", "password": GOOD})
    cookies = [session_cookie(client)]
    client.get(response.headers["Location"])  # the page that shows the flash
    client.get(PROTECTED)
    cookies.append(session_cookie(client))
    serializer = app.session_interface.get_signing_serializer(app)
    for cookie in cookies:
        text = readable(cookie)
        assert "li-chunhua" not in text and "李春华" not in text
        assert "\\u674e" not in text  # nor the name escaped
        assert not re.search(r"\d{17}[\dXx]|1[3-9]\d{9}", text)
        assert set(serializer.loads(cookie)) <= {"_user_id", "_fresh", "_id", "csrf_token",
                                                 "lang", "_flashes"}


def set_cookie_header(client, base_url, **headers) -> str:
    response = client.post("/login", data={"username": "flags", "password": GOOD},
                           base_url=base_url, headers=headers)
    assert response.status_code == 302
    return next(value for value in response.headers.getlist("Set-Cookie")
                if value.startswith("session="))


@pytest.mark.parametrize("base_url, headers, secure", [
    ("http://127.0.0.1:5000", {}, False),  # scripts/run and the browser tests
    ("http://localhost", {}, False),
    ("https://127.0.0.1:5000", {}, True),
    ("https://matchmaker.example.cn", {}, True),
    ("http://matchmaker.example.cn", {}, True),  # never sent in clear to a real host
    ("http://127.0.0.1:5000", {"X-Forwarded-Proto": "https"}, True),  # behind a proxy
])
def test_session_cookie_is_httponly_lax_and_secure_except_plain_local_http(
        client, make_user, base_url, headers, secure):
    make_user("admin", username="flags")
    header = set_cookie_header(client, base_url, **headers)
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert ("Secure" in header) is secure


@pytest.mark.parametrize("app_config, base_url, secure", [
    ({"SECURE_COOKIES": False}, "https://matchmaker.example.cn", False),
    ({"SECURE_COOKIES": True}, "http://127.0.0.1:5000", True),
])
def test_secure_cookies_can_be_forced_either_way(client, make_user, base_url, secure):
    make_user("admin", username="flags")
    assert ("Secure" in set_cookie_header(client, base_url)) is secure


@pytest.mark.parametrize("value, expected", [
    ("auto", "auto"), ("true", True), ("TRUE", True), ("1", True), ("false", False), ("no", False)])
def test_secure_cookies_setting_is_read_from_the_environment(value, expected):
    assert settings.from_environment({"MATCHMAKER_SECURE_COOKIES": value}) == {
        "SECURE_COOKIES": expected}


def test_a_misspelt_secure_cookies_setting_is_refused():
    with pytest.raises(ValueError, match="MATCHMAKER_SECURE_COOKIES"):
        settings.from_environment({"MATCHMAKER_SECURE_COOKIES": "sometimes"})
