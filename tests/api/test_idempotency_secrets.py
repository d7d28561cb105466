"""An Idempotency-Key never keeps an answer that carries a secret (issue 18.10)."""
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import IdempotencyKey, User


def _ask_token(client, headers, username):
    return client.post("/api/v1/auth/token", headers={**headers, "Idempotency-Key": "tok-1"},
                       json={"username": username, "password": "correct-horse-9"})


def test_a_token_answer_is_never_stored_for_replay(client, bearer):
    headers = bearer("organizer")
    username = db.session.scalars(select(User.username).order_by(User.id.desc())).first()
    first = _ask_token(client, headers, username)
    assert first.status_code == 200
    token = first.get_json()["token"]
    bodies = db.session.scalars(select(IdempotencyKey.body)).all()
    assert not any(token in (body or "") for body in bodies)
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
    again = _ask_token(client, headers, username)
    assert again.status_code == 200 and "Idempotent-Replayed" not in again.headers
    assert again.get_json()["token"] != token


def test_an_answer_without_a_secret_is_still_replayed(client, bearer):
    headers = {**bearer("admin"), "Idempotency-Key": "region-1"}
    body = {"code": "360302102299", "name": "测试村", "level": "village"}
    first = client.post("/api/v1/regions", json=body, headers=headers)
    again = client.post("/api/v1/regions", json=body, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert (again.status_code, again.get_json()) == (first.status_code, first.get_json())
