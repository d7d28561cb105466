"""In a real browser: the home page shows the demo's counts; a demo user logs in and out."""
import pytest

pytestmark = pytest.mark.e2e


def test_home_page_shows_demo_counts(live_server, page):
    page.goto(live_server + "/")
    assert page.title().startswith("党建帮扶对接平台")
    households = page.locator('[data-key="platform-households"] .value').inner_text()
    assert int(households.replace(",", "")) > 0


def test_demo_admin_logs_in_and_out(live_server, page):
    page.goto(live_server + "/login")
    page.fill("#username", "admin")
    page.fill("#password", "demo-pass-2026")
    page.click("button[type=submit]")
    assert page.locator(".who").inner_text().startswith("admin") or "管理员" in page.locator(
        ".who").inner_text()
    page.click("text=退出")
    assert page.locator("text=登录").first.is_visible()


def test_wrong_password_stays_on_the_login_page_with_a_message(live_server, page):
    page.goto(live_server + "/login")
    page.fill("#username", "admin")
    page.fill("#password", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator(".flash-error").inner_text() == "用户名或密码不正确"
