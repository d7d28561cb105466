"""A live server on 127.0.0.1 and Debian's chromium driven by Playwright."""
import os
import subprocess

import pytest

from tests.conftest import MATCHMAKER, running_server, server_env, service_missing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def live_server(live_site) -> str:
    """The base URL of the live site."""
    return live_site.url


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
    """`matchmaker serve` on a fresh SQLite database with the demo data loaded, and its env."""
    folder = tmp_path_factory.mktemp("live-site")
    site = LiveSite("", server_env(f"sqlite:///{folder / 'live.sqlite'}"))
    for args in (["init"], ["seed", "demo"]):
        site.cli(*args)
    with running_server(site.env) as url:
        site.url = url
        yield site
