"""A live server on 127.0.0.1 and Debian's chromium driven by Playwright."""
import os
import subprocess

import pytest

from tests.conftest import MATCHMAKER, free_port, get_when_up, service_missing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """`matchmaker serve` on a fresh SQLite database with the demo data loaded."""
    folder = tmp_path_factory.mktemp("live")
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": f"sqlite:///{folder / 'live.sqlite'}",
           "MATCHMAKER_SECRET_KEY": "e2e-secret", "MATCHMAKER_DATA_KEY": "e2e-data-key"}
    env.pop("MATCHMAKER_REDIS_URL", None)
    for args in (["init"], ["seed", "demo"]):
        subprocess.run([MATCHMAKER, *args], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([MATCHMAKER, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        get_when_up(url + "/healthz")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        service_missing("chromium", FileNotFoundError(CHROMIUM))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


class LiveSite:
    """A live server and the environment of its database, for running CLI commands against it."""

    def __init__(self, url: str, env: dict):
        self.url, self.env = url, env

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([MATCHMAKER, *args], env=self.env, check=True,
                              capture_output=True, text=True)


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """Like live_server (demo data loaded), but also yields the env so tests can create users."""
    folder = tmp_path_factory.mktemp("live-site")
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": f"sqlite:///{folder / 'live.sqlite'}",
           "MATCHMAKER_SECRET_KEY": "e2e-secret", "MATCHMAKER_DATA_KEY": "e2e-data-key"}
    env.pop("MATCHMAKER_REDIS_URL", None)
    site = LiveSite("", env)
    for args in (["init"], ["seed", "demo"]):
        site.cli(*args)
    port = free_port()
    server = subprocess.Popen([MATCHMAKER, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    site.url = f"http://127.0.0.1:{port}"
    try:
        get_when_up(site.url + "/healthz")
        yield site
    finally:
        server.terminate()
        server.wait(timeout=10)
