"""Cadre pages for importing a ledger: upload, preview, confirm, error report, template."""
import csv
import io
import re

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from matchmaker import jobs
from matchmaker.errors import NotFound
from matchmaker.extensions import db
from matchmaker.forms import choices
from matchmaker.forms.imports import ImportForm
from matchmaker.imports.template import template_workbook
from matchmaker.imports.vocabulary import COLUMNS
from matchmaker.models import ImportBatch, ImportStatus, JobRecord
from matchmaker.services.registry import imports
from matchmaker.spreadsheets import neutral_row
from matchmaker.web.cadre import bp, villages_in_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: an error's field named by the sheet's own column (the form calls 户编号 `code`)
COLUMN_OF = {**{key: header for header, key in COLUMNS.items()}, "code": "户编号", "": "整户"}
MEMBER_FIELD = re.compile(r"^members\[(\d+)\](?:\.(\w+))?$")


def field_label(field: str) -> str:
    """`members[1].id_number` → 成员2 · 身份证号; `village_code` → 村代码; unknown names as they are."""
    member = MEMBER_FIELD.match(field or "")
    if member is None:
        return COLUMN_OF.get(field or "", field)
    number = f"成员{int(member[1]) + 1}"
    return f"{number} · {COLUMN_OF.get(member[2], member[2])}" if member[2] else number


def _batch(batch_id: int) -> ImportBatch:
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.created_by_id != current_user.id:
        raise NotFound("找不到该导入")
    return batch


@bp.route("/households/import", methods=["GET", "POST"])
def import_households():
    form = ImportForm()
    form.village_code.choices = choices(
        {"": "按表中“村代码”列", **{v.code: v.name for v in villages_in_scope()}})
    if form.validate_on_submit():
        upload = form.file.data
        batch = imports.upload(current_user, upload.filename, upload.read(),
                               form.village_code.data or None)
        db.session.commit()
        batch.job_id = jobs.enqueue("preview_import", batch.id, user_id=current_user.id).id
        db.session.commit()
        return redirect(url_for("cadre.show_import", batch_id=batch.id))
    return render_template("cadre/import_form.html", form=form), 422 if form.errors else 200


@bp.get("/imports/<int:batch_id>")
def show_import(batch_id: int):
    batch = _batch(batch_id)
    job = db.session.get(JobRecord, batch.job_id) if batch.job_id else None
    return render_template("cadre/import_show.html", batch=batch, job=job,
                           working=job is not None and job.status in ("queued", "running"),
                           field_label=field_label)


@bp.post("/imports/<int:batch_id>/apply")
def apply_import(batch_id: int):
    """Write the previewed file, with the cadre's answer for each likely duplicate."""
    batch = _batch(batch_id)
    if batch.status != ImportStatus.PREVIEWED:
        flash("该文件已导入或尚未完成预览", "error")
        return redirect(url_for("cadre.show_import", batch_id=batch.id))
    duplicates = (batch.preview or {}).get("duplicates", [])
    batch.decisions = {item["code"]: "merge" if request.form.get(f"merge-{item['code']}")
                       else "keep" for item in duplicates}
    batch.status = ImportStatus.APPLYING
    db.session.commit()
    batch.job_id = jobs.enqueue("apply_import", batch.id, user_id=current_user.id).id
    db.session.commit()
    return redirect(url_for("cadre.show_import", batch_id=batch.id))


@bp.get("/imports/<int:batch_id>/errors.csv")
def import_errors(batch_id: int):
    """The rows with errors, for the cadre to correct in the sheet (UTF-8 with BOM for Excel)."""
    batch = _batch(batch_id)
    errors = (batch.result or batch.preview or {}).get("errors", [])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["行号", "字段", "问题"])
    for error in errors:
        writer.writerow(neutral_row([error["row"], field_label(error["field"]), error["message"]]))
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=import-{batch.id}-errors.csv"})


@bp.get("/households/import/template.xlsx")
def import_template():
    return Response(template_workbook(), mimetype=XLSX, headers={
        "Content-Disposition": "attachment; filename=household-ledger-template.xlsx"})
