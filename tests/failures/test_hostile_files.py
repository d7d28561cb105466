"""Malformed ledgers and oversized uploads: refused with a reason (422 or 413), never a 5xx,
nothing written. (tests/imports and tests/api cover a renamed PDF, a damaged workbook, a GBK
CSV read by the parser and the API's 413; these add what a hostile file can do.)"""
import io
import zipfile

import pytest
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.imports.template import template_workbook
from matchmaker.models import Household
from tests.api.test_households_import_api import A, HEADER
from tests.conftest import VILLAGE

GOOD_ROW = f"W-1,王大,王大,户主,{A},男,13800000011,1,因病,脱贫户\n"
BOMB_MB = 40  # of zeros in one sheet: about 40 KB compressed


def workbook(**replace: bytes) -> bytes:
    """The template workbook with some of its zip entries replaced."""
    source = zipfile.ZipFile(io.BytesIO(template_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.pop(item.filename, source.read(item)))
        for name, data in replace.items():
            target.writestr(name, data)
    return out.getvalue()


def zip_bomb() -> bytes:
    """The template with its sheet padded by BOMB_MB of blanks: a valid, huge workbook."""
    sheet = template_entry("xl/worksheets/sheet1.xml")
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(template_workbook()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item.filename, source.read(item))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as padded:
            head, tail = sheet.rsplit(b"</worksheet>", 1)
            padded.write(head)
            for _ in range(BOMB_MB):
                padded.write(b" " * 1024 * 1024)
            padded.write(b"</worksheet>" + tail)
    return out.getvalue()


def template_entry(name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(template_workbook())).read(name)


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
          + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
          b'</sheetData></worksheet>')
MACRO_TYPES = template_entry("[Content_Types].xml").replace(
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")

FILES = {
    "not a zip": ("ledger.xlsx", b"MZ\x90\x00 this is a renamed program", "无法读取"),
    "empty xlsx": ("ledger.xlsx", b"", "无法读取"),
    "empty csv": ("ledger.csv", b"", "找不到表头行"),
    "zip bomb": ("ledger.xlsx", None, "解压后过大"),
    "xlsm by name": ("ledger.xlsm", None, "请上传 .xlsx 或 .csv 文件"),
    "xlsm renamed xlsx": ("ledger.xlsx", None, "含宏"),
    "billion laughs": ("ledger.xlsx", None, "无法读取"),
}


def content_of(case: str) -> bytes:
    if case == "zip bomb":
        return zip_bomb()
    if case.startswith("xlsm"):
        return workbook(**{"[Content_Types].xml": MACRO_TYPES, "xl/vbaProject.bin": b"\xd0\xcf"})
    if case == "billion laughs":
        return workbook(**{"xl/worksheets/sheet1.xml": LAUGHS})
    return FILES[case][1]


@pytest.fixture
def cadre(bearer):
    return bearer("cadre", region=VILLAGE)


def upload(client, headers, name: str, data: bytes):
    return client.post("/api/v1/households/import", headers=headers,
                       content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), "village_code": VILLAGE})


def households() -> int:
    return db.session.scalar(select(func.count()).select_from(Household))


@pytest.mark.parametrize("case", list(FILES))
def test_a_hostile_ledger_is_refused_with_a_reason(client, cadre, case):
    name, _, reason = FILES[case]
    before = households()
    response = upload(client, cadre, name, content_of(case))
    if response.status_code == 202:  # read by the import job: the import failed, saying why
        message = client.get(response.headers["Location"], headers=cadre).get_json()["file_error"]
    else:  # refused before any job: not a ledger's kind of file
        assert response.status_code == 422, response.get_data(as_text=True)[:500]
        message = response.get_json()["error"]["message"]
    assert reason in message
    assert households() == before


def test_a_gbk_csv_is_imported_through_the_api(client, cadre):
    response = upload(client, cadre, "ledger.csv", (HEADER + GOOD_ROW).encode("gbk"))
    assert response.status_code == 202 and response.get_json()["counts"]["created"] == 1


def test_an_oversized_upload_on_the_import_page_is_a_friendly_413(client, login_as):
    login_as("cadre")
    body = (b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
            + b"x" * (10 * 1024 * 1024) + b"\r\n--x--\r\n")  # built here: the test client
    response = client.post("/cadre/households/import", data=body,  # would spool it to a file
                           content_type="multipart/form-data; boundary=x")
    html = response.get_data(as_text=True)
    assert response.status_code == 413 and "<html" in html.lower() and "Traceback" not in html
    assert households() == 0
