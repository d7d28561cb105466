"""Fixtures: the app on SQLite, and on PostgreSQL where the database matters; clients, users.

Which database a test runs on (the `database_url` fixture, and `app` and everything built on it):

- SQLite always (id `[sqlite]`).
- PostgreSQL as well (id `[postgresql]`) when the test's module is under one of the paths of
  `BOTH_DATABASES` below (all of tests/api/ but `SQLITE_ONLY`), or carries the marker
  `both_databases` (which wins over `SQLITE_ONLY`): put
  `pytestmark = pytest.mark.both_databases` at the top of a new module (or decorate one test)
  whose outcome the database can change: migrations, concurrency and races, FOR UPDATE and
  locks, claims and capacity, records, rollups and impact figures, backups, failure injection,
  LIKE and region paths, large integers, JSON, dates and times, SQL that differs by dialect.
- Page rendering, forms, permissions and other logic above the database: SQLite only.
- MATCHMAKER_TEST_EVERY_DATABASE=1 runs every app test on both, as before this rule.

Passwords are hashed with a cheap method in the tests (`BASE_CONFIG`); a test about the hash
itself or the login's timing takes the marker `production_password_hash` to get the default.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import contextvars
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import NamedTuple

import psycopg
import pytest
import redis as redis_lib
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.engine import make_url

from matchmaker import create_app, config
from matchmaker.extensions import db
from matchmaker.services import regions

POSTGRES_URL = os.environ.get(
    "MATCHMAKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
#: each pytest-xdist worker (gw0, gw1, ...) empties a Redis database of its own: 15, 14, ...
_WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = os.environ.get("MATCHMAKER_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{15 - _WORKER}")
IN_CI = os.environ.get("CI", "").lower() == "true"
#: the console script of this virtualenv
MATCHMAKER = str(Path(sys.executable).parent / "matchmaker")

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "DATA_KEY": "test-data-key",
    "WTF_CSRF_ENABLED": False,
    "REDIS_URL": None,
    #: one iteration: a login costs microseconds instead of scrypt's tens of milliseconds
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
}

#: Folders (ending in "/") and modules, relative to tests/, whose app tests run on PostgreSQL too
BOTH_DATABASES = (
    "api/", "concurrency/", "failures/", "jobs/", "matching/", "services/", "imports/", "impact/",
    "seeding/",
    "test_migrations.py", "test_backup.py",
)
#: ... except these, where no SQL decides the outcome (the OpenAPI document is built from code)
SQLITE_ONLY = ("api/test_openapi.py",)
TESTS = Path(__file__).resolve().parent
EVERY_DATABASE = os.environ.get("MATCHMAKER_TEST_EVERY_DATABASE", "") not in ("", "0")

#: village of 五陂村 and its township, from seeds/regions.csv
VILLAGE = "360302102200"
OTHER_VILLAGE = "360302102201"
TOWNSHIP = "360302102000"


def service_missing(what: str, why: Exception) -> None:
    """Skip where a service is not running; under CI=true it must be there, so fail."""
    message = f"{what} unreachable: {why}"
    if IN_CI:
        pytest.fail(message + " (required under CI=true)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_when_up(url: str, seconds: float = 30) -> str:
    """GET a URL of a server that is starting, retrying until it answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a `matchmaker` process on the given database, with no Redis."""
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": database_url,
           "MATCHMAKER_SECRET_KEY": BASE_CONFIG["SECRET_KEY"],
           "MATCHMAKER_DATA_KEY": BASE_CONFIG["DATA_KEY"], **extra}
    env.pop("MATCHMAKER_REDIS_URL", None)
    return env


@contextlib.contextmanager
def running_server(env: dict[str, str], log=subprocess.DEVNULL, cwd=None):
    """`matchmaker serve` (threaded) on a free port of 127.0.0.1; yields its base URL."""
    port = free_port()
    process = subprocess.Popen([MATCHMAKER, "serve", "--port", str(port)], env=env,
                               stdout=log, stderr=subprocess.STDOUT, cwd=cwd)
    url = f"http://127.0.0.1:{port}"
    try:
        get_when_up(url + "/healthz", seconds=120)  # a loaded machine starts it slowly
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def build_app(database_url: str, instance: Path | None = None, **overrides):
    """The app of the tests on this database (`instance` is not used: the app keeps its own)."""
    return create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})


def migrate_and_load(app) -> None:
    with app.app_context():
        upgrade()
        regions.load_regions()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    migrate_and_load(build_app(f"sqlite:///{path}", path.parent))
    return path


def _admin_connection(attempts: int = 3):
    """A connection for creating and dropping databases; a loaded machine may take a while to
    answer, so a timeout is tried again before it counts as PostgreSQL missing."""
    url = make_url(POSTGRES_URL)
    for attempt in range(1, attempts + 1):
        try:
            return psycopg.connect(host=url.host, port=url.port, user=url.username,
                                   dbname=url.database, autocommit=True, connect_timeout=10)
        except psycopg.errors.ConnectionTimeout:
            if attempt == attempts:
                raise


@pytest.fixture(scope="session")
def postgres_template(tmp_path_factory) -> str:
    try:
        connection = _admin_connection()
    except psycopg.OperationalError as exc:
        service_missing("PostgreSQL", exc)
    name = f"mm_template_{uuid.uuid4().hex[:8]}"
    connection.execute(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    migrate_and_load(build_app(url, tmp_path_factory.mktemp("pg")))
    yield name
    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


@pytest.fixture
def database_url(request, tmp_path) -> str:
    """A fresh copy of the migrated schema, on SQLite or on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    copies = request.getfixturevalue("postgres_copies")
    name = copies.take()
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    copies.give_back(name)


class PostgresCopies:
    """Fresh copies of the template database for the tests of one pytest worker: the next copy
    is made in a thread while a test runs, and a used one dropped there too, so a test waits
    for neither (each costs about half a second)."""

    def __init__(self, template: str):
        self.template, self.next = template, None
        self.thread = concurrent.futures.ThreadPoolExecutor(max_workers=1)

    def take(self) -> str:
        pending, self.next = self.next, None
        try:
            made = (pending or self.thread.submit(self._create)).result()
        except psycopg.OperationalError:  # a copy that failed to be made is made again, here
            made = self._create()
        self.next = self.thread.submit(self._create)
        return made

    def give_back(self, name: str) -> None:
        self.thread.submit(self._drop, name)

    def close(self) -> None:
        if self.next is not None:
            self.give_back(self.next.result())
        self.thread.shutdown(wait=True)

    def _create(self) -> str:
        name = f"mm_test_{uuid.uuid4().hex[:10]}"
        with _admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    @staticmethod
    def _drop(name: str) -> None:
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_copies(postgres_template) -> PostgresCopies:
    copies = PostgresCopies(postgres_template)
    yield copies
    copies.close()


DATABASES = [pytest.param("sqlite", id="sqlite"),
             pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)]


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        both = on_both_databases(metafunc.definition)
        metafunc.parametrize("database_url", DATABASES if both else DATABASES[:1], indirect=True)


#: What takes longest, started first (in this order) so that the two pytest-xdist workers finish
#: together: `--dist worksteal` (scripts/test) gives the fast tests left over to whichever is free
SLOW_FIRST = (
    "api/test_impact_article_000.py", "failures/test_worker_killed.py",
    "jobs/test_matching_workers.py", "e2e/", "test_cli.py", "test_backup.py",
    "failures/test_redis_down.py", "api/test_records_race.py", "concurrency/",
    "api/test_fuzz_openapi.py", "security/",
)


def pytest_collection_modifyitems(items):
    """Slow modules first, each kept whole (module fixtures built once), the rest as collected."""
    items.sort(key=lambda item: _first_match(item, SLOW_FIRST, default=len(SLOW_FIRST)))


def _first_match(item, paths: tuple[str, ...], default: int) -> int:
    """The index of the first of `paths` (folders end in "/") that holds the item's module."""
    where = Path(item.path).resolve().relative_to(TESTS).as_posix()
    return next((n for n, path in enumerate(paths)
                 if where == path or (path.endswith("/") and where.startswith(path))), default)


def on_both_databases(item) -> bool:
    """The rule of this module's docstring: BOTH_DATABASES, the marker, or everything."""
    if EVERY_DATABASE or item.get_closest_marker("both_databases"):
        return True
    if _first_match(item, SQLITE_ONLY, default=-1) >= 0:
        return False
    return _first_match(item, BOTH_DATABASES, default=-1) >= 0


@pytest.fixture
def app_config() -> dict:
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(request, database_url, tmp_path, app_config):
    if request.node.get_closest_marker("production_password_hash"):
        app_config = {"PASSWORD_HASH_METHOD": config.defaults("")["PASSWORD_HASH_METHOD"],
                      **app_config}
    app = build_app(database_url, tmp_path / "instance", **app_config)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production, not the test's one.

    The test's own session is committed first (its setup is what the request sees, and no
    SQLite write lock is held), and expired after, so the test reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():  # a redirect followed from inside the isolated request
            return super().open(*args, **kwargs)
        db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Ran(NamedTuple):
    """What a `matchmaker` command gave back, as subprocess.CompletedProcess names it."""
    returncode: int
    stdout: str
    stderr: str


def run_cli(app, *args: str) -> Ran:
    """`matchmaker ARGS` in process on `app`, through the console script's own main(): its
    one-line errors and exit codes as a user sees them, without a process start per command."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from matchmaker.cli import main

    code = 0
    # FlaskGroup sets FLASK_RUN_FROM_CLI; the isolation puts the old value back afterwards.
    # Logging below WARNING is off, as in a fresh process: Alembic's env.py, run by an earlier
    # migration in this one, set its loggers to INFO on stderr.
    logging.disable(logging.INFO)
    with CliRunner().isolation(env={"FLASK_RUN_FROM_CLI": None}) as (out, err, _):
        try:
            main(list(args), ScriptInfo(create_app=lambda: app))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            logging.disable(logging.NOTSET)
    return Ran(code, out.getvalue().decode(), err.getvalue().decode())


@pytest.fixture
def redis_url() -> str:
    """A real Redis, database 15 (or the worker's own), emptied before and after the test."""
    connection = redis_lib.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis_lib.RedisError as exc:
        service_missing("Redis", exc)
    connection.flushdb()
    yield REDIS_URL
    connection.flushdb()
    connection.close()


@pytest.fixture
def make_user(app):
    """make_user(role="cadre", region=VILLAGE, username=...) → a committed User."""
    from matchmaker.services import accounts

    def make(role: str = "admin", region: str | None = None, username: str | None = None,
             password: str = "correct-horse-9"):
        if role == "cadre" and region is None:
            region = VILLAGE
        user = accounts.create_user(username or f"{role}-{uuid.uuid4().hex[:6]}", password, role,
                                    region)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login_as(client, make_user):
    """Log the test client in as a new user of the role, through the login page."""

    def login(role: str = "admin", **kwargs):
        user = make_user(role, **kwargs)
        response = client.post("/login", data={"username": user.username,
                                               "password": "correct-horse-9"})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


@pytest.fixture
def bearer(client, make_user):
    """bearer(role) → Authorization headers for a new user of the role, via /auth/token."""

    def headers(role: str = "admin", **kwargs) -> dict[str, str]:
        user = make_user(role, **kwargs)
        response = client.post("/api/v1/auth/token",
                               json={"username": user.username, "password": "correct-horse-9"})
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return headers


def pytest_terminal_summary(terminalreporter):
    """Say how many tests ran on each database, against Redis and in the browser."""
    tally: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") not in ("call", "setup") or (
                    report.when == "setup" and outcome == "passed"):
                continue
            for label in _labels(report):
                counts = tally.setdefault(label, {})
                counts[outcome] = counts.get(outcome, 0) + 1
    terminalreporter.section("where the tests ran")
    for label, counts in sorted(tally.items()):
        terminalreporter.write_line(
            f"{label}: " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())))


def _labels(report) -> list[str]:
    labels = []
    if "[sqlite" in report.nodeid:
        labels.append("SQLite")
    if "[postgresql" in report.nodeid:
        labels.append("PostgreSQL")
    keywords = getattr(report, "keywords", {})
    if "redis" in keywords:
        labels.append("Redis")
    if "e2e" in keywords:
        labels.append("browser (chromium)")
    return labels


def valid_id_number(birth: str = "19680512", serial: int = 1, region: str = "360302") -> str:
    """An 18-digit ID number with a valid GB 11643 check character (an invented person)."""
    from matchmaker.privacy import id_check_character

    first17 = f"{region}{birth}{serial:03d}"
    return first17 + id_check_character(first17)


@pytest.fixture
def make_household(app):
    """make_household(village=VILLAGE, members=[...]) → a committed Household, via the service."""
    from matchmaker.models import User
    from matchmaker.services.registry import households

    serial = iter(range(100, 999))

    def make(village: str = VILLAGE, members: list[dict] | None = None, **fields):
        admin = db.session.scalar(select(User).where(User.role == "admin")) or \
            request_admin()
        data = {"village_code": village, "head_name": "赵大山", "status": "poor",
                "id_number": valid_id_number("19600101", next(serial)),
                "poverty_causes": ["illness"], "members": members or [], **fields}
        household = households.create_household(data, admin)
        db.session.commit()
        return household

    def request_admin():
        from matchmaker.services import accounts

        user = accounts.create_user("builder-admin", "builder-pass-1", "admin")
        db.session.commit()
        return user

    return make
