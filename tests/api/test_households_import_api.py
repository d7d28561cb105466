"""POST /api/v1/households/import: queued as a job (202), good rows in, bad rows reported by
row through the paged rows route, re-import updates."""
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


def _rows(client, headers, batch_id: int, section: str) -> list[dict]:
    """Every row of a section, page by page."""
    rows, page = [], 1
    while True:
        body = client.get(f"/api/v1/households/imports/{batch_id}/rows?section={section}"
                          f"&page={page}&per_page=200", headers=headers).get_json()
        rows += body["items"]
        if page * body["per_page"] >= body["total"]:
            return rows
        page += 1


def _import(client, headers, data) -> dict:
    """Post a ledger, and read back (inline jobs are done at once) what the old inline
    answer held: {created, updated, errors}."""
    response = _post(client, headers, data)
    assert response.status_code == 202, response.get_json()
    batch = client.get(response.headers["Location"], headers=headers).get_json()
    assert batch["status"] == "applied" and batch["job"]["status"] == "finished"
    return {"created": batch["counts"]["created"], "updated": batch["counts"]["updated"],
            "errors": _rows(client, headers, batch["id"], "errors")}


def test_a_ledger_is_imported_and_reimporting_it_updates_instead_of_duplicating(client, cadre):
    first = _import(client, cadre, csv_file(*GOOD))
    assert first == {"created": 2, "updated": 0, "errors": []}
    second = _import(client, cadre, csv_file(*GOOD))
    assert second == {"created": 0, "updated": 2, "errors": []}
    assert db.session.scalar(select(func.count()).select_from(Household)) == 2
    assert db.session.scalar(select(func.count()).select_from(Member)) == 3


def test_a_bad_row_never_stops_the_good_ones_and_is_reported_by_row(client, cadre):
    bad_id = A[:-1] + ("0" if A[-1] != "0" else "1")
    result = _import(client, cadre, csv_file(
        f"W-1,王大,王大,户主,{bad_id},男,,1,因病,脱贫户\n", *GOOD[1:]))
    assert result["created"] == 1 and result["updated"] == 0
    assert [(e["row"], e["field"]) for e in result["errors"]] == [(2, "id_number")]
    assert "校验码" in result["errors"][0]["message"]


def test_a_member_error_is_reported_on_the_members_row(client, cadre):
    result = _import(client, cadre, csv_file(
        GOOD[1], f"W-2,李二,,子,{C_CHILD},男,,,,\n"))
    assert result["created"] == 0
    assert [(e["row"], e["field"]) for e in result["errors"]] == [(3, "members[1].name")]


def test_the_template_imports_cleanly(client, cadre):
    data = {"file": (io.BytesIO(template_workbook()), "template.xlsx")}
    assert _import(client, cadre, data) == {"created": 1, "updated": 0, "errors": []}


def test_rows_of_another_village_are_refused_row_by_row(client, cadre):
    line = f"W-9,赵九,赵九,户主,{A},男,,1,,脱贫户\n"
    data = {"file": (io.BytesIO((HEADER.replace("户编号,", "户编号,村代码,") + line.replace(
        "W-9,", f"W-9,{OTHER_VILLAGE},")).encode()), "x.csv")}
    result = _import(client, cadre, data)
    assert result["created"] == 0
    assert result["errors"] == [{"row": 2, "field": "village_code", "message": "该村不在您的管辖范围"}]


def test_an_oversized_upload_is_413(client, cadre):
    response = client.post("/api/v1/households/import", data=b"x" * (10 * 1024 * 1024 + 1),
                           headers=cadre, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_a_wrong_kind_of_file_is_refused_at_once(client, cadre):
    response = _post(client, cadre, {"file": (io.BytesIO(b"%PDF-1.4"), "ledger.pdf")})
    assert response.status_code == 422
    assert "请上传 .xlsx 或 .csv 文件" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("dry_run", ["0", "1"])
def test_an_unreadable_workbook_fails_the_import_with_a_reason(client, cadre, dry_run):
    response = _post(client, cadre, {"file": (io.BytesIO(b"not a workbook"), "ledger.xlsx"),
                                     "dry_run": dry_run})
    assert response.status_code == 202
    batch = client.get(response.headers["Location"], headers=cadre).get_json()
    assert batch["status"] == "failed" and "无法读取" in batch["file_error"]
    assert db.session.scalar(select(func.count()).select_from(Household)) == 0


def test_organizers_cannot_import(client, bearer):
    assert _post(client, bearer("organizer"), csv_file(*GOOD)).status_code == 403


def test_a_dry_run_previews_without_writing(client, cadre, make_household):
    twin = make_household(head_name="王大", phone="13800000011",
                          id_number=valid_id_number("19551111", 77))
    data = {**csv_file(*GOOD), "dry_run": "1"}
    response = _post(client, cadre, data)
    assert response.status_code == 202
    batch = response.get_json()
    assert batch["dry_run"] is True and batch["status"] == "previewed"
    assert batch["counts"] == {"create": 2, "update": 0, "duplicates": 1, "errors": 0}
    assert [item["code"] for item in _rows(client, cadre, batch["id"], "create")] == [
        "W-1", "W-2"]
    assert _rows(client, cadre, batch["id"], "duplicates") == [
        {"row": 2, "code": "W-1", "existing_code": twin.code, "reason": "same_name_and_phone"}]
    assert _rows(client, cadre, batch["id"], "update") == []
    assert db.session.scalar(select(func.count()).select_from(Household)) == 1


def test_the_uploaded_ledger_is_encrypted_and_dropped_once_applied(client, cadre):
    from matchmaker.models import ImportBatch, User
    from matchmaker.services.registry import imports as import_service

    _import(client, cadre, csv_file(*GOOD))
    batch = db.session.scalar(select(ImportBatch))
    assert batch.content == b"" and batch.status == "applied"
    user = db.session.get(User, batch.created_by_id)
    kept = import_service.upload(user, "again.csv", (HEADER + GOOD[0]).encode(), VILLAGE)
    assert A.encode() not in kept.content and b"13800000011" not in kept.content


# -- queued, not inline (issue 18.14) --------------------------------------------------------

def big_ledger(rows: int) -> dict:
    lines = [f"B-{n},户主{n},户主{n},户主,{valid_id_number('19710101', n + 1)},男,,1,因病,"
             f"脱贫户\n" for n in range(rows)]
    return csv_file(*lines)


def test_an_import_is_queued_and_answered_with_its_job_not_its_rows(client, cadre):
    response = _post(client, cadre, {**big_ledger(300), "dry_run": "1"})
    assert response.status_code == 202
    body = response.get_json()
    assert set(body) >= {"id", "status", "dry_run", "job", "counts", "rows_url"}
    assert body["job"]["kind"] == "preview_import" and body["counts"]["create"] == 300
    assert "create" not in body and len(response.data) < 2000  # counts, never the rows
    assert response.headers["Location"].endswith(f"/api/v1/households/imports/{body['id']}")
    page = client.get(f"{body['rows_url']}?section=create&per_page=50&page=2",
                      headers=cadre).get_json()
    assert (page["total"], page["page"], page["per_page"]) == (300, 2, 50)
    assert [row["code"] for row in page["items"]] == [f"B-{n}" for n in range(50, 100)]
    assert db.session.scalar(select(func.count()).select_from(Household)) == 0


def test_an_import_job_runs_on_the_imports_queue(client, cadre):
    from matchmaker.models import ImportBatch, JobRecord

    body = _post(client, cadre, csv_file(*GOOD)).get_json()
    job = db.session.get(JobRecord, body["job"]["id"])
    assert (job.kind, job.queue, job.args) == ("apply_import", "imports", [body["id"]])
    assert db.session.get(ImportBatch, body["id"]).job_id == job.id


def test_another_users_import_is_not_found(client, cadre, bearer):
    body = _post(client, cadre, csv_file(*GOOD)).get_json()
    other = bearer("cadre", region=VILLAGE)
    assert client.get(f"/api/v1/households/imports/{body['id']}", headers=other).status_code == 404
    assert client.get(f"/api/v1/households/imports/{body['id']}/rows",
                      headers=other).status_code == 404


def test_an_unknown_section_of_rows_gets_422(client, cadre):
    body = _post(client, cadre, csv_file(*GOOD)).get_json()
    response = client.get(f"{body['rows_url']}?section=everything", headers=cadre)
    assert response.status_code == 422 and "section" in response.get_json()["error"]["fields"]
