"""The `matchmaker` command line of API.md.

The commands run in process, through the console script's own `main()` (its one-line errors
and exit codes included: conftest's run_cli), on one app per module whose SQLite file is replaced
before each test: empty (`empty`) or as `matchmaker init` leaves it (`initialized`, the session's
migrated template). A few tests run the real console script as a user would: it exists, serves, and a bad argument
exits non-zero with one line on stderr.
"""
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from matchmaker.extensions import db
from tests.conftest import (
    MATCHMAKER, Ran, build_app, free_port, get_when_up, run_cli, server_env,
)


class Cli:
    """One app on one SQLite file for the module; `run` is `matchmaker ARGS` against it."""

    def __init__(self, folder: Path):
        self.path = folder / "cli.sqlite"
        self.url = f"sqlite:///{self.path}"
        self.app = build_app(self.url, folder / "instance")

    def replace_database(self, source: Path | None) -> None:
        """Empty the database (source None) or copy `source` in its place."""
        with self.app.app_context():
            db.engine.dispose()
        self.path.unlink(missing_ok=True)
        if source is not None:
            shutil.copyfile(source, self.path)

    def run(self, *args: str) -> Ran:
        return run_cli(self.app, *args)


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> Cli:
    made = Cli(tmp_path_factory.mktemp("cli"))
    yield made
    made.replace_database(None)


@pytest.fixture
def empty(cli) -> Cli:
    cli.replace_database(None)
    return cli


@pytest.fixture
def initialized(cli, sqlite_template) -> Cli:
    cli.replace_database(sqlite_template)
    return cli


def console_script(database_url: str, *args: str) -> subprocess.CompletedProcess:
    """The installed `matchmaker` console script, run as a user would run it."""
    return subprocess.run([MATCHMAKER, *args], env=server_env(database_url), capture_output=True,
                          text=True, timeout=120)


def test_init_creates_the_schema_and_is_idempotent(empty):
    first = empty.run("init")
    assert first.returncode == 0, first.stderr
    assert "新增区划" in first.stdout
    second = empty.run("init")
    assert second.returncode == 0 and "新增区划 0 个" in second.stdout


def test_user_create_for_each_role(initialized):
    admin = initialized.run("user", "create", "--username", "admin1", "--password",
                            "s3cret-pass-1", "--role", "admin")
    assert admin.returncode == 0 and "admin1" in admin.stdout
    cadre = initialized.run("user", "create", "--username", "cadre1", "--password",
                            "s3cret-pass-1", "--role", "cadre", "--region", "360302102200")
    assert cadre.returncode == 0, cadre.stderr


BAD_USER_ARGUMENTS = [
    (("--role", "cadre"), "村干部须绑定"),
    (("--role", "cadre", "--region", "999999999999"), "找不到区划代码"),
    (("--role", "wizard"), "'wizard' is not one of"),
    (("--role", "admin", "--password", "short"), "密码至少12位"),
]


def user_create_argv(args: tuple[str, ...]) -> list[str]:
    base = {"--username": "someone", "--password": "long-enough-1"}
    pairs = dict(zip(args[::2], args[1::2]))
    return ["user", "create",
            *[item for key, value in {**base, **pairs}.items() for item in (key, value)]]


def assert_one_line_failure(result, message: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


@pytest.mark.parametrize("args, message", BAD_USER_ARGUMENTS)
def test_bad_user_arguments_give_one_clear_line_and_fail(initialized, args, message):
    assert_one_line_failure(initialized.run(*user_create_argv(args)), message)


@pytest.mark.parametrize("args, message", [BAD_USER_ARGUMENTS[1], BAD_USER_ARGUMENTS[2]])
def test_the_console_script_fails_on_a_bad_argument_with_one_line(
        initialized, args, message):
    """The real entry point: a refusal of the service and one of Click, each one line."""
    assert_one_line_failure(console_script(initialized.url, *user_create_argv(args)), message)


def test_duplicate_username_is_refused(initialized):
    args = ("user", "create", "--username", "twice", "--password", "long-enough-1",
            "--role", "admin")
    assert initialized.run(*args).returncode == 0
    again = initialized.run(*args)
    assert again.returncode == 1 and "已存在" in again.stderr


def test_unknown_command_fails_with_one_line(empty):
    for result in (empty.run("frobnicate"), console_script(empty.url, "frobnicate")):
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1


def test_seed_demo_twice_changes_nothing_the_second_time(initialized):
    first = initialized.run("seed", "demo")
    assert first.returncode == 0, first.stderr
    second = initialized.run("seed", "demo")
    assert second.returncode == 0, second.stderr
    created = second.stdout.split("新增:")[1]
    assert all(part.strip().endswith(" 0") for part in created.split(","))


def test_serve_answers_pages_and_healthz(initialized):
    """The console script itself: `matchmaker serve` in a process of its own."""
    port = free_port()
    server = subprocess.Popen([MATCHMAKER, "serve", "--port", str(port)],
                              env=server_env(initialized.url),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        health = get_when_up(f"http://127.0.0.1:{port}/healthz")
        assert json.loads(health)["status"] == "ok"
        assert "党建帮扶对接平台" in get_when_up(f"http://127.0.0.1:{port}/")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_jobs_tick_runs_the_periodic_jobs_in_process(initialized):
    from matchmaker.jobs.tasks import PERIODIC

    result = initialized.run("jobs", "tick")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(initialized.path) as connection:
        rows = connection.execute("SELECT kind, status FROM jobs ORDER BY id").fetchall()
    assert rows == [(kind, "finished") for kind in PERIODIC]


def test_seed_synthetic_then_match_run_prints_counts_and_phase_times(initialized):
    seeded = initialized.run("seed", "synthetic", "--households", "500", "--offers", "60")
    assert seeded.returncode == 0, seeded.stderr
    assert "households 500" in seeded.stdout and "needs 1000" in seeded.stdout
    again = initialized.run("seed", "synthetic", "--households", "500", "--offers", "60")
    assert again.returncode == 1 and "合成数据已存在" in again.stderr
    first = initialized.run("match", "run")
    assert first.returncode == 0, first.stderr
    assert "需求 1000, 供给 60" in first.stdout and "用时(秒): load" in first.stdout
    proposals = int(first.stdout.split("建议 ")[1].split(",")[0])
    assert proposals > 0
    second = initialized.run("match", "run", "--region", "990000000000")
    assert second.returncode == 0 and "建议 0," in second.stdout  # nothing proposed twice


def test_impact_rebuild_restores_the_rollups_the_demo_kept(initialized):
    assert initialized.run("seed", "demo").returncode == 0

    def rollups() -> list[tuple]:
        with sqlite3.connect(initialized.path) as connection:
            return sorted(connection.execute(
                "SELECT village_id, month, organization_id, team_id, category, activities, "
                "recorded, corrected FROM activity_rollups").fetchall())

    kept = rollups()
    assert kept, "the demo's verified activities are rolled up as they are written"
    with sqlite3.connect(initialized.path) as connection:
        connection.execute("DELETE FROM activity_rollups")
        connection.execute("DELETE FROM hour_rollups")
    rebuilt = initialized.run("impact", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "汇总表已重建" in rebuilt.stdout
    assert rollups() == kept
