"""Importing household ledgers: upload, dry-run preview, then apply, one household at a time."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matchmaker import privacy
from matchmaker.errors import DomainError, Invalid
from matchmaker.extensions import db
from matchmaker.forms import first_errors
from matchmaker.forms.households import HouseholdForm
from matchmaker.imports import ledger
from matchmaker.models import Household, ImportBatch, ImportStatus, Region, User
from matchmaker.models.base import utcnow
from matchmaker.services import audit
from matchmaker.services.registry import households

MAX_BYTES = 10 * 1024 * 1024
ALLOWED = (".xlsx", ".csv")
CHUNK = 500


class TooLarge(DomainError):
    code, status = "too_large", 413


def upload(user: User, filename: str, data: bytes, default_village: str | None) -> ImportBatch:
    """Keep the file, encrypted, for its preview; nothing is read into the registry yet."""
    if not filename.lower().endswith(ALLOWED):
        raise Invalid({"file": "请上传 .xlsx 或 .csv 文件"})
    if len(data) > MAX_BYTES:
        raise TooLarge("文件超过10MB,请拆分后分批导入")
    village = households.village_for(user, default_village) if default_village else None
    region_id = user.region_id or db.session.scalar(
        select(Region.id).where(Region.parent_id.is_(None)).order_by(Region.id).limit(1))
    batch = ImportBatch(created_by_id=user.id, region_id=region_id,
                        default_village_id=village.id if village else None,
                        filename=filename[-255:], content=privacy.encrypt_bytes(data),
                        size=len(data))
    db.session.add(batch)
    db.session.flush()
    audit.record("import.upload", user.id, batch, size=len(data))
    return batch


def parse(batch: ImportBatch) -> tuple[list[ledger.LedgerHousehold], list[ledger.RowError]]:
    """The batch's valid households, and the errors of the others, row by row."""
    village = db.session.get(Region, batch.default_village_id) if batch.default_village_id else None
    rows = ledger.read_rows(privacy.decrypt_bytes(batch.content), batch.filename)
    found, errors = ledger.group_households(rows, village.code if village else None)
    bad_rows = {error.row for error in errors}
    valid = []
    for item in found:
        problems = _form_problems(item)
        errors += problems
        if not problems and not bad_rows.intersection(item.rows):
            valid.append(item)
    return _unique_in_file(valid, errors)


def _form_problems(item: ledger.LedgerHousehold) -> list[ledger.RowError]:
    """The same HouseholdForm as the page and the API; its clean data becomes the payload."""
    form = HouseholdForm.from_json(item.payload)
    if form.validate():
        item.payload = form.data
        return []
    return [ledger.RowError(_row_of(item, field), field, message)
            for field, message in first_errors(form.errors).items()]


def _row_of(item: ledger.LedgerHousehold, field: str) -> int:
    """members[2].name → the spreadsheet row of the third member."""
    if field.startswith("members[") and "]" in field:
        index = int(field[len("members["):field.index("]")])
        if index < len(item.member_rows):
            return item.member_rows[index]
    return item.rows[0]


def _unique_in_file(valid, errors):
    """An ID number that heads two households of one file is an error in both."""
    seen: dict[str, ledger.LedgerHousehold] = {}
    clashes = set()
    for item in valid:
        first = seen.setdefault(item.payload["id_number"], item)
        if first is not item:
            clashes.update({id(first), id(item)})
    for item in valid:
        if id(item) in clashes:
            errors.append(ledger.RowError(item.rows[0], "id_number", "该身份证号在文件中出现在多户"))
    kept = [item for item in valid if id(item) not in clashes]
    return kept, sorted(errors, key=lambda e: (e.row, e.field))


def existing_for(payload: dict) -> tuple[Household | None, str | None]:
    """The registered household this row would update, and why: same ID, or same code."""
    by_id = households.find_by_id_number(payload["id_number"])
    if by_id is not None:
        return by_id, "same_id_number"
    if payload.get("code"):
        by_code = db.session.scalar(select(Household).where(Household.code == payload["code"]))
        if by_code is not None:
            return by_code, "same_code"
    return None, None


def look_alike(payload: dict) -> Household | None:
    """A household of the same village with the same head name and phone but another ID."""
    if not payload.get("phone"):
        return None
    # by the phone's keyed hash first (indexed, a handful of rows), never a scan of the village
    same_phone = db.session.scalars(select(Household).where(
        Household.phone_hash == privacy.keyed_hash("phone", payload["phone"]))).all()
    return next((household for household in same_phone
                 if household.village.code == payload["village_code"]
                 and household.head_name == payload["head_name"]), None)


def preview(batch: ImportBatch, user: User, progress=None) -> dict:
    """The dry run: rows to create, to update, with errors, and likely duplicates."""
    try:
        valid, errors = parse(batch)
    except ledger.LedgerError as exc:
        return _finish_preview(batch, {"file_error": str(exc), "create": [], "update": [],
                                       "duplicates": [], "errors": []})
    summary = {"create": [], "update": [], "duplicates": [], "errors": _errors(errors)}
    for index, item in enumerate(valid):
        _classify(item, user, summary)
        if progress and index % CHUNK == 0:
            progress(int(90 * index / max(len(valid), 1)), "预览中")
    return _finish_preview(batch, summary)


def _classify(item, user: User, summary: dict) -> None:
    code, row = item.payload.get("code") or item.code, item.rows[0]
    try:
        households.village_for(user, item.payload["village_code"])
    except Invalid as exc:
        summary["errors"].append({"row": row, "field": "village_code",
                                  "message": exc.fields["village_code"]})
        return
    existing, reason = existing_for(item.payload)
    if existing is not None and not households.can_see(user, existing):
        summary["errors"].append(_registered_elsewhere(item, existing, user))
    elif existing is not None:
        summary["update"].append({"row": row, "code": code, "existing_code": existing.code,
                                  "reason": reason})
    else:
        twin = look_alike(item.payload)
        summary["create"].append({"row": row, "code": code})
        if twin is not None:
            summary["duplicates"].append({"row": row, "code": code, "existing_code": twin.code,
                                          "reason": "same_name_and_phone"})


def _registered_elsewhere(item, existing: Household, user: User) -> dict:
    """A neutral row error; the admins above both villages are told (see households)."""
    try:
        village = households.village_for(user, item.payload["village_code"])
    except Invalid as exc:
        return {"row": item.rows[0], "field": "village_code", "message": exc.fields["village_code"]}
    refusal = households.refused_elsewhere(existing, user, village)
    return {"row": item.rows[0], "field": "id_number", "message": refusal.message}


def _errors(errors) -> list[dict]:
    return [{"row": e.row, "field": e.field, "message": e.message} for e in errors]


def _finish_preview(batch: ImportBatch, summary: dict) -> dict:
    batch.preview = summary
    batch.status = ImportStatus.PREVIEWED
    return summary


def apply(batch: ImportBatch, user: User, progress=None) -> dict:
    """Write every valid household; each in its own savepoint, so a bad one stops no other.

    `progress(percent, message)` is called every CHUNK households; the job's (and the API's)
    commits there, so a large file is written in chunks and the session stays small.
    """
    try:
        valid, errors = parse(batch)
    except ledger.LedgerError as exc:
        batch.status = ImportStatus.FAILED
        raise Invalid({"file": str(exc)}, str(exc)) from exc
    result = {"created": 0, "updated": 0, "errors": _errors(errors)}
    for index, item in enumerate(valid, start=1):
        _apply_one(item, batch, user, result)
        if progress and index % CHUNK == 0:
            progress(int(100 * index / len(valid)), "导入中")
    batch.result, batch.status, batch.applied_at = result, ImportStatus.APPLIED, utcnow()
    batch.content = b""  # the ledger holds ID numbers in clear: keep it no longer than needed
    audit.record("import.apply", user.id, batch, created=result["created"],
                 updated=result["updated"], errors=len(result["errors"]))
    return result


def _apply_one(item, batch: ImportBatch, user: User, result: dict) -> None:
    existing, _ = existing_for(item.payload)
    if existing is not None and not households.can_see(user, existing):
        result["errors"].append(_registered_elsewhere(item, existing, user))
        return
    twin = look_alike(item.payload) if existing is None else None
    if twin is not None and batch.decisions.get(item.code) == "merge":
        existing = twin
    try:
        with db.session.begin_nested():
            if existing is None:
                households.create_household(item.payload, user)
                result["created"] += 1
            else:
                _update_visible(existing, item.payload, user)
                result["updated"] += 1
    except DomainError as exc:
        fields = exc.fields or {"": exc.message}
        result["errors"] += [{"row": item.rows[0], "field": name, "message": message}
                             for name, message in fields.items()]
    except IntegrityError:
        result["errors"].append({"row": item.rows[0], "field": "", "message": "与已登记的数据冲突"})


def _update_visible(existing: Household, payload: dict, user: User) -> None:
    households.update_household(existing, {**payload, "code": existing.code}, user)
