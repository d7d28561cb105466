"""Unbound extension singletons, bound to the app in create_app."""
import sqlite3

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from matchmaker.config import DATABASE_LOCK_WAIT_MS
from matchmaker.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def _lock_wait_ms() -> int:
    """DATABASE_LOCK_WAIT_MS of the app, or its default for a connection opened outside one."""
    from flask import current_app, has_app_context

    if has_app_context():
        return int(current_app.config["DATABASE_LOCK_WAIT_MS"])
    return DATABASE_LOCK_WAIT_MS


@event.listens_for(Engine, "connect")
def _connection_settings(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys only when asked; WAL lets readers and a writer overlap.
    Both databases wait a bounded time for a lock (busy_timeout, lock_timeout), so a held lock
    ends as a 503 to retry instead of a request hanging."""
    wait = _lock_wait_ms()
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={wait:d}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
    elif type(dbapi_connection).__module__.startswith("psycopg"):
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # a SET inside a transaction would be rolled back
        dbapi_connection.execute(f"SET lock_timeout = {wait:d}")
        dbapi_connection.autocommit = autocommit
