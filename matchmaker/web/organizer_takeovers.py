"""Organizer pages for takeover requests: ask for a claimed need, answer, withdraw."""
from flask import url_for
from flask_login import current_user

from matchmaker.auth import roles_required
from matchmaker.forms.claims import AnswerForm, TakeoverForm
from matchmaker.models import Role
from matchmaker.services.market import takeovers
from matchmaker.web.organizer import bp
from matchmaker.web.organizer_claims import needs_back
from matchmaker.web.actions import attempt


def _workbench() -> str:
    return url_for("organizer.workbench", _anchor="takeovers")


@bp.post("/needs/<int:need_id>/takeover")
@roles_required(Role.ORGANIZER)
def request_takeover(need_id: int):
    return attempt(
        TakeoverForm(), lambda data: takeovers.request_takeover(need_id, current_user, data),
        lambda made: f"已提交转接申请,对方须在{made.answer_by:%Y-%m-%d}前答复,逾期未答复将自动同意",
        needs_back(), _workbench())


@bp.post("/takeovers/<int:takeover_id>/accept")
@roles_required(Role.ORGANIZER)
def accept_takeover(takeover_id: int):
    return attempt(AnswerForm(), lambda data: takeovers.answer_takeover(
        takeover_id, current_user, True, data["answer"]), "已同意转接,认领已转给对方", _workbench())


@bp.post("/takeovers/<int:takeover_id>/decline")
@roles_required(Role.ORGANIZER)
def decline_takeover(takeover_id: int):
    return attempt(AnswerForm(), lambda data: takeovers.answer_takeover(
        takeover_id, current_user, False, data["answer"]), "已拒绝转接申请", _workbench())


@bp.post("/takeovers/<int:takeover_id>/withdraw")
@roles_required(Role.ORGANIZER)
def withdraw_takeover(takeover_id: int):
    return attempt(AnswerForm(), lambda data: takeovers.withdraw_takeover(
        takeover_id, current_user), "已撤回转接申请", _workbench())
