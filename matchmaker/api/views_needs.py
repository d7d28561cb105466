"""Needs and micro-wishes: cadres publish and close them; anyone may read the open ones."""
from flask import jsonify, request
from flask_login import current_user

from matchmaker import jobs
from matchmaker.api import bp
from matchmaker.api.io import json_body, paginate
from matchmaker.api.schemas_needs import CADRE_NEED, PUBLIC_NEED
from matchmaker.api.spec import documented, page_of
from matchmaker.auth import roles_required
from matchmaker.errors import NotFound
from matchmaker.extensions import db
from matchmaker.forms.needs import NeedForm, ReasonForm, ReceiptForm
from matchmaker.models import Role
from matchmaker.serializers import cadre_need, public_need
from matchmaker.services.market import needs
from matchmaker.services.market.need_queries import public_need_by_id, public_needs, scoped_needs

CADRES = (Role.CADRE, Role.ADMIN)
LIST_QUERY = {"status": "状态(默认 open)", "kind": "需求类型", "category": "类别",
              "region": "区划代码(含下级)", "mine": "1: 本辖区全部需求(村干部)", "page": "页码",
              "per_page": "每页条数(≤200)"}


@bp.post("/needs")
@roles_required(*CADRES)
@documented("发布需求或微心愿(该户所在村或乡镇的干部)", body=NeedForm, response=CADRE_NEED,
            status=201, errors=(404, 409))
def create_need():
    form = NeedForm.from_json(json_body()).validated()
    need = needs.create_need(form.data, current_user)
    db.session.commit()
    jobs.enqueue("announce_need", need.id, user_id=current_user.id)
    return jsonify(cadre_need(need)), 201


@bp.get("/needs")
@documented("需求列表:公众和组织方只见公开字段;mine=1 为村干部本辖区", public=True,
            response=page_of(PUBLIC_NEED), query=LIST_QUERY, errors=(400, 422))
def list_needs():
    args = request.args
    if args.get("mine") == "1" and current_user.is_authenticated and current_user.role in CADRES:
        return jsonify(paginate(scoped_needs(current_user, args), cadre_need))
    return jsonify(paginate(public_needs(args), public_need))


@bp.get("/needs/<int:need_id>")
@documented("一条需求(公开字段;本辖区干部可见户编号)", public=True, response=PUBLIC_NEED,
            errors=(404,))
def get_need(need_id: int):
    if current_user.is_authenticated and current_user.role in CADRES:
        try:
            return jsonify(cadre_need(needs.need_for(current_user, need_id)))
        except NotFound:
            pass
    need = public_need_by_id(need_id)
    if need is None:
        raise NotFound("找不到该需求")
    return jsonify(public_need(need))


def _act(need_id: int, action, form_class=None, field=None):
    need = needs.need_for(current_user, need_id)
    value = None
    if form_class is not None:
        value = getattr(form_class.from_json(request.get_json(silent=True) or {}).validated(),
                        field).data
    action(need, current_user, *([value] if form_class else []))
    db.session.commit()
    return jsonify(cadre_need(need))


@bp.post("/needs/<int:need_id>/fulfil")
@roles_required(*CADRES)
@documented("记录签收:需求完成、微心愿点亮(本村干部)", body=ReceiptForm, response=CADRE_NEED,
            errors=(404, 409))
def fulfil_need(need_id: int):
    return _act(need_id, needs.fulfil, ReceiptForm, "note")


@bp.post("/needs/<int:need_id>/cancel")
@roles_required(*CADRES)
@documented("取消需求", body=ReasonForm, response=CADRE_NEED,
            errors=(404, 409))
def cancel_need(need_id: int):
    return _act(need_id, needs.cancel, ReasonForm, "reason")


@bp.post("/needs/<int:need_id>/approve")
@roles_required(*CADRES)
@documented("审核通过,需求公开(乡镇干部)", response=CADRE_NEED,
            errors=(403, 404, 409))
def approve_need(need_id: int):
    return _act(need_id, needs.approve)


@bp.post("/needs/<int:need_id>/reject-review")
@roles_required(*CADRES)
@documented("审核不通过,需求取消(乡镇干部)", body=ReasonForm, response=CADRE_NEED,
            errors=(403, 404, 409))
def reject_need_review(need_id: int):
    return _act(need_id, needs.reject_review, ReasonForm, "reason")
