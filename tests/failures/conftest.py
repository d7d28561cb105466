"""Helpers of the failure-injection tests: a real `matchmaker worker` against real Redis."""
import os
import subprocess

from tests.conftest import MATCHMAKER, free_port

def closed_redis_url() -> str:
    """A Redis URL nothing listens on: "Redis is down"."""
    return f"redis://127.0.0.1:{free_port()}/0"


def worker_env(app, redis_url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "MATCHMAKER_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MATCHMAKER_REDIS_URL": redis_url, "MATCHMAKER_SECRET_KEY": "test-secret-key",
            "MATCHMAKER_DATA_KEY": "test-data-key", **extra}


def burst(app, redis_url: str, **extra: str) -> subprocess.CompletedProcess:
    """`matchmaker worker --burst`: runs what is queued, then exits."""
    done = subprocess.run([MATCHMAKER, "worker", "--burst"], env=worker_env(app, redis_url, **extra),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done
