"""What the browser tests share: the demo's password, screen sizes, logging in on the page, and the
JSON API as another program reads it (through a bearer token), to check what a page stored."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

PASSWORD = "demo-pass-2026"  # every demo account's (seeds/demo/README.md)
SIZES = {"desktop": {"viewport": {"width": 1280, "height": 900}},
         "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}}


def log_in(page, url: str, username: str) -> None:
    """Log in through the login page as a person does, and wait until it has let us in."""
    page.goto(url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda target: "/login" not in target)


class Api:
    """Calls to the live site's /api/v1, as one user (a bearer token) or anonymous."""

    def __init__(self, url: str, username: str | None = None):
        self.url, self.token = url, None
        if username:
            self.token = self.ok("POST", "/auth/token",
                                 {"username": username, "password": PASSWORD})["token"]

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        """The status and the JSON answer, errors included."""
        request = urllib.request.Request(
            self.url + "/api/v1" + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json",
                     **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def ok(self, method: str, path: str, body: dict | None = None) -> dict:
        """The JSON answer of a call that must succeed."""
        status, answer = self.call(method, path, body)
        assert 200 <= status < 300, f"{method} {path}: {status} {answer}"
        return answer
