"""A live server on 127.0.0.1 and Debian's chromium driven by Playwright."""
import os
import shutil
import subprocess

import pytest

from matchmaker.extensions import db
from tests.conftest import (
    MATCHMAKER, build_app, run_cli, running_server, server_env, service_missing,
)

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
def live_site(tmp_path_factory, sqlite_template):
    """`matchmaker serve` on a fresh SQLite database with the demo data loaded, and its env.

    The database is the migrated template (what `matchmaker init` makes) with `matchmaker seed
    demo` run in process: two process starts fewer than running both; the server is the console
    script itself."""
    folder = tmp_path_factory.mktemp("live-site")
    url = f"sqlite:///{folder / 'live.sqlite'}"
    shutil.copyfile(sqlite_template, folder / "live.sqlite")
    seeding = build_app(url)
    seeded = run_cli(seeding, "seed", "demo")
    assert seeded.returncode == 0, seeded.stderr
    with seeding.app_context():
        db.engine.dispose()
    site = LiveSite("", server_env(url))
    with running_server(site.env) as url:
        site.url = url
        yield site
