"""Reading ledgers: columns, words, grouping into households, row errors."""
import io

import pytest
from openpyxl import Workbook

from matchmaker.imports import ledger
from matchmaker.imports.template import EXAMPLE_ROWS, HEADER, template_workbook
from matchmaker.privacy import id_number_problem

CSV_HEADER = "户编号,户主姓名,成员姓名,与户主关系,身份证号,性别,联系电话,家庭人口,致贫原因,户类型\n"


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_template_reads_back_as_one_valid_household():
    rows = ledger.read_rows(template_workbook(), "template.xlsx")
    households, errors = ledger.group_households(rows)
    assert errors == []
    [household] = households
    assert household.code == "360302-0001" and household.rows == [2, 3]
    assert household.payload["status"] == "lifted"
    assert household.payload["poverty_causes"] == ["illness", "lack_capital"]
    assert [m["relation"] for m in household.payload["members"]] == ["self", "child"]
    assert household.payload["members"][1]["school_stage"] == "junior"
    assert all(id_number_problem(row[5]) is None for row in EXAMPLE_ROWS)


def test_gbk_csv_from_excel_is_read():
    data = (CSV_HEADER + "A1,王芳,王芳,户主,11010519491231002X,女,13800000002,1,因残,监测户\n"
            ).encode("gb18030")
    [household], errors = ledger.group_households(ledger.read_rows(data, "a.csv"), "360302102200")
    assert errors == [] and household.payload["status"] == "monitored"
    assert household.payload["village_code"] == "360302102200"


def test_unknown_words_are_row_errors_naming_the_field():
    data = (CSV_HEADER + "A1,王芳,王芳,户主,11010519491231002X,女,,2,因病,富裕户\n"
            "A1,王芳,王小,表弟,,男,,,,\n").encode()
    _, errors = ledger.group_households(ledger.read_rows(data, "a.csv"))
    assert [(e.row, e.field) for e in errors] == [(2, "status"), (3, "relation")]
    assert "富裕户" in errors[0].message and "表弟" in errors[1].message


def test_id_number_stored_as_a_number_by_excel_is_caught():
    rows = [HEADER[:6], ["A1", "", "赵六", "赵六", "户主", 110105194912310020.0]]
    _, errors = ledger.group_households(ledger.read_rows(_xlsx(rows), "a.xlsx"))
    assert [(e.row, e.field) for e in errors] == [(2, "id_number")]
    assert "文本" in errors[0].message


def test_household_size_must_match_its_member_rows():
    data = (CSV_HEADER + "A1,王芳,王芳,户主,11010519491231002X,女,,3,,脱贫户\n").encode()
    _, errors = ledger.group_households(ledger.read_rows(data, "a.csv"))
    assert [(e.row, e.field) for e in errors] == [(2, "household_size")]


def test_household_without_a_head_is_an_error():
    data = (CSV_HEADER + "A1,王芳,王小,子,,男,,,,\n").encode()
    _, errors = ledger.group_households(ledger.read_rows(data, "a.csv"))
    assert [(e.row, e.message) for e in errors] == [(2, "该户没有与户主关系为“户主”的成员")]


@pytest.mark.parametrize("data, filename, message", [
    (b"name,age\nx,1\n", "a.csv", "找不到表头行"),
    ("户编号,户主姓名\nA1,王\n".encode(), "a.csv", "缺少必填列"),
    (b"PK\x03\x04 not really a workbook", "a.xlsx", "无法读取"),
    (b"\xff\xfe\x00\xd8bad", "a.csv", "编码"),
])
def test_unreadable_files_say_why(data, filename, message):
    with pytest.raises(ledger.LedgerError, match=message):
        ledger.read_rows(data, filename)


def test_full_width_and_spaces_are_normalised():
    data = (CSV_HEADER + " Ａ１ ,王芳,王芳,户主, １１０１０５１９４９１２３１００２ｘ ,女,,1,,脱贫户\n").encode()
    [household], _ = ledger.group_households(ledger.read_rows(data, "a.csv"))
    assert household.code == "A1" and household.payload["id_number"] == "11010519491231002X"
