"""Matching rounds (admin) and the proposals they make (organizers accept or decline)."""
from flask import jsonify, request
from flask_login import current_user

from matchmaker.api import bp
from matchmaker.api.io import json_body, paginate, require
from matchmaker.api.schemas_matches import MATCH, RUN, RUN_STARTED, match_dict, run_dict
from matchmaker.api.spec import documented, page_of
from matchmaker.auth import roles_required
from matchmaker.errors import Invalid
from matchmaker.extensions import db
from matchmaker.forms.matching import MatchRunForm
from matchmaker.jobs import rounds
from matchmaker.models import MatchRun, MatchStatus, Role
from matchmaker.services.market import matches


@bp.post("/match-runs")
@roles_required(Role.ADMIN)
@documented("发起一轮匹配(跨多个县时按县拆分为并行任务)", body=MatchRunForm, response=RUN_STARTED,
            status=202, errors=(400, 403, 404, 409, 422))
def start_match_run():
    form = MatchRunForm.from_json(json_body() if request.get_data() else {}).validated()
    run = rounds.start_round(form.region_code.data or None, current_user.id)
    return jsonify({"id": run.id, "status": matches.run_summary(run)["status"]}), 202


@bp.get("/match-runs/<int:run_id>")
@roles_required(Role.ADMIN)
@documented("一轮匹配的状态、计数和各阶段用时", response=RUN, errors=(403, 404))
def get_match_run(run_id: int):
    run = db.session.get(MatchRun, run_id)
    require(run is not None)
    return jsonify(run_dict(run))


@bp.get("/matches")
@roles_required(Role.ORGANIZER, Role.CADRE, Role.ADMIN)
@documented("匹配建议:组织者看本组织供给的,村干部看本辖区需求的", response=page_of(MATCH),
            query={"status": "proposed、accepted、declined 或 expired", "page": "页码",
                   "per_page": "每页条数(≤200)"}, errors=(403, 422))
def list_matches():
    status = request.args.get("status") or None
    if status and status not in {s.value for s in MatchStatus}:
        raise Invalid({"status": "状态须为 proposed、accepted、declined 或 expired"})
    return jsonify(paginate(matches.visible_matches(current_user, status), match_dict))


@bp.post("/matches/<int:match_id>/accept")
@roles_required(Role.ORGANIZER)
@documented("接受匹配建议:按同样的不超用规则占用供给容量,需求变为已对接", response=MATCH,
            errors=(403, 404, 409))
def accept_match(match_id: int):
    match = matches.accept(match_id, current_user)
    db.session.commit()
    return jsonify(match_dict(match))


@bp.post("/matches/<int:match_id>/decline")
@roles_required(Role.ORGANIZER)
@documented("拒绝匹配建议:该组合不会再被建议", response=MATCH,
            errors=(403, 404, 409))
def decline_match(match_id: int):
    match = matches.decline(match_id, current_user)
    db.session.commit()
    return jsonify(match_dict(match))
