"""In a real browser: a cadre registers a household ticking two poverty causes, then edits only
its address; the JSON API shows the causes stored and kept (issue 19, bug 1), at desktop and
phone size."""
import json
import re
import urllib.request

import pytest

from tests.conftest import valid_id_number

pytestmark = pytest.mark.e2e

SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True},
}
#: a head of household per size, so the two runs never meet on the shared live site
HEADS = {"desktop": ("杜春生", valid_id_number("19640709", 811)),
         "phone": ("杜秋生", valid_id_number("19640709", 812))}


def _api(url: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


@pytest.fixture(params=list(SIZES))
def sized(request, browser):
    context = browser.new_context(locale="zh-CN", **SIZES[request.param])
    yield request.param, context.new_page()
    context.close()


def test_ticked_causes_are_stored_and_survive_an_address_edit(live_server, sized):
    size, page = sized
    name, id_number = HEADS[size]
    page.goto(live_server + "/login")
    page.fill("#username", "cadre_wubei")
    page.fill("#password", "demo-pass-2026")
    page.click("main button[type=submit]")

    page.goto(live_server + "/cadre/households/new")
    page.fill("#head_name", name)
    page.fill("#id_number", id_number)
    page.select_option("#status", "poor")
    page.get_by_label("因病", exact=True).check()
    page.get_by_label("缺资金", exact=True).check()
    page.fill("#members-0-name", name)
    page.select_option("#members-0-relation", "self")
    page.click("main button[type=submit]")
    assert "已登记" in page.locator(".flash-success").inner_text()
    household_id = int(re.search(r"/cadre/households/(\d+)$", page.url)[1])

    page.click("text=修改")
    assert page.get_by_label("因病", exact=True).is_checked()
    assert id_number not in page.content()
    page.fill("#address", f"五陂村{size}组")
    page.click("main button[type=submit]")
    assert "已保存" in page.locator(".flash-success").inner_text()

    token = _api(live_server, "/api/v1/auth/token",
                 {"username": "cadre_wubei", "password": "demo-pass-2026"})["token"]
    stored = _api(live_server, f"/api/v1/households/{household_id}", token=token)
    assert stored["head_name"] == name and stored["address"] == f"五陂村{size}组"
    assert stored["poverty_causes"] == ["illness", "lack_capital"]
    assert stored["id_number_masked"] == f"{id_number[:6]}********{id_number[-4:]}"
    assert [member["relation"] for member in stored["members"]] == ["self"]
