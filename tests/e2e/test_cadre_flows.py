"""In a real browser, a village cadre at work: receipts of wishes and the verification queue.

Each test makes what it needs through the JSON API (a fresh wish, a fresh placement), clicks as
the cadre would, then checks what was stored through the API, not only what the page said.
"""
import json
import urllib.request
import uuid
from datetime import date, timedelta

import pytest

from tests.e2e.people import SIZES, Api, log_in

pytestmark = pytest.mark.e2e

WUBEI = "360302102200"  # 五陂村, cadre_wubei's village
SEWING = "缝纫工"  # a job offer of 永利集团 (org_yongli)


def members_of_village(cadre: Api) -> list[tuple[int, int]]:
    """(household id, member id) of every member of 五陂村's registered households."""
    found = []
    for household in cadre.ok("GET", f"/households?village={WUBEI}")["items"]:
        detail = cadre.ok("GET", f"/households/{household['id']}")
        found += [(household["id"], member["id"]) for member in detail["members"]]
    return found


def post_wish(cadre: Api, title: str) -> int:
    """A new micro-wish of the first member who has none open (one open wish per member)."""
    for household_id, member_id in members_of_village(cadre):
        status, need = cadre.call("POST", "/needs", {
            "household_id": household_id, "member_id": member_id, "kind": "wish",
            "category": "study", "title": title, "amount_yuan": 60, "guardian_consent": True})
        if status == 201:
            return need["id"]
    raise AssertionError("no member of 五陂村 can take a new wish")


def figures(base: str) -> dict:
    with urllib.request.urlopen(base + "/api/v1/impact", timeout=30) as response:
        return json.loads(response.read())["figures"]


def open_as(browser, base: str, username: str, size: str = "desktop"):
    context = browser.new_context(locale="zh-CN", **SIZES[size])
    page = context.new_page()
    log_in(page, base, username)
    return context, page


def test_a_cadre_cannot_light_an_unclaimed_wish_and_receives_a_claimed_one(live_server,
                                                                           browser):
    cadre, organizer = Api(live_server, "cadre_wubei"), Api(live_server, "org_yongli")
    title = f"一套绘画工具{uuid.uuid4().hex[:4]}"
    need_id = post_wish(cadre, title)
    lit_before = figures(live_server)["wishes_fulfilled"]
    context, page = open_as(browser, live_server, "cadre_wubei")
    try:
        page.goto(live_server + "/cadre/needs")
        row = page.locator("tr", has_text=title)
        assert row.get_by_role("button", name="取消").count() == 1
        assert row.get_by_role("button", name="记录签收").count() == 0
        page.once("dialog", lambda dialog: dialog.dismiss())  # 取消 asks; the cadre says no
        row.get_by_role("button", name="取消").click()
        assert cadre.ok("GET", f"/needs/{need_id}")["status"] == "open"
        status, refused = cadre.call("POST", f"/needs/{need_id}/fulfil", {"note": "x"})
        assert status == 409 and "已认领或已匹配" in refused["error"]["message"]
        assert figures(live_server)["wishes_fulfilled"] == lit_before

        organizer.ok("POST", f"/needs/{need_id}/claim", {})
        page.goto(live_server + "/cadre/needs")
        row = page.locator("tr", has_text=title)
        row.get_by_label("签收说明").fill("家长代为签收")
        row.get_by_role("button", name="记录签收").click()
        assert "已记录签收" in page.locator(".flash-success").inner_text()
    finally:
        context.close()
    stored = cadre.ok("GET", f"/needs/{need_id}")
    assert (stored["status"], stored["receipt_note"]) == ("fulfilled", "家长代为签收")
    assert figures(live_server)["wishes_fulfilled"] == lit_before + 1


def placement_waiting(cadre: Api, organizer: Api) -> int:
    """A hire through a claimed job need whose claim was then given back: pending, to judge."""
    offer = next(o for o in organizer.ok("GET", "/offers?kind=job")["items"]
                 if o["title"] == SEWING)
    placed = {p["member_id"] for p in organizer.ok("GET", "/placements")["items"]
              if p["offer_id"] == offer["id"]}
    household_id, member_id = next(pair for pair in members_of_village(cadre)
                                   if pair[1] not in placed)
    need = cadre.ok("POST", "/needs", {
        "household_id": household_id, "member_id": member_id, "kind": "job",
        "category": "factory", "title": f"缝纫岗位{uuid.uuid4().hex[:4]}"})
    claim = organizer.ok("POST", f"/needs/{need['id']}/claim", {"offer_id": offer["id"]})
    placement = organizer.ok("POST", "/placements", {
        "offer_id": offer["id"], "member_id": member_id, "need_id": need["id"],
        "start_date": (date.today() - timedelta(days=2)).isoformat()})
    organizer.ok("POST", f"/claims/{claim['claim_id']}/release", {"reason": "岗位已满"})
    return placement["id"]


@pytest.mark.parametrize("size", SIZES)
def test_a_cadre_rejects_a_placement_from_the_queue(live_server, browser, size):
    cadre, organizer = Api(live_server, "cadre_wubei"), Api(live_server, "org_yongli")
    placement_id = placement_waiting(cadre, organizer)
    context, page = open_as(browser, live_server, "cadre_wubei", size)
    try:
        page.goto(live_server + "/cadre/verification")
        row = page.locator(f'[data-record="placement-{placement_id}"]')
        row.get_by_label("驳回原因").fill("回访核实:本人未到岗")
        row.get_by_role("button", name="驳回", exact=True).click()
        assert "已驳回" in page.locator(".flash-success").inner_text()
        assert page.locator(f'[data-record="placement-{placement_id}"]').count() == 0
    finally:
        context.close()
    stored = cadre.ok("GET", f"/placements/{placement_id}")
    assert (stored["status"], stored["rejection_reason"]) == ("rejected", "回访核实:本人未到岗")
    assert organizer.ok("GET", f"/placements/{placement_id}")["status"] == "rejected"


def test_the_need_form_shows_the_fields_of_the_chosen_kind(live_server, browser):
    cadre = Api(live_server, "cadre_wubei")
    household_id = members_of_village(cadre)[0][0]
    context, page = open_as(browser, live_server, "cadre_wubei", "phone")
    try:
        page.goto(f"{live_server}/cadre/households/{household_id}/needs/new")
        assert "所在地区" in page.content() and "五陂村" in page.content()
        page.select_option("#kind", "goods")
        assert page.locator("#quantity").is_visible() and page.locator("#unit").is_visible()
        assert not page.locator("#amount_yuan").is_visible()
        assert not page.locator("#member_id").is_visible()
        page.select_option("#kind", "wish")
        assert page.locator("#amount_yuan").is_visible() and page.locator("#member_id").is_visible()
        assert not page.locator("#quantity").is_visible()
        assert page.locator("#category").input_value() in ("study", "daily_life", "health",
                                                           "clothing", "household", "other")
    finally:
        context.close()
