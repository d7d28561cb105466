"""The `matchmaker` command line of API.md, run as a user would run it."""
import json
import os
import subprocess

import pytest

from tests.conftest import MATCHMAKER, free_port, get_when_up


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "MATCHMAKER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
            "MATCHMAKER_SECRET_KEY": "cli-secret", "MATCHMAKER_DATA_KEY": "cli-data-key"}


def run(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([MATCHMAKER, *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_init_creates_the_schema_and_is_idempotent(env):
    first = run(env, "init")
    assert first.returncode == 0, first.stderr
    assert "新增区划" in first.stdout
    second = run(env, "init")
    assert second.returncode == 0 and "新增区划 0 个" in second.stdout


def test_user_create_for_each_role(env):
    run(env, "init")
    admin = run(env, "user", "create", "--username", "admin1", "--password", "s3cret-pass-1",
                "--role", "admin")
    assert admin.returncode == 0 and "admin1" in admin.stdout
    cadre = run(env, "user", "create", "--username", "cadre1", "--password", "s3cret-pass-1",
                "--role", "cadre", "--region", "360302102200")
    assert cadre.returncode == 0, cadre.stderr


@pytest.mark.parametrize("args, message", [
    (("--role", "cadre"), "村干部须绑定"),
    (("--role", "cadre", "--region", "999999999999"), "找不到区划代码"),
    (("--role", "wizard"), "'wizard' is not one of"),
    (("--role", "admin", "--password", "short"), "密码至少12位"),
])
def test_bad_user_arguments_give_one_clear_line_and_fail(env, args, message):
    run(env, "init")
    base = {"--username": "someone", "--password": "long-enough-1"}
    pairs = dict(zip(args[::2], args[1::2]))
    argv = [item for key, value in {**base, **pairs}.items() for item in (key, value)]
    result = run(env, "user", "create", *argv)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_duplicate_username_is_refused(env):
    run(env, "init")
    args = ("user", "create", "--username", "twice", "--password", "long-enough-1",
            "--role", "admin")
    assert run(env, *args).returncode == 0
    again = run(env, *args)
    assert again.returncode == 1 and "已存在" in again.stderr


def test_unknown_command_fails_with_one_line(env):
    result = run(env, "frobnicate")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_seed_demo_twice_changes_nothing_the_second_time(env):
    run(env, "init")
    first = run(env, "seed", "demo")
    assert first.returncode == 0, first.stderr
    second = run(env, "seed", "demo")
    assert second.returncode == 0, second.stderr
    created = second.stdout.split("新增:")[1]
    assert all(part.strip().endswith(" 0") for part in created.split(","))


def test_serve_answers_pages_and_healthz(env):
    run(env, "init")
    port = free_port()
    server = subprocess.Popen([MATCHMAKER, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        health = get_when_up(f"http://127.0.0.1:{port}/healthz")
        assert json.loads(health)["status"] == "ok"
        assert "党建帮扶对接平台" in get_when_up(f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_jobs_tick_runs_the_periodic_jobs_in_process(env):
    import sqlite3

    from matchmaker.jobs.tasks import PERIODIC

    run(env, "init")
    result = run(env, "jobs", "tick")
    assert result.returncode == 0, result.stderr
    path = env["MATCHMAKER_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT kind, status FROM jobs ORDER BY id").fetchall()
    assert rows == [(kind, "finished") for kind in PERIODIC]


def test_seed_synthetic_then_match_run_prints_counts_and_phase_times(env):
    run(env, "init")
    seeded = run(env, "seed", "synthetic", "--households", "500", "--offers", "60")
    assert seeded.returncode == 0, seeded.stderr
    assert "households 500" in seeded.stdout and "needs 1000" in seeded.stdout
    again = run(env, "seed", "synthetic", "--households", "500", "--offers", "60")
    assert again.returncode == 1 and "合成数据已存在" in again.stderr
    first = run(env, "match", "run")
    assert first.returncode == 0, first.stderr
    assert "需求 1000, 供给 60" in first.stdout and "用时(秒): load" in first.stdout
    proposals = int(first.stdout.split("建议 ")[1].split(",")[0])
    assert proposals > 0
    second = run(env, "match", "run", "--region", "990000000000")
    assert second.returncode == 0 and "建议 0," in second.stdout  # nothing proposed twice


def test_impact_rebuild_restores_the_rollups_the_demo_kept(env):
    import sqlite3

    run(env, "init")
    assert run(env, "seed", "demo").returncode == 0
    path = env["MATCHMAKER_DATABASE_URL"].removeprefix("sqlite:///")

    def rollups() -> list[tuple]:
        with sqlite3.connect(path) as connection:
            return sorted(connection.execute(
                "SELECT village_id, month, organization_id, team_id, category, activities, "
                "recorded, corrected FROM activity_rollups").fetchall())

    kept = rollups()
    assert kept, "the demo's verified activities are rolled up as they are written"
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM activity_rollups")
        connection.execute("DELETE FROM hour_rollups")
    rebuilt = run(env, "impact", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "汇总表已重建" in rebuilt.stdout
    assert rollups() == kept
