"""MATCHMAKER_LOG_FORMAT=json: the server's and the jobs' lines are JSON, without personal data."""
from __future__ import annotations

import json
import logging
import subprocess
import urllib.error
import urllib.request

import pytest

from matchmaker.logs import JsonFormatter
from tests.conftest import MATCHMAKER, VILLAGE, running_server, server_env, valid_id_number

HEAD_ID = valid_id_number("19550607", 733)
PHONE = "13787654321"


def _call(url: str, body: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers),
                                timeout=20) as response:
        return json.loads(response.read())


def _json_lines(path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    # the one line that is not a log line: `serve` says where it listens, on stdout
    lines = [line for line in text.splitlines()
             if line.strip() and not line.startswith("matchmaker serving on")]
    assert lines, "the server wrote no log lines"
    return [json.loads(line) for line in lines]  # every line is one JSON object


@pytest.fixture
def env(database_url):
    return server_env(database_url, MATCHMAKER_LOG_FORMAT="json")


def test_a_served_request_logs_one_json_line_without_id_number_or_phone(env, tmp_path):
    subprocess.run([MATCHMAKER, "user", "create", "--username", "log-cadre", "--password",
                    "long-enough-1", "--role", "cadre", "--region", VILLAGE], env=env,
                   check=True, capture_output=True)
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log, running_server(env, log=log) as url:
        token = _call(url + "/api/v1/auth/token",
                      {"username": "log-cadre", "password": "long-enough-1"})["token"]
        created = _call(url + "/api/v1/households", {
            "village_code": VILLAGE, "head_name": "孙长青", "id_number": HEAD_ID, "phone": PHONE,
            "status": "poor", "poverty_causes": ["illness"],
            "members": [{"name": "孙长青", "relation": "self"}]}, token)
        _call(f"{url}/api/v1/households?village={VILLAGE}&phone={PHONE}", token=token)
    lines = _json_lines(log_path)
    requests = {(line["method"], line["path"], line["status"]): line for line in lines
                if line["logger"] == "matchmaker.requests"}
    made = requests[("POST", "/api/v1/households", 201)]
    assert made["route"] == "/api/v1/households" and made["duration_ms"] >= 0
    assert made["user_id"] is not None and made["level"] == "info" and made["ts"]
    assert ("GET", "/api/v1/households", 200) in requests  # the query string is not logged
    text = log_path.read_text(encoding="utf-8")
    assert created["id"] and HEAD_ID not in text and PHONE not in text


def test_job_lines_are_json_with_the_job_id_and_kind(env, tmp_path):
    result = subprocess.run([MATCHMAKER, "jobs", "tick"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    log_path = tmp_path / "jobs.log"
    log_path.write_text(result.stderr, encoding="utf-8")
    jobs = [line for line in _json_lines(log_path) if "job_id" in line]
    assert jobs and all(line["status"] == "finished" and line["logger"] ==
                        f"matchmaker.jobs.{line['kind']}" for line in jobs)


def test_personal_numbers_in_messages_and_tracebacks_are_scrubbed():
    try:
        raise ValueError(f"bad row {HEAD_ID} / {PHONE}")
    except ValueError:
        record = logging.getLogger("matchmaker.imports").makeRecord(
            "matchmaker.imports", logging.ERROR, __file__, 1, "import of %s failed",
            (HEAD_ID,), exc_info=__import__("sys").exc_info(), extra={"phone_hint": PHONE})
    line = json.loads(JsonFormatter().format(record))
    assert line["exc_type"] == "ValueError" and "[redacted]" in line["exc"]
    assert line["message"] == "import of [redacted] failed" and line["phone_hint"] == "[redacted]"
    assert HEAD_ID not in json.dumps(line) and PHONE not in json.dumps(line)


def test_an_unknown_log_format_is_refused(database_url):
    result = subprocess.run([MATCHMAKER, "jobs", "tick"], capture_output=True, text=True,
                            env=server_env(database_url, MATCHMAKER_LOG_FORMAT="xml"))
    assert result.returncode != 0 and "MATCHMAKER_LOG_FORMAT" in result.stderr


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


FORGED = "/no-such-page%0d%0a%22GET%20/admin%22%20200%200.1ms%20user=1"


def _served_log(env, tmp_path) -> str:
    """The server's own output after a search by ID number and phone and a forging attempt."""
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log, running_server(env, log=log) as url:
        assert _get(f"{url}/api/v1/needs?q={HEAD_ID}&contact=%31%33787654321&page=1") == 200
        assert _get(f"{url}/healthz?phone={PHONE}") == 200
        assert _get(url + FORGED) == 404
        assert _get(url + "/healthz?x=%0d%0aFORGED%20LINE") == 200
    return log_path.read_text(encoding="utf-8")


def test_the_text_access_log_scrubs_query_values_and_escapes_control_characters(
        database_url, tmp_path):
    text = _served_log(server_env(database_url, MATCHMAKER_LOG_FORMAT="text"), tmp_path)
    assert '"GET /api/v1/needs?q=[redacted]&contact=[redacted]&page=1" 200' in text
    assert '"GET /healthz?phone=[redacted]" 200' in text
    assert HEAD_ID not in text and PHONE not in text
    lines = text.splitlines()
    assert not any(line.startswith(('"GET /admin', "FORGED")) for line in lines), text
    assert '"GET /no-such-page\\x0d\\x0a"GET /admin" 200 0.1ms user=1" 404' in text


def test_the_json_log_carries_the_scrubbed_query_and_an_escaped_path(database_url, tmp_path):
    text = _served_log(server_env(database_url, MATCHMAKER_LOG_FORMAT="json"), tmp_path)
    log_path = tmp_path / "lines.log"
    log_path.write_text(text, encoding="utf-8")
    requests = [line for line in _json_lines(log_path) if line["logger"] == "matchmaker.requests"]
    queries = {line["path"]: line["query"] for line in requests}
    assert queries["/api/v1/needs"] == "q=[redacted]&contact=[redacted]&page=1"
    assert queries["/no-such-page\\x0d\\x0a\"GET /admin\" 200 0.1ms user=1"] == ""
    assert HEAD_ID not in text and PHONE not in text
