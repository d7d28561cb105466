"""Claiming needs, pledging toward larger ones, releasing claims, and an organization's claims."""
from flask import jsonify, request
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.api.io import json_body, paginate
from matchmaker.api.schemas_claims import CLAIM, CLAIM_RESULT, claim_dict, claim_result
from matchmaker.api.spec import documented, page_of
from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.claims import ClaimForm, PledgeForm, ReleaseForm
from matchmaker.models import Need, Role
from matchmaker.services.market import claims


def _body() -> dict:
    """An empty body is an empty object here: every field of a claim is optional."""
    return json_body() if request.get_data() else {}


@bp.post("/needs/<int:need_id>/claim")
@roles_required(Role.ORGANIZER)
@documented("认领一项需求或微心愿(同一需求同时认领只有一个成功)", body=ClaimForm,
            response=CLAIM_RESULT, errors=(400, 403, 404, 409, 422))
def claim_need(need_id: int):
    form = ClaimForm.from_json(_body()).validated()
    claim = claims.claim_need(need_id, current_user, form.data)
    db.session.commit()
    return jsonify(claim_result(claim))


@bp.post("/needs/<int:need_id>/pledge")
@roles_required(Role.ORGANIZER)
@documented("分担认捐一项较大的需求(按数量或金额),认满后需求变为已认领", body=PledgeForm,
            response=CLAIM_RESULT, errors=(400, 403, 404, 409, 422))
def pledge_need(need_id: int):
    form = PledgeForm.from_json(json_body()).validated()
    claim = claims.pledge(need_id, current_user, form.data)
    db.session.commit()
    return jsonify(claim_result(claim, claims.still_needed(db.session.get(Need, need_id))))


@bp.post("/claims/<int:claim_id>/release")
@roles_required(Role.ORGANIZER)
@documented("释放本组织的认领:需求重新开放,供给容量退回", body=ReleaseForm, response=CLAIM,
            errors=(400, 403, 404, 409, 422))
def release_claim(claim_id: int):
    form = ReleaseForm.from_json(json_body()).validated()
    claim = claims.release_claim(claim_id, current_user, form.reason.data)
    db.session.commit()
    return jsonify(claim_dict(claim))


@bp.get("/claims")
@roles_required(Role.ORGANIZER)
@documented("本组织的认领", response=page_of(CLAIM),
            query={"status": "active、fulfilled、released 或 transferred", "page": "页码",
                   "per_page": "每页条数(≤200)"}, errors=(400, 403, 422))
def list_claims():
    return jsonify(paginate(claims.organization_claims(current_user, request.args.get("status")),
                            claim_dict))
