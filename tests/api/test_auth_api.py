"""POST /api/v1/auth/token and bearer authentication."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ApiToken
from matchmaker.models.base import utcnow


def test_token_for_good_credentials_is_returned_once_and_stored_hashed(client, make_user):
    user = make_user("organizer", username="zhang")
    response = client.post("/api/v1/auth/token",
                           json={"username": "zhang", "password": "correct-horse-9"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["role"] == "organizer" and body["expires_at"].endswith("Z")
    stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash != body["token"] and len(stored.token_hash) == 64


def test_wrong_password_gets_401_in_the_api_error_format(client, make_user):
    make_user("admin", username="root1")
    response = client.post("/api/v1/auth/token", json={"username": "root1", "password": "nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    response = client.post("/api/v1/auth/token", json={"username": "ghost", "password": "x" * 9})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_malformed_body_is_400_not_500(client):
    response = client.post("/api/v1/auth/token", data="not json",
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_missing_fields_are_422_with_field_messages_in_chinese(client):
    response = client.post("/api/v1/auth/token", json={"username": "", "password": 12})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"username": "请填写用户名"}


def test_bearer_token_authenticates_and_expired_token_does_not(client, bearer):
    headers = bearer("admin")
    body = {"code": "360302102299", "name": "测试村", "level": "village",
            "parent_code": "360302102000", "lat": 27.6, "lon": 113.9}
    assert client.post("/api/v1/regions", json=body, headers=headers).status_code == 201
    for token in db.session.scalars(select(ApiToken)):
        token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    body["code"] = "360302102298"
    assert client.post("/api/v1/regions", json=body, headers=headers).status_code == 401


def test_garbage_bearer_token_is_401(client):
    response = client.post("/api/v1/regions", json={}, headers={"Authorization": "Bearer xyz"})
    assert response.status_code == 401


def test_password_change_ends_bearer_tokens(client, make_user):
    user = make_user("admin", username="changer")
    token = client.post("/api/v1/auth/token", json={
        "username": "changer", "password": "correct-horse-9"}).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = {"code": "360302102297", "name": "甲村", "level": "village",
            "parent_code": "360302102000", "lat": 27.6, "lon": 113.9}
    assert client.post("/api/v1/regions", json=body, headers=headers).status_code == 201
    user.set_password("a-new-password-1")
    db.session.commit()
    body["code"] = "360302102296"
    assert client.post("/api/v1/regions", json=body, headers=headers).status_code == 401


LIMITS = {"LOGIN_MAX_FAILURES": 3, "LOGIN_IP_MAX_FAILURES": 8}


@pytest.mark.parametrize("app_config", [LIMITS])
def test_locked_account_gets_429_rate_limited_with_retry_after(client, make_user):
    make_user("admin", username="locked")
    for _ in range(3):
        assert client.post("/api/v1/auth/token", json={
            "username": "locked", "password": "wrong-pass-00"}).status_code == 401
    response = client.post("/api/v1/auth/token",
                           json={"username": "locked", "password": "correct-horse-9"})
    assert response.status_code == 429
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and "该账号已暂时锁定,请15分钟后再试" in error["message"]
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    other = make_user("admin", username="unlocked")
    assert client.post("/api/v1/auth/token", json={
        "username": other.username, "password": "correct-horse-9"}).status_code == 200


@pytest.mark.parametrize("app_config", [LIMITS])
def test_the_page_and_the_api_share_one_failure_count(client, make_user):
    make_user("admin", username="both")
    for _ in range(2):
        client.post("/login", data={"username": "both", "password": "wrong-pass-00"})
    assert client.post("/api/v1/auth/token", json={
        "username": "both", "password": "wrong-pass-00"}).status_code == 401
    assert client.post("/api/v1/auth/token", json={
        "username": "both", "password": "correct-horse-9"}).status_code == 429


@pytest.mark.parametrize("app_config", [LIMITS])
def test_unknown_user_is_locked_with_the_same_answer(client, make_user):
    make_user("admin", username="exists")
    answers = []
    for name in ("exists", "absent"):
        for _ in range(3):
            client.post("/api/v1/auth/token", json={"username": name, "password": "wrong-pass-00"})
        answers.append(client.post("/api/v1/auth/token",
                                   json={"username": name, "password": "wrong-pass-00"}))
    assert [a.status_code for a in answers] == [429, 429]
    first, second = (re.sub(r"\d+", "N", str(a.get_json())) for a in answers)
    assert first == second  # the same answer, minutes left aside


def test_oversized_body_is_413_in_the_api_error_format(client, app, make_user):
    make_user("admin", username="big")
    padding = "p" * app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/api/v1/auth/token", json={"username": "big", "password": padding})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert client.post("/api/v1/auth/token", json={
        "username": "big", "password": "correct-horse-9"}).status_code == 200
