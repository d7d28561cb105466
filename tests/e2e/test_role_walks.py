"""Each role's walk through the pages (issue 19): every link of its menu opens without error, and
its main task is done end to end by clicking and typing, at desktop and at phone size; then what
was stored is read back through the JSON API, not from what the page said.

The live site is shared by every browser test of the worker: each walk makes what it needs with
a title of its own, so the walks do not depend on their order.
"""
from __future__ import annotations

import io
import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import valid_id_number
from tests.e2e.people import SIZES, Api, log_in

pytestmark = pytest.mark.e2e

COUNTY, TOWNSHIP, VILLAGE = "360302000000", "360302102000", "360302102200"  # 安源区 五陂镇 五陂村


# -- the JSON API, as another program would read it --------------------------------------------

def unique(text: str) -> str:
    return f"{text}{uuid.uuid4().hex[:6]}"


def household_of_village(cadre: Api) -> int:
    return cadre.ok("GET", f"/households?village={VILLAGE}")["items"][0]["id"]


def post_need(cadre: Api, household_id: int, title: str, kind: str = "service") -> dict:
    return cadre.ok("POST", "/needs", {"household_id": household_id, "kind": kind,
                                       "category": "tutoring", "title": title})


# -- the browser --------------------------------------------------------------------------------

@pytest.fixture(params=list(SIZES))
def screen(request, browser):
    """A page at desktop or phone size that records every script error and refused response."""
    context = browser.new_context(locale="zh-CN", **SIZES[request.param])
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.problems.append(
        message.text))
    page.on("response", lambda response: response.status >= 400 and page.problems.append(
        f"{response.status} {response.url}"))
    page.on("dialog", lambda dialog: dialog.accept())  # a person confirms what they asked for
    yield page
    context.close()


def walk_menu(page) -> list[str]:
    """Click every link of the main menu in turn; each must open its page without an error."""
    links = page.locator("nav.nav a")
    labels = [text.strip() for text in links.all_inner_texts()]
    assert labels, "the menu is empty"
    for index, label in enumerate(labels):
        with page.expect_navigation() as opened:
            page.locator("nav.nav a").nth(index).click()
        response = opened.value
        assert response is not None and response.status == 200, f"{label}: {response}"
        assert page.locator(".error-page").count() == 0, f"{label} shows an error page"
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size[
            "width"], f"{label} is wider than the screen"  # a phone would shrink it all
    assert page.problems == [], page.problems
    return labels


def click_menu(page, label: str) -> None:
    with page.expect_navigation():
        page.locator("nav.nav a", has_text=label).first.click()


def flash(page) -> str:
    return page.locator(".flash-success").first.inner_text()


# -- the walks ----------------------------------------------------------------------------------

def test_organizer_claims_a_need_and_logs_an_activity_with_two_volunteers(live_site, screen):
    url, page = live_site.url, screen
    cadre, organizer = Api(url, "cadre_wubei"), Api(url, "org_dengta")
    title = unique("课业辅导需求")
    need = post_need(cadre, household_of_village(cadre), title)

    log_in(page, url, "org_dengta")
    assert page.url == url + "/organizer/"  # the workbench, not the public dashboard
    assert {"我的工作台", "认领需求", "活动记录", "服务队与证明", "本组织", "证明查验"} <= set(
        walk_menu(page))

    click_menu(page, "认领需求")
    row = page.locator(f'tr[data-need="{need["id"]}"]')
    row.get_by_role("button", name="认领", exact=True).click()
    page.wait_for_load_state()
    assert "认领" in flash(page)

    click_menu(page, "活动记录")
    page.get_by_role("link", name="记录新活动").click()
    activity = unique("周末课业辅导")
    page.fill("#title", activity)
    page.select_option("#category", "tutoring")
    page.fill("#date", (date.today() - timedelta(days=1)).isoformat())
    page.select_option("#village_code", VILLAGE)
    page.fill("#same_hours", "2")
    rows = page.locator("tr[data-volunteer]")
    assert rows.count() >= 2
    rows.nth(0).locator("input[type=checkbox]").check()
    rows.nth(0).locator("input[type=number]").fill("2.5")
    rows.nth(1).locator("input[type=checkbox]").check()
    page.locator("label", has_text=title).click()  # the claimed need this activity delivers
    page.get_by_role("button", name="提交记录").click()
    page.wait_for_load_state()
    assert "活动已记录" in flash(page)

    stored = next(item for item in organizer.ok("GET", "/activities?per_page=50")["items"]
                  if item["title"] == activity)
    assert len(stored["hours"]) == 2 and stored["total_hours"] == 4.5
    assert sorted(line["hours"] for line in stored["hours"]) == [2, 2.5]
    assert stored["need_ids"] == [need["id"]] and stored["status"] == "pending"
    claim = next(item for item in organizer.ok("GET", "/claims?per_page=100")["items"]
                 if item["need_id"] == need["id"])
    assert claim["status"] in ("active", "recorded") and claim["need_status"] == "claimed"
    assert page.problems == [], page.problems


def test_village_cadre_posts_a_wish_and_confirms_a_claimed_need_delivered(live_site, screen):
    url, page = live_site.url, screen
    cadre, organizer = Api(url, "cadre_wubei"), Api(url, "org_dengta")
    serial = uuid.uuid4().int % 900 + 100
    household = cadre.ok("POST", "/households", {
        "village_code": VILLAGE, "head_name": unique("钟"), "status": "poor",
        "id_number": valid_id_number("19660303", serial), "poverty_causes": ["illness"],
        "members": [{"name": "钟大伯", "relation": "self"}]})

    log_in(page, url, "cadre_wubei")
    assert "/cadre/" in page.url
    assert {"农户", "需求与微心愿", "匹配建议", "待核实记录"} <= set(walk_menu(page))

    click_menu(page, "农户")
    page.fill("input[name=q]", household["code"])
    page.locator("input[name=q]").press("Enter")
    page.wait_for_load_state()
    page.get_by_role("link", name=household["code"]).first.click()
    page.get_by_role("link", name="发布需求或微心愿").click()
    wish = unique("一件冬衣")
    page.select_option("#kind", "wish")
    page.select_option("#category", "clothing")
    page.select_option("#member_id", label="钟大伯")
    page.fill("#title", wish)
    page.fill("#amount_yuan", "120")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "已发布" in flash(page)
    posted = [item for item in cadre.ok("GET", "/needs?mine=1&kind=wish&per_page=100")["items"]
              if item["title"] == wish]
    assert len(posted) == 1 and posted[0]["status"] == "open"
    assert posted[0]["household_id"] == household["id"] and posted[0]["amount_yuan"] == 120

    delivered = post_need(cadre, household["id"], unique("代购药品"))
    organizer.ok("POST", f"/needs/{delivered['id']}/claim", {})
    click_menu(page, "需求与微心愿")
    row = page.locator(f'tr[data-need="{delivered["id"]}"]')
    row.locator("input[name=note]").fill("药品已送到")
    row.get_by_role("button", name="记录签收").click()
    page.wait_for_load_state()
    assert flash(page)
    stored = cadre.ok("GET", f"/needs/{delivered['id']}")
    assert stored["status"] == "fulfilled" and stored["receipt_note"] == "药品已送到"
    assert page.problems == [], page.problems


def test_township_reviewer_approves_a_need_under_review(live_site, screen):
    url, page = live_site.url, screen
    admin, cadre = Api(url, "admin"), Api(url, "cadre_wubei")
    rules = admin.ok("GET", f"/counties/{COUNTY}/rules")
    keep = {key: rules[key] for key in ("township_review", "one_open_wish_per_member")}
    admin.ok("PUT", f"/counties/{COUNTY}/rules", {**keep, "township_review": True})
    try:
        need = post_need(cadre, household_of_village(cadre), unique("入户陪护"))
    finally:
        admin.ok("PUT", f"/counties/{COUNTY}/rules", keep)
    assert need["status"] == "review"

    log_in(page, url, "cadre_wubeizhen")
    assert "/cadre/" in page.url
    assert {"农户", "需求与微心愿", "待核实记录"} <= set(walk_menu(page))
    click_menu(page, "需求与微心愿")
    page.locator(f'tr[data-need="{need["id"]}"]').get_by_role("button", name="审核通过").click()
    page.wait_for_load_state()
    assert flash(page)
    assert cadre.ok("GET", f"/needs/{need['id']}")["status"] == "open"
    assert page.problems == [], page.problems


def test_admin_starts_a_matching_round_for_the_county(live_site, screen):
    url, page = live_site.url, screen
    admin = Api(url, "admin")
    log_in(page, url, "admin")
    assert page.url == url + "/admin/match-runs"
    assert {"匹配", "农户", "需求与微心愿", "待核实记录", "匹配建议"} <= set(walk_menu(page))

    click_menu(page, "匹配")
    page.select_option("select[name=region_code]", COUNTY)
    page.get_by_role("button", name="发起匹配").click()
    page.wait_for_load_state()
    run_id = int(re.search(r"第(\d+)轮", flash(page)).group(1))
    run = admin.ok("GET", f"/match-runs/{run_id}")
    assert run["status"] == "finished", run
    assert page.problems == [], page.problems


def test_public_filters_the_wish_board_and_downloads_the_figures(live_site, screen):
    url, page = live_site.url, screen
    page.goto(url + "/")
    assert {"首页", "微心愿", "证明查验"} <= set(walk_menu(page))

    click_menu(page, "微心愿")
    page.select_option("select[name=region]", TOWNSHIP)
    page.select_option("select[name=category]", "study")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    shown = {int(need) for need in page.locator("li.wish").evaluate_all(
        "cards => cards.map(card => card.dataset.need)")}
    public = Api(url)
    expected = public.ok("GET", f"/needs?kind=wish&category=study&region={TOWNSHIP}"
                                "&per_page=200")["items"]
    assert shown == {item["id"] for item in expected}
    if shown:  # a wish says how to help, never who the household is
        page.locator("li.wish .wish-help a").first.click()
        assert page.locator("#how-to-help").is_visible()

    click_menu(page, "首页")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="下载 Excel").click()
    download = downloading.value
    assert download.suggested_filename == "全部地区_全部时间_帮扶成效.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    figures = public.ok("GET", "/impact")["figures"]
    assert cells["志愿服务时长(小时)"] == figures["volunteer_hours"]
    assert cells["微心愿"] == figures["wishes_posted"]
    assert page.problems == [], page.problems


def test_a_region_bar_of_the_chart_drills_down_like_its_table_row(live_site, screen):
    url, page = live_site.url, screen
    page.goto(url + f"/?region={COUNTY}")
    chart = page.locator("#chart-regions")
    chart.locator("svg").first.wait_for(timeout=10000)
    target = page.evaluate("""() => {
        const element = document.getElementById('chart-regions');
        const chart = echarts.getInstanceByDom(element);
        const data = chart.getOption().series[0].data;
        const index = data.findIndex(bar => bar.value > 0);
        const [x, y] = chart.convertToPixel({seriesIndex: 0}, [data[index].value / 2, index]);
        return {key: data[index].key, x, y};
    }""")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()  # in the viewport's coordinates, as the pointer is
    point = [box["x"] + target["x"], box["y"] + target["y"]]
    # the bars grow in for a moment: a person taps once the bar is there
    page.wait_for_function("([x, y]) => document.elementFromPoint(x, y)?.tagName === 'path'",
                           arg=point, timeout=10000)
    with page.expect_navigation():
        page.mouse.click(*point)
    row_link = f"region={target['key']}"
    assert row_link in page.url
    assert page.problems == [], page.problems
