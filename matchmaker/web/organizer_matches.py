"""Organizer pages for proposed matches: accept or decline from the workbench."""
from flask import url_for
from flask_login import current_user

from matchmaker.auth import roles_required
from matchmaker.forms import BaseForm
from matchmaker.forms.matching import DeclineForm
from matchmaker.models import Role
from matchmaker.services.market import matches
from matchmaker.web.organizer import bp
from matchmaker.web.actions import attempt


def _workbench() -> str:
    return url_for("organizer.workbench", _anchor="matches")


@bp.post("/matches/<int:match_id>/accept")
@roles_required(Role.ORGANIZER)
def accept_match(match_id: int):
    return attempt(BaseForm(), lambda data: matches.accept(match_id, current_user),
                   "已接受匹配建议,请按期完成帮扶并记录", _workbench())


@bp.post("/matches/<int:match_id>/decline")
@roles_required(Role.ORGANIZER)
def decline_match(match_id: int):
    return attempt(DeclineForm(), lambda data: matches.decline(match_id, current_user,
                                                                data["reason"]),
                   "已拒绝该匹配建议,今后不会再建议这一配对", _workbench())
