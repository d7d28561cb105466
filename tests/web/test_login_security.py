"""Login lock-out per account and per client IP, no user enumeration, passwords, request size."""
import time

import pytest
from sqlalchemy import select

from matchmaker.errors import Invalid
from matchmaker.extensions import db
from matchmaker.models import User
from matchmaker.services import accounts

#: small limits so the tests reach them quickly; the defaults are 5 and 50 in 15 minutes
LIMITS = {"LOGIN_MAX_FAILURES": 3, "LOGIN_IP_MAX_FAILURES": 8}
GOOD, BAD = "correct-horse-9", "wrong-password-0"
ACCOUNT_LOCKED = "该账号已暂时锁定"
NETWORK_LOCKED = "此网络登录失败次数过多"


@pytest.fixture
def app_config():
    return dict(LIMITS)


def attempt(client, username, password=BAD, ip="127.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def fail_times(client, username, times, ip="127.0.0.1"):
    for _ in range(times):
        response = attempt(client, username, ip=ip)
        assert response.status_code == 200 and "用户名或密码不正确" in response.get_data(True)


def test_account_is_locked_after_n_failures_even_with_the_right_password(client, make_user):
    make_user("admin", username="target")
    fail_times(client, "target", 3)
    response = attempt(client, "target", GOOD)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert ACCOUNT_LOCKED in html and "分钟后再试" in html and 'name="username"' in html
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert "target" not in client.get("/").get_data(as_text=True)  # not logged in


def test_other_accounts_still_log_in_while_one_is_locked(client, make_user):
    make_user("admin", username="target")
    make_user("cadre", username="bystander")
    fail_times(client, "target", 3)
    assert attempt(client, "target", GOOD).status_code == 429
    assert attempt(client, "bystander", GOOD).status_code == 302


def test_the_lock_holds_whatever_ip_the_next_attempt_comes_from(client, make_user):
    make_user("admin", username="target")
    fail_times(client, "target", 3, ip="10.0.0.1")
    assert attempt(client, "target", GOOD, ip="10.0.0.2").status_code == 429


def test_one_ip_cannot_lock_out_everyone(client, make_user):
    """Spraying many accounts from one address stops that address, not the accounts."""
    make_user("admin", username="victim")
    names = ["victim"] + [f"guess{n}" for n in range(7)]
    for name in names:  # 8 failures from one IP, never 3 on one account
        fail_times(client, name, 1, ip="203.0.113.9")
    blocked = attempt(client, "someone-else", ip="203.0.113.9")
    assert blocked.status_code == 429 and NETWORK_LOCKED in blocked.get_data(as_text=True)
    assert attempt(client, "victim", GOOD, ip="198.51.100.4").status_code == 302


def test_an_unknown_username_is_locked_like_a_real_one(client, make_user):
    make_user("admin", username="real")
    fail_times(client, "ghost", 3)
    fail_times(client, "real", 3)
    ghost, real = attempt(client, "ghost"), attempt(client, "real")
    assert ghost.status_code == real.status_code == 429
    assert ghost.get_data(True).replace("ghost", "X") == real.get_data(True).replace("real", "X")


def test_a_successful_login_clears_the_account_failures(client, make_user):
    make_user("admin", username="clumsy")
    fail_times(client, "clumsy", 2)
    assert attempt(client, "clumsy", GOOD).status_code == 302
    client.post("/logout")
    fail_times(client, "clumsy", 2)
    assert attempt(client, "clumsy", GOOD).status_code == 302


def test_usernames_differing_in_case_or_spaces_share_one_counter(client, make_user):
    make_user("admin", username="target")
    for name in ("target", "TARGET", " target "):
        fail_times(client, name, 1)
    assert attempt(client, "target", GOOD).status_code == 429


@pytest.mark.parametrize("app_config", [{**LIMITS, "LOGIN_LOCK_MINUTES": 0.1}])
def test_the_lock_ends_when_its_window_has_passed(client, make_user):
    make_user("admin", username="patient")
    fail_times(client, "patient", 3)
    locked = attempt(client, "patient", GOOD)
    assert locked.status_code == 429 and 0 < int(locked.headers["Retry-After"]) <= 6
    time.sleep(int(locked.headers["Retry-After"]) + 0.3)
    assert attempt(client, "patient", GOOD).status_code == 302


def test_malformed_attempts_do_not_count_as_failures(client, make_user):
    make_user("admin", username="target")
    for _ in range(5):
        assert client.post("/login", data={"username": "target"}).status_code == 422
    assert attempt(client, "target", GOOD).status_code == 302


def test_unknown_username_and_wrong_password_get_the_same_page(client, make_user):
    make_user("organizer", username="known1")
    known, unknown = attempt(client, "known1"), attempt(client, "nobody")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(True).replace("known1", "X") == unknown.get_data(True).replace(
        "nobody", "X")
    assert db.session.scalar(select(User.failed_logins).where(User.username == "known1")) == 1


@pytest.mark.production_password_hash
def test_unknown_username_costs_a_password_hash_like_a_wrong_password(app, make_user):
    """Comparable work: both paths run one scrypt check (tens of milliseconds each)."""
    make_user("organizer", username="timed")

    def seconds(username):
        started = time.perf_counter()
        assert accounts.authenticate(username, BAD) is None
        return time.perf_counter() - started

    runs = {"timed": [], "no-such-user": []}
    for _ in range(5):  # interleaved, and the fastest of each kept: load on the machine aside
        for username, times in runs.items():
            times.append(seconds(username))
    wrong, unknown = min(runs["timed"]), min(runs["no-such-user"])
    assert wrong > 0.005 and unknown > 0.005  # a real slow hash, not a string compare
    assert 1 / 3 < unknown / wrong < 3


def test_an_inactive_account_answers_like_a_wrong_password(client, make_user):
    user = make_user("admin", username="retired")
    user.active = False
    db.session.commit()
    html = attempt(client, "retired", GOOD).get_data(as_text=True)
    assert "用户名或密码不正确" in html


@pytest.mark.production_password_hash
def test_passwords_are_stored_as_salted_scrypt_hashes(make_user):
    first, second = make_user("admin", username="hash1"), make_user("admin", username="hash2")
    assert first.password_hash.startswith("scrypt:") and GOOD not in first.password_hash
    assert first.password_hash != second.password_hash  # salted
    assert first.check_password(GOOD) and not first.check_password(GOOD + " ")


@pytest.mark.parametrize("password, accepted", [
    ("a" * 11, False), ("a" * 12, True), ("长" * 64, True), ("p" * 128, True), ("p" * 129, False)])
def test_account_creation_enforces_password_length(app, password, accepted):
    if accepted:
        user = accounts.create_user("len-check", password, "admin")
        assert user.check_password(password) and not user.check_password(password[:-1])
        return
    with pytest.raises(Invalid) as caught:
        accounts.create_user("len-check", password, "admin")
    assert "password" in caught.value.fields


def test_an_oversized_login_form_gets_a_friendly_413_page(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 10 * 1024 * 1024
    response = client.post("/login", data={"username": "x", "password": "p" * (limit + 1)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "上传文件过大" in html and "Traceback" not in html
