"""Takeover requests: ask for another organization's claim, answer one, or withdraw one's own."""
from flask import jsonify, request
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.api.io import json_body, paginate
from matchmaker.api.schemas_claims import TAKEOVER, takeover_dict
from matchmaker.api.spec import documented, page_of
from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.claims import AnswerForm, TakeoverForm
from matchmaker.models import Role
from matchmaker.services.market import takeovers


def _answer() -> str | None:
    form = AnswerForm.from_json(json_body() if request.get_data() else {}).validated()
    return form.answer.data


@bp.post("/needs/<int:need_id>/takeover")
@roles_required(Role.ORGANIZER)
@documented("申请转接其他组织对该需求的认领(对方同意,或逾期未答复时自动同意)",
            body=TakeoverForm, response=TAKEOVER, status=201,
            errors=(400, 403, 404, 409, 422))
def request_takeover(need_id: int):
    form = TakeoverForm.from_json(json_body()).validated()
    takeover = takeovers.request_takeover(need_id, current_user, form.data)
    db.session.commit()
    return jsonify(takeover_dict(takeover)), 201


@bp.post("/claim-takeovers/<int:takeover_id>/accept")
@roles_required(Role.ORGANIZER)
@documented("同意转接:本组织的认领转给申请方,需求保持已认领", body=AnswerForm,
            response=TAKEOVER, errors=(400, 403, 404, 409, 422))
def accept_takeover(takeover_id: int):
    takeover = takeovers.answer_takeover(takeover_id, current_user, True, _answer())
    db.session.commit()
    return jsonify(takeover_dict(takeover))


@bp.post("/claim-takeovers/<int:takeover_id>/decline")
@roles_required(Role.ORGANIZER)
@documented("拒绝转接申请", body=AnswerForm, response=TAKEOVER,
            errors=(400, 403, 404, 409, 422))
def decline_takeover(takeover_id: int):
    takeover = takeovers.answer_takeover(takeover_id, current_user, False, _answer())
    db.session.commit()
    return jsonify(takeover_dict(takeover))


@bp.post("/claim-takeovers/<int:takeover_id>/withdraw")
@roles_required(Role.ORGANIZER)
@documented("撤回本组织的转接申请", response=TAKEOVER,
            errors=(403, 404, 409))
def withdraw_takeover(takeover_id: int):
    takeover = takeovers.withdraw_takeover(takeover_id, current_user)
    db.session.commit()
    return jsonify(takeover_dict(takeover))


@bp.get("/claim-takeovers")
@roles_required(Role.ORGANIZER)
@documented("本组织收到的(incoming)和提出的(outgoing)转接申请", response=page_of(TAKEOVER),
            query={"direction": "incoming 或 outgoing(缺省为两者)",
                                         "page": "页码", "per_page": "每页条数(≤200)"},
            errors=(403, 422))
def list_takeovers():
    return jsonify(paginate(
        takeovers.organization_takeovers(current_user, request.args.get("direction")),
        takeover_dict))
