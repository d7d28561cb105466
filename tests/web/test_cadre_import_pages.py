"""The import pages speak the sheet's language: fields named by column, households listed."""
import csv
import io

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Household, ImportBatch, Region
from matchmaker.web.cadre_imports import field_label
from tests.conftest import VILLAGE, valid_id_number

GOOD_HEAD, BAD_HEAD = valid_id_number("19700707", 93), valid_id_number("19710808", 94)
CHILD = valid_id_number("20100101", 95)
BAD_CHILD = CHILD[:-1] + ("1" if CHILD[-1] != "1" else "2")  # a wrong check digit
SHEET = ("户编号,户主姓名,成员姓名,与户主关系,身份证号,家庭人口,户类型\n"
         f"Q-1,孙一,孙一,户主,{GOOD_HEAD},1,脱贫户\n"
         f"Q-2,孙二,孙二,户主,{BAD_HEAD},2,脱贫户\n"
         f"Q-2,孙二,孙小二,子,{BAD_CHILD},,\n")


def test_error_fields_read_as_the_sheets_columns():
    assert field_label("members[1].id_number") == "成员2 · 身份证号"
    assert field_label("members[0].relation") == "成员1 · 与户主关系"
    assert (field_label("village_code"), field_label("code"), field_label("")) == (
        "村代码", "户编号", "整户")


def test_the_preview_lists_households_and_says_a_bad_row_skips_its_household(client,
                                                                              login_as):
    login_as("cadre", region=VILLAGE)
    response = client.post("/cadre/households/import", data={
        "file": (io.BytesIO(SHEET.encode()), "ledger.csv"), "village_code": VILLAGE},
        content_type="multipart/form-data")
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-household="Q-1"' in preview and 'data-household="Q-2"' not in preview
    errors = preview.split('class="data import-errors"')[1].split("</table>")[0]
    assert "<td>4</td><td>成员2 · 身份证号</td>" in errors and "members[1]" not in preview
    assert "整户不会导入" in preview and "其余行不受影响" not in preview
    batch = db.session.scalar(select(ImportBatch))
    result = client.post(f"/cadre/imports/{batch.id}/apply", follow_redirects=True)
    assert "整户未导入" in result.get_data(as_text=True)
    assert db.session.scalars(select(Household.code)).all() == ["Q-1"]
    assert db.session.scalar(select(func.count()).select_from(Household)) == 1
    report = client.get(f"/cadre/imports/{batch.id}/errors.csv").get_data(as_text=True)
    assert "\n4,成员2 · 身份证号," in report


def test_the_error_report_quotes_every_formula_lead_as_the_impact_downloads_do(client, login_as):
    """A tab or carriage return before a formula is run by some spreadsheets too (issue 17)."""
    user = login_as("cadre", region=VILLAGE)
    village = db.session.scalar(select(Region).where(Region.code == VILLAGE))
    errors = [{"row": 2, "field": "", "message": lead + "=HYPERLINK(\"x\")"}
              for lead in ("=", "+", "-", "@", "\t", "\r")]
    batch = ImportBatch(created_by_id=user.id, region_id=village.id, filename="ledger.csv",
                        content=b"", size=0, preview={"errors": errors})
    db.session.add(batch)
    db.session.commit()
    report = client.get(f"/cadre/imports/{batch.id}/errors.csv").get_data(as_text=True)
    cells = [row[2] for row in csv.reader(io.StringIO(report.lstrip("\ufeff")))][1:]
    assert cells == ["'" + error["message"] for error in errors]
