"""POST /api/v1/households/import: good rows in, bad rows reported, re-import updates."""
import io

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.imports.template import template_workbook
from matchmaker.models import Household, Member
from tests.conftest import OTHER_VILLAGE, VILLAGE, valid_id_number

HEADER = "户编号,户主姓名,成员姓名,与户主关系,身份证号,性别,联系电话,家庭人口,致贫原因,户类型\n"
A = valid_id_number("19700101", 41)
B = valid_id_number("19800202", 52)
C_CHILD = valid_id_number("20150303", 63)


def csv_file(*lines: str, name: str = "ledger.csv"):
    return {"file": (io.BytesIO((HEADER + "".join(lines)).encode("gb18030")), name),
            "village_code": VILLAGE}


GOOD = (f"W-1,王大,王大,户主,{A},男,13800000011,1,因病,脱贫户\n",
        f"W-2,李二,李二,户主,{B},女,,2,缺资金、因学,监测户\n",
        f"W-2,李二,李小三,子,{C_CHILD},男,,,,\n")


@pytest.fixture
def cadre(bearer):
    return bearer("cadre", region=VILLAGE)


def _post(client, headers, data):
    return client.post("/api/v1/households/import", data=data, headers=headers,
                       content_type="multipart/form-data")


def test_a_ledger_is_imported_and_reimporting_it_updates_instead_of_duplicating(client, cadre):
    first = _post(client, cadre, csv_file(*GOOD)).get_json()
    assert first == {"created": 2, "updated": 0, "errors": []}
    second = _post(client, cadre, csv_file(*GOOD)).get_json()
    assert second == {"created": 0, "updated": 2, "errors": []}
    assert db.session.scalar(select(func.count()).select_from(Household)) == 2
    assert db.session.scalar(select(func.count()).select_from(Member)) == 3


def test_a_bad_row_never_stops_the_good_ones_and_is_reported_by_row(client, cadre):
    bad_id = A[:-1] + ("0" if A[-1] != "0" else "1")
    result = _post(client, cadre, csv_file(
        f"W-1,王大,王大,户主,{bad_id},男,,1,因病,脱贫户\n", *GOOD[1:])).get_json()
    assert result["created"] == 1 and result["updated"] == 0
    assert [(e["row"], e["field"]) for e in result["errors"]] == [(2, "id_number")]
    assert "校验码" in result["errors"][0]["message"]


def test_a_member_error_is_reported_on_the_members_row(client, cadre):
    result = _post(client, cadre, csv_file(
        GOOD[1], f"W-2,李二,,子,{C_CHILD},男,,,,\n")).get_json()
    assert result["created"] == 0
    assert [(e["row"], e["field"]) for e in result["errors"]] == [(3, "members[1].name")]


def test_the_template_imports_cleanly(client, cadre):
    data = {"file": (io.BytesIO(template_workbook()), "template.xlsx")}
    assert _post(client, cadre, data).get_json() == {"created": 1, "updated": 0, "errors": []}


def test_rows_of_another_village_are_refused_row_by_row(client, cadre):
    line = f"W-9,赵九,赵九,户主,{A},男,,1,,脱贫户\n"
    data = {"file": (io.BytesIO((HEADER.replace("户编号,", "户编号,村代码,") + line.replace(
        "W-9,", f"W-9,{OTHER_VILLAGE},")).encode()), "x.csv")}
    result = _post(client, cadre, data).get_json()
    assert result["created"] == 0
    assert result["errors"] == [{"row": 2, "field": "village_code", "message": "该村不在您的管辖范围"}]


def test_an_oversized_upload_is_413(client, cadre):
    response = client.post("/api/v1/households/import", data=b"x" * (10 * 1024 * 1024 + 1),
                           headers=cadre, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


@pytest.mark.parametrize("name, content, message", [
    ("ledger.pdf", b"%PDF-1.4", "请上传 .xlsx 或 .csv 文件"),
    ("ledger.xlsx", b"not a workbook", "无法读取"),
])
def test_unreadable_or_wrong_files_are_refused_with_a_reason(client, cadre, name, content,
                                                            message):
    response = _post(client, cadre, {"file": (io.BytesIO(content), name)})
    assert response.status_code == 422
    assert message in response.get_json()["error"]["message"]


def test_organizers_cannot_import(client, bearer):
    assert _post(client, bearer("organizer"), csv_file(*GOOD)).status_code == 403


def test_a_dry_run_previews_without_writing(client, cadre, make_household):
    twin = make_household(head_name="王大", phone="13800000011",
                          id_number=valid_id_number("19551111", 77))
    data = {**csv_file(*GOOD), "dry_run": "1"}
    preview = _post(client, cadre, data).get_json()
    assert [item["code"] for item in preview["create"]] == ["W-1", "W-2"]
    assert preview["duplicates"] == [{"row": 2, "code": "W-1", "existing_code": twin.code,
                                      "reason": "same_name_and_phone"}]
    assert preview["update"] == [] and preview["errors"] == []
    assert db.session.scalar(select(func.count()).select_from(Household)) == 1


def test_the_uploaded_ledger_is_encrypted_and_dropped_once_applied(client, cadre):
    from matchmaker.models import ImportBatch, User
    from matchmaker.services import imports as import_service

    _post(client, cadre, csv_file(*GOOD))
    batch = db.session.scalar(select(ImportBatch))
    assert batch.content == b"" and batch.status == "applied"
    user = db.session.get(User, batch.created_by_id)
    kept = import_service.upload(user, "again.csv", (HEADER + GOOD[0]).encode(), VILLAGE)
    assert A.encode() not in kept.content and b"13800000011" not in kept.content
