"""POST/GET /api/v1/households: the registry, for the cadres of the household's region
(ledger imports: views_imports.py)."""
from flask import jsonify, request
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.api.io import json_body, paginate
from matchmaker.api.schemas_households import HOUSEHOLD, HOUSEHOLD_ITEM
from matchmaker.api.spec import documented, page_of
from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.households import HouseholdForm
from matchmaker.models import Role
from matchmaker.serializers import household_detail, household_item
from matchmaker.services import audit
from matchmaker.services.registry import households

REGISTRARS = (Role.CADRE, Role.ADMIN)


@bp.post("/households")
@roles_required(*REGISTRARS)
@documented("登记农户及其家庭成员(村干部、管理员)", body=HouseholdForm, response=HOUSEHOLD,
            status=201, errors=(409,))
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
            query={"village": "村区划代码", "q": "户主姓名或户编号", "page": "页码",
                   "per_page": "每页条数(≤200)"})
def list_households():
    query = households.households_in_scope(current_user, request.args.get("village"),
                                           request.args.get("q"))
    return jsonify(paginate(query, household_item))


@bp.get("/households/<int:household_id>")
@roles_required(*REGISTRARS)
@documented("农户详情(身份证号、电话均已遮蔽;查看记入审计日志)", response=HOUSEHOLD,
            errors=(404,))
def get_household(household_id: int):
    household = households.household_for(current_user, household_id)
    audit.record("household.view", current_user.id, household)
    db.session.commit()
    return jsonify(household_detail(household))
