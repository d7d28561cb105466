"""In a real browser: a cadre imports a ledger, posts a wish for a child, the board shows it."""
import pytest

from tests.conftest import valid_id_number

pytestmark = pytest.mark.e2e

HEAD = valid_id_number("19720303", 601)
CHILD = valid_id_number("20170404", 602)
LEDGER = ("户编号,户主姓名,成员姓名,与户主关系,身份证号,联系电话,家庭人口,致贫原因,户类型\n"
          f"E2E-1,郑秋生,郑秋生,户主,{HEAD},13800009999,2,因病、缺劳力,监测户\n"
          f"E2E-1,郑秋生,郑乐乐,女儿,{CHILD},,,,\n")


def test_cadre_imports_a_sheet_posts_a_wish_and_the_board_shows_it(live_server, page,
                                                                    tmp_path):
    sheet = tmp_path / "ledger.csv"
    sheet.write_text(LEDGER, encoding="utf-8")
    page.goto(live_server + "/login")
    page.fill("#username", "cadre_wubei")
    page.fill("#password", "demo-pass-2026")
    page.click("main button[type=submit]")

    page.goto(live_server + "/cadre/households/import")
    page.set_input_files("#file", str(sheet))
    page.select_option("#village_code", "360302102200")
    page.click("main button[type=submit]")
    assert page.locator('[data-key="create"] strong').inner_text() == "1"
    page.click("text=确认导入")
    assert "新增 1 户" in page.locator(".flash-success").inner_text()

    page.goto(live_server + "/cadre/households?q=E2E-1")
    page.click("text=E2E-1")
    assert HEAD not in page.content() and "138****9999" in page.content()
    page.click("text=发布需求或微心愿")
    page.select_option("#kind", "wish")
    page.select_option("#category", "study")
    page.select_option("#member_id", label="郑乐乐")
    page.fill("#title", "一副羽毛球拍")
    page.fill("#amount_yuan", "90")
    page.check("#guardian_consent")
    page.click("main button[type=submit]")
    assert "已发布" in page.locator(".flash-success").inner_text()

    page.goto(live_server + "/wishes")
    wish = page.locator(".wish", has_text="一副羽毛球拍")
    assert "郑同学" in wish.inner_text() and "五陂村" in wish.inner_text()
    assert "郑乐乐" not in page.content() and "郑秋生" not in page.content()
