"""Where the login counters live: real Redis when configured, memory when Redis is down."""
import logging

import pytest
import redis as redis_lib

from matchmaker.extensions import db
from tests.conftest import REDIS_URL, build_app

LIMITS = {"LOGIN_MAX_FAILURES": 3, "LOGIN_IP_MAX_FAILURES": 8}
#: nothing listens on port 1: every connection is refused, as in a Redis outage
CLOSED_REDIS = "redis://127.0.0.1:1/0"
GOOD, BAD = "correct-horse-9", "wrong-password-0"


def attempt(client, username, password=BAD):
    return client.post("/login", data={"username": username, "password": password})


@pytest.mark.parametrize("app_config", [{**LIMITS, "REDIS_URL": CLOSED_REDIS}])
def test_with_redis_down_login_works_and_limits_still_apply(client, make_user, caplog):
    make_user("admin", username="steady")
    make_user("admin", username="target")
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        assert attempt(client, "steady", GOOD).status_code == 302
    assert "falling back to in-memory storage" in caplog.text
    assert client.post("/logout").status_code == 302
    for _ in range(3):
        assert attempt(client, "target").status_code == 200
    locked = attempt(client, "target", GOOD)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


@pytest.mark.parametrize("app_config", [{**LIMITS, "REDIS_URL": CLOSED_REDIS}])
def test_with_redis_down_the_token_api_answers_401_then_429_never_500(client, make_user):
    make_user("admin", username="target")
    body = {"username": "target", "password": BAD}
    for _ in range(3):
        assert client.post("/api/v1/auth/token", json=body).status_code == 401
    locked = client.post("/api/v1/auth/token", json={**body, "password": GOOD})
    assert locked.status_code == 429
    assert locked.get_json()["error"]["code"] == "rate_limited"


@pytest.mark.redis
@pytest.mark.parametrize("app_config", [{**LIMITS, "REDIS_URL": REDIS_URL}])
def test_counters_live_in_redis_and_every_process_sees_the_lock(
        redis_url, client, make_user, database_url, tmp_path):
    make_user("admin", username="target")
    for _ in range(3):
        assert attempt(client, "target").status_code == 200
    keys = redis_lib.Redis.from_url(redis_url).keys("*LIMITER/matchmaker/*")
    assert any(b"account:target/login-account" in key for key in keys)
    assert any(b"ip:127.0.0.1/login-ip" in key for key in keys)
    # a second app on the same database and Redis, as another worker process would be
    other = build_app(database_url, tmp_path / "other", REDIS_URL=redis_url, **LIMITS)
    try:
        locked = other.test_client().post("/api/v1/auth/token",
                                          json={"username": "target", "password": GOOD})
        assert locked.status_code == 429
        assert locked.get_json()["error"]["code"] == "rate_limited"
    finally:
        with other.app_context():
            db.engine.dispose()


@pytest.mark.redis
@pytest.mark.parametrize("app_config", [{**LIMITS, "REDIS_URL": REDIS_URL}])
def test_with_redis_other_accounts_still_log_in(redis_url, client, make_user):
    make_user("admin", username="target")
    make_user("cadre", username="bystander")
    for _ in range(3):
        attempt(client, "target")
    assert attempt(client, "target", GOOD).status_code == 429
    assert attempt(client, "bystander", GOOD).status_code == 302
