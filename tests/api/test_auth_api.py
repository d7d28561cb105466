"""POST /api/v1/auth/token and bearer authentication."""
from datetime import timedelta

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
