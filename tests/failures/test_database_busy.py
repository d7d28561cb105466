"""A database held by another connection's write transaction: the API answers 503 with
Retry-After in API.md's error format, a page a friendly 503, never a 500; nothing half-written."""
import sqlite3

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from matchmaker.errors_db import BUSY_MESSAGE
from matchmaker.extensions import db
from matchmaker.models import Need

NEED = {"kind": "service", "category": "tutoring", "title": "周末课业辅导"}


@pytest.fixture
def app_config():
    return {"DATABASE_LOCK_WAIT_MS": 300}  # the default waits 10 s before giving up


class HeldLock:
    """Another connection's open write transaction on the needs table (not our session)."""

    def __init__(self, url: str):
        self.url = make_url(url)

    def __enter__(self):
        if self.url.get_backend_name() == "sqlite":
            self.connection = sqlite3.connect(self.url.database, isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")  # the one write lock of the file
        else:
            self.connection = psycopg.connect(
                host=self.url.host, port=self.url.port, user=self.url.username,
                dbname=self.url.database)
            self.connection.execute("LOCK TABLE needs IN EXCLUSIVE MODE")  # readers still read
        return self

    def __exit__(self, *exc):
        self.connection.rollback()
        self.connection.close()


def need_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Need))


def test_a_need_posted_while_the_database_is_locked_gets_503_then_succeeds(
        app, client, bearer, make_household, database_url):
    household = make_household()
    cadre = bearer("cadre")
    body = {**NEED, "household_id": household.id}
    with HeldLock(database_url):
        response = client.post("/api/v1/needs", json=body, headers=cadre)
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "2"
    assert response.get_json() == {"error": {"code": "database_busy", "message": BUSY_MESSAGE}}
    assert need_count() == 0
    again = client.post("/api/v1/needs", json=body, headers=cadre)
    assert again.status_code == 201 and need_count() == 1


def test_the_need_page_shows_a_friendly_503_while_the_database_is_locked(
        app, client, login_as, make_household, database_url):
    household = make_household()
    login_as("cadre")
    url = f"/cadre/households/{household.id}/needs/new"
    with HeldLock(database_url):
        response = client.post(url, data={**NEED, "household_id": household.id})
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "2"
    assert BUSY_MESSAGE in html and "<html" in html.lower() and "Traceback" not in html
    assert need_count() == 0
    assert client.post(url, data={**NEED, "household_id": household.id}).status_code == 302
    assert need_count() == 1
