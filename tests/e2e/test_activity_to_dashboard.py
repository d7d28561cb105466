"""In a real browser: an organizer logs an activity, the village's cadre verifies it, and the
public dashboard shows the new hours, with its charts drawn from the API."""
from datetime import date, timedelta

import pytest

from tests.e2e.people import log_in

pytestmark = pytest.mark.e2e

VILLAGE = "360302102200"  # 五陂村, cadre_wubei's village


def hours_shown(page, url: str) -> float:
    page.goto(url + "/")
    text = page.locator("#figures [data-key=volunteer_hours] .value").inner_text()
    return float(text.replace(",", ""))


def test_a_verified_activity_reaches_the_public_dashboard(live_site, browser):
    url = live_site.url
    public = browser.new_context(locale="zh-CN").new_page()
    problems = []
    public.on("console", lambda message: message.type == "error" and problems.append(message.text))
    public.on("pageerror", lambda error: problems.append(str(error)))
    public.on("response", lambda response: response.status >= 400 and problems.append(
        f"{response.status} {response.url}"))
    before = hours_shown(public, url)

    organizer = browser.new_context(locale="zh-CN").new_page()
    log_in(organizer, url, "org_dengta")
    organizer.goto(url + "/organizer/activities/new")
    volunteers = organizer.locator("tr[data-volunteer]").count()
    assert volunteers > 0
    organizer.fill("#title", "浏览器端到端:周末课业辅导")
    organizer.select_option("#category", "tutoring")
    organizer.fill("#date", (date.today() - timedelta(days=1)).isoformat())
    organizer.select_option("#village_code", VILLAGE)
    organizer.fill("#same_hours", "2")
    for box in organizer.locator("tr[data-volunteer] input[type=checkbox]").all():
        box.check()  # nobody takes part until ticked
    organizer.get_by_role("button", name="提交记录").click()
    assert "活动已记录" in organizer.locator(".flash-success").inner_text()
    assert hours_shown(public, url) == before  # pending: not counted yet

    cadre = browser.new_context(locale="zh-CN").new_page()
    log_in(cadre, url, "cadre_wubei")
    cadre.goto(url + "/cadre/verification")
    row = cadre.locator("#queue-activity tr[data-record]",
                        has_text="浏览器端到端:周末课业辅导")
    row.get_by_role("button", name="核实").click()
    assert "已核实" in cadre.locator(".flash-success").inner_text()

    assert hours_shown(public, url) == before + 2 * volunteers
    chart = public.locator("#chart-months")
    chart.locator("svg").first.wait_for(timeout=10000)
    assert chart.get_attribute("data-drawn") == "true"
    assert public.locator("#chart-months svg text", has_text="志愿服务时长").count() >= 1
    assert problems == []  # no script error, nothing refused by the Content-Security-Policy
