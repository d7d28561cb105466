"""A ledger file → one API-shaped payload per household, with per-row errors kept apart."""
from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook

from matchmaker.imports import vocabulary as words

MAX_ROWS = 500_000
#: a workbook is a zip: refuse one that would unpack to more than this, or that packs a part
#: more tightly than real sheets do (a zip bomb), before openpyxl reads anything
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_PARTS = 1000
UNREADABLE = "无法读取该 .xlsx 文件,请确认文件完好且是Excel工作簿"


class LedgerError(Exception):
    """The file as a whole cannot be read (wrong type, no header row, missing columns)."""


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class LedgerHousehold:
    code: str
    rows: list[int] = field(default_factory=list)
    payload: dict = field(default_factory=dict)
    #: the spreadsheet row of each member, in payload order, for mapping errors back
    member_rows: list[int] = field(default_factory=list)


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, object]]]:
    """(row number, {column key: cell}) for every non-empty row under the header."""
    table = _xlsx_rows(data) if filename.lower().endswith(".xlsx") else _csv_rows(data)
    for index, cells in enumerate(table):
        names = [_text(cell) for cell in cells]
        if "户编号" in names:
            return _under_header(names, table[index + 1:], index + 2)
    raise LedgerError("找不到表头行:第一行须包含“户编号”等列名(可下载模板对照)")


def _under_header(names, rows, first_row: int):
    missing = [name for name in words.REQUIRED_COLUMNS if name not in names]
    if missing:
        raise LedgerError("缺少必填列:" + "、".join(missing))
    keys = [words.COLUMNS.get(name) for name in names]
    found = []
    for offset, cells in enumerate(rows):
        values = {key: cell for key, cell in zip(keys, cells) if key and _text(cell)}
        if values:
            found.append((first_row + offset, values))
    if len(found) > MAX_ROWS:
        raise LedgerError(f"一次最多导入{MAX_ROWS}行")
    return found


def _check_archive(data: bytes) -> None:
    """Only a plain workbook of sane size is opened: no zip bomb, no macros."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise LedgerError(UNREADABLE) from exc
    parts = archive.infolist()
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES \
            or any(part.file_size > 2**20 and part.file_size > MAX_RATIO * part.compress_size
                   for part in parts):
        raise LedgerError("该 .xlsx 文件解压后过大(疑似压缩炸弹),请删去无关内容或分成几个文件")
    names = {part.filename.lower() for part in parts}
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() \
        else b""
    if "xl/vbaproject.bin" in names or b"macroenabled" in types.lower():
        raise LedgerError("含宏的工作簿不能导入,请在Excel中另存为 .xlsx(不含宏)后再上传")


def _xlsx_rows(data: bytes) -> list[tuple]:
    _check_archive(data)
    try:  # openpyxl raises many kinds for a damaged or disguised file, opening or reading it
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    except Exception as exc:
        raise LedgerError(UNREADABLE) from exc


def _csv_rows(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LedgerError("无法识别CSV文件的编码(支持UTF-8和GBK)")
    return list(csv.reader(io.StringIO(text)))


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, (datetime, date)):
        return cell.strftime("%Y-%m-%d")
    return unicodedata.normalize("NFKC", str(cell)).strip()


def group_households(rows, default_village: str | None = None):
    """Rows grouped by 户编号 into payloads; words that mean nothing become row errors."""
    households: dict[str, LedgerHousehold] = {}
    errors: list[RowError] = []
    for number, values in rows:
        code = _text(values.get("household_code"))
        household = households.setdefault(code, LedgerHousehold(code))
        household.rows.append(number)
        member = _member(number, values, errors)
        if member.get("relation") == "self":
            _fill_household(household, number, values, default_village, errors)
            member.pop("id_number", None)  # the household's own ID number stands for the head
        household.payload.setdefault("members", []).append(member)
        household.member_rows.append(number)
    for household in households.values():
        _check_household(household, errors)
    return list(households.values()), sorted(errors, key=lambda e: (e.row, e.field))


def _member(number: int, values: dict, errors: list[RowError]) -> dict:
    member = {"name": _text(values.get("name")), "skills": words.split_list(
        _text(values.get("skills")))}
    member["id_number"] = _id_number(number, values.get("id_number"), errors)
    for key, table in (("relation", words.RELATION), ("gender", words.GENDER),
                       ("labour_capacity", words.LABOUR), ("school_stage", words.SCHOOL)):
        text = _text(values.get(key))
        if text:
            member[key] = words.lookup(table, text)
            if member[key] is None:
                errors.append(RowError(number, key, f"无法识别“{text}”"))
    member["is_student"] = member.get("school_stage") is not None
    if _text(values.get("birth_date")):
        member["birth_date"] = _text(values.get("birth_date"))[:10]
    return {key: value for key, value in member.items() if value not in (None, "")}


def _id_number(number: int, cell, errors: list[RowError]) -> str:
    if isinstance(cell, float):
        errors.append(RowError(number, "id_number",
                               "身份证号被Excel存成了数字,后几位已丢失:请把该列设为文本后重新填写"))
        return ""
    return _text(cell).upper()


def _fill_household(household: LedgerHousehold, number: int, values: dict,
                    default_village: str | None, errors: list[RowError]) -> None:
    payload = household.payload
    payload.update(code=household.code, head_name=_text(values.get("head_name")),
                   id_number=_id_number(number, values.get("id_number"), []),
                   village_code=_text(values.get("village_code")) or default_village or "")
    for key in ("phone", "address"):
        if _text(values.get(key)):
            payload[key] = _text(values.get(key))
    status = _text(values.get("status"))
    payload["status"] = words.lookup(words.STATUS, status) if status else ""
    if status and payload["status"] is None:
        errors.append(RowError(number, "status", f"无法识别户类型“{status}”"))
    causes = words.split_list(_text(values.get("poverty_causes")))
    payload["poverty_causes"] = [words.lookup(words.CAUSES, cause) or cause for cause in causes]
    size = _text(values.get("household_size"))
    payload["_size"] = int(float(size)) if size.replace(".", "", 1).isdigit() else None


def _check_household(household: LedgerHousehold, errors: list[RowError]) -> None:
    first = household.rows[0]
    if not household.code:
        errors.append(RowError(first, "household_code", "户编号不能为空"))
    if "head_name" not in household.payload:
        errors.append(RowError(first, "relation", "该户没有与户主关系为“户主”的成员"))
        return
    size = household.payload.pop("_size", None)
    if size is not None and size != len(household.payload["members"]):
        errors.append(RowError(first, "household_size",
                               f"家庭人口为{size},但表中有{len(household.payload['members'])}名成员"))
