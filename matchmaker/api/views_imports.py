"""Household ledger imports through the API, queued as jobs like the page's (issue 18.14).

POST /households/import keeps the file (encrypted) and answers 202 with the import and its
job; the job previews (dry_run=1) or writes it. GET /households/imports/{id} says how far it
is and counts the rows; GET /households/imports/{id}/rows pages through them, so a large
ledger never ties up a request nor answers megabytes of JSON at once.
"""
from flask import jsonify, request, url_for
from flask_login import current_user

from matchmaker import jobs, limits
from matchmaker.api import bp
from matchmaker.api.schemas import JOB, job_to_dict
from matchmaker.api.schemas_households import PREVIEW_ROW, ROW_ERROR
from matchmaker.api.spec import documented, integer, obj, page_of, string
from matchmaker.auth import roles_required
from matchmaker.errors import Invalid, NotFound
from matchmaker.extensions import db
from matchmaker.models import ImportBatch, JobRecord, Role
from matchmaker.services.registry import imports

REGISTRARS = (Role.CADRE, Role.ADMIN)
#: the parts of a preview (or of a written import, "errors" only) that can be paged through
SECTIONS = ("create", "update", "duplicates", "errors")
COUNTS = obj((), **{name: integer() for name in (*SECTIONS, "created", "updated")})
IMPORT = obj(("id", "filename", "status", "dry_run", "job", "counts"), id=integer(),
             filename=string(), status=string(), dry_run={"type": "boolean"}, job=JOB,
             counts=COUNTS, file_error=string(), rows_url=string())
ROW = {"oneOf": [PREVIEW_ROW, ROW_ERROR]}


def import_dict(batch: ImportBatch) -> dict:
    """The import's state; row lists are counted here and paged by the rows route."""
    job = db.session.get(JobRecord, batch.job_id) if batch.job_id else None
    found = batch.result if batch.result is not None else (batch.preview or {})
    counts = {key: len(value) if isinstance(value, list) else value
              for key, value in found.items() if key != "file_error"}
    body = {"id": batch.id, "filename": batch.filename, "status": batch.status.value,
            "dry_run": job is not None and job.kind == "preview_import",
            "job": job_to_dict(job) if job else None, "counts": counts,
            "rows_url": url_for("api.list_import_rows", batch_id=batch.id)}
    if found.get("file_error"):
        body["file_error"] = found["file_error"]
    return body


def _own_batch(batch_id: int) -> ImportBatch:
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.created_by_id != current_user.id:
        raise NotFound("找不到该导入")
    return batch


@bp.post("/households/import")
@roles_required(*REGISTRARS)
@documented("导入农户台账(multipart 字段 file: .xlsx 或 .csv,≤10MB;可选 village_code 为未填村代码的行"
            "指定村;dry_run=1 只预览,不写入)。文件排队处理:返回 202 和导入编号、任务状态,"
            "再用 GET /households/imports/{id} 查看进度和计数,用 .../rows 分页查看各行",
            response=IMPORT, status=202, errors=(400, 413, 422),
            upload={"file": "file", "village_code": "string", "dry_run": "string"})
def import_households():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid({"file": "请选择要导入的文件"})
    batch = imports.upload(current_user, upload.filename, upload.read(),
                           request.form.get("village_code") or None)
    db.session.commit()
    kind = "preview_import" if request.form.get("dry_run") in ("1", "true") else "apply_import"
    batch.job_id = jobs.enqueue(kind, batch.id, user_id=current_user.id).id
    db.session.commit()
    response = jsonify(import_dict(batch))
    response.headers["Location"] = url_for("api.get_import", batch_id=batch.id)
    return response, 202


@bp.get("/households/imports/<int:batch_id>")
@roles_required(*REGISTRARS)
@documented("一次台账导入的状态(uploaded、previewed、applying、applied、failed)、任务进度和各类行数"
            "(导入者本人)", response=IMPORT, errors=(404,))
def get_import(batch_id: int):
    return jsonify(import_dict(_own_batch(batch_id)))


@bp.get("/households/imports/<int:batch_id>/rows")
@roles_required(*REGISTRARS)
@documented("分页查看导入的各行:预览的 create、update、duplicates、errors,或写入后的 errors",
            response=page_of(ROW), errors=(400, 404, 422),
            query={"section": "create、update、duplicates 或 errors(默认 errors)",
                   "page": "页码", "per_page": "每页条数(≤200)"})
def list_import_rows(batch_id: int):
    batch = _own_batch(batch_id)
    section = request.args.get("section") or "errors"
    if section not in SECTIONS:
        raise Invalid({"section": "须为 create、update、duplicates 或 errors"})
    found = batch.result if batch.result is not None else (batch.preview or {})
    rows = found.get(section) or []
    page, per_page = limits.parse_page(request.args)
    return jsonify({"items": rows[(page - 1) * per_page:page * per_page], "page": page,
                    "per_page": per_page, "total": len(rows)})
