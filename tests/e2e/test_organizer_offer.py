"""In a real browser: a new organizer registers organization, branch and team, posts an offer."""
import pytest

pytestmark = pytest.mark.e2e

USERNAME, PASSWORD = "org_e2e_xinghuo", "e2e-organizer-pass-1"


def log_in(page, url: str) -> None:
    page.goto(url + "/login")
    page.fill("#username", USERNAME)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")


def register_organization_branch_and_team(page) -> None:
    page.fill("#name", "萍乡市星火助学志愿服务中心")
    page.select_option("#kind", "social_org")
    page.fill("#credit_code", "91350100M000100Y43")
    page.select_option("#region_code", "360302102000")
    page.click("main button[type=submit]")
    assert "第二步" in page.locator(".flash-success").inner_text()
    page.fill("#name", "星火助学志愿服务中心党支部")
    page.select_option("#level", "branch")
    page.select_option("#formation", "standalone")
    page.click("main button[type=submit]")
    assert "第三步" in page.locator(".flash-success").inner_text()
    page.fill("#name", "星火助学服务队")
    page.check("input[name=categories][value=tutoring]")
    page.select_option("#region_code", "360302102200")
    page.fill("#radius_km", "20")
    page.click("main button[type=submit]")


def post_goods_offer(page) -> None:
    page.click("nav >> text=供给")
    page.click("text=发布供给")
    page.click("[data-kind=goods]")
    assert page.locator("label[for=quantity]").inner_text() == "物资数量"
    page.select_option("#category", "study")
    page.fill("#title", "新学期书包")
    page.fill("#quantity", "40")
    page.fill("#unit", "个")
    page.select_option("#team_id", label="星火助学服务队")
    page.click("main button[type=submit]")


def test_an_organizer_registers_and_posts_an_offer_listed_with_its_capacity(live_site, page):
    live_site.cli("user", "create", "--username", USERNAME, "--password", PASSWORD,
                  "--role", "organizer")
    log_in(page, live_site.url)
    page.goto(live_site.url + "/organizer/offers")
    assert page.url.endswith("/organizer/organization/new")
    register_organization_branch_and_team(page)
    assert page.url.endswith("/organizer/teams")
    assert "星火助学服务队" in page.locator("main").inner_text()
    post_goods_offer(page)
    assert "供给已发布" in page.locator(".flash-success").inner_text()
    row = page.locator("tr", has_text="新学期书包")
    assert row.locator(".capacity-left").inner_text() == "40个"
    assert "可对接" in row.inner_text() and "物资" in row.inner_text()


def test_the_organizer_then_claims_a_wish_with_its_offer(live_site, page):
    """Runs after the registration test above (same live site, same organizer)."""
    log_in(page, live_site.url)
    page.goto(live_site.url + "/organizer/needs?kind=wish&category=study")
    row = page.locator("tr[data-need]").first
    need_id = row.get_attribute("data-need")
    title = row.locator("td").nth(3).inner_text().splitlines()[0]
    row.locator("select[name=offer_id]").select_option(label="新学期书包(物资,剩余40)")
    row.get_by_role("button", name="认领", exact=True).click()
    assert "认领成功" in page.locator(".flash-success").inner_text()
    page.goto(live_site.url + "/organizer/")
    workbench = page.locator("main").inner_text()
    assert title in workbench and "39" in workbench
    page.goto(live_site.url + "/wishes")
    assert page.locator(f".wish[data-need='{need_id}']").count() == 0
