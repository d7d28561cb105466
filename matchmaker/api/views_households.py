"""POST/GET /api/v1/households: the registry, for the cadres of the household's region."""
from flask import jsonify, request
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.api.io import json_body, paginate
from matchmaker.api.schemas_households import (
    HOUSEHOLD, HOUSEHOLD_ITEM, IMPORT_PREVIEW, IMPORT_RESULT, household_detail, household_item,
)
from matchmaker.api.spec import documented, page_of
from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.households import HouseholdForm
from matchmaker.errors import Invalid
from matchmaker.models import Role
from matchmaker.services import audit, households, imports

REGISTRARS = (Role.CADRE, Role.ADMIN)


@bp.post("/households")
@roles_required(*REGISTRARS)
@documented("登记农户及其家庭成员(村干部、管理员)", body=HouseholdForm, response=HOUSEHOLD,
            status=201, roles=("cadre", "admin"), errors=(409,))
def create_household():
    form = HouseholdForm.from_json(json_body()).validated()
    try:
        household = households.create_household(form.data, current_user)
    except households.RegisteredElsewhere:
        db.session.commit()  # the admins' notification stands; the refusal names nothing
        raise
    db.session.commit()
    return jsonify(household_detail(household)), 201


@bp.get("/households")
@roles_required(*REGISTRARS)
@documented("本辖区农户列表(不含身份证号和电话)", response=page_of(HOUSEHOLD_ITEM),
            roles=("cadre", "admin"),
            query={"village": "村区划代码", "q": "户主姓名或户编号", "page": "页码",
                   "per_page": "每页条数(≤200)"})
def list_households():
    query = households.households_in_scope(current_user, request.args.get("village"),
                                           request.args.get("q"))
    return jsonify(paginate(query, household_item))


@bp.get("/households/<int:household_id>")
@roles_required(*REGISTRARS)
@documented("农户详情(身份证号、电话均已遮蔽;查看记入审计日志)", response=HOUSEHOLD,
            roles=("cadre", "admin"), errors=(404,))
def get_household(household_id: int):
    household = households.household_for(current_user, household_id)
    audit.record("household.view", current_user.id, household)
    db.session.commit()
    return jsonify(household_detail(household))


@bp.post("/households/import")
@roles_required(*REGISTRARS)
@documented("导入农户台账(multipart 字段 file: .xlsx 或 .csv,≤10MB;可选 village_code 为未填村代码的行"
            "指定村;dry_run=1 只预览:将新增、更新、出错和疑似重复的户,不写入)",
            response={"oneOf": [IMPORT_RESULT, IMPORT_PREVIEW]}, roles=("cadre", "admin"),
            errors=(400, 413, 422),
            upload={"file": "file", "village_code": "string", "dry_run": "string"})
def import_households():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid({"file": "请选择要导入的文件"})
    batch = imports.upload(current_user, upload.filename, upload.read(),
                           request.form.get("village_code") or None)
    if request.form.get("dry_run") in ("1", "true"):
        summary = imports.preview(batch, current_user)
        if "file_error" in summary:
            raise Invalid({"file": summary["file_error"]}, summary["file_error"])
        db.session.commit()
        return jsonify(summary)
    result = imports.apply(batch, current_user, lambda percent, message: db.session.commit())
    db.session.commit()
    return jsonify(result)
