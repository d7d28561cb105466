"""Pages for county admins: matching rounds."""
from flask import Blueprint, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.matching import MatchRunForm
from matchmaker.jobs import rounds
from matchmaker.errors import NotFound
from matchmaker.models import Match, MatchRun, Region, RegionLevel, Role
from matchmaker.services.market import matches
from matchmaker.web.actions import attempt

bp = Blueprint("admin", __name__, url_prefix="/admin")
ROUNDS_SHOWN = 30
PROPOSALS_SHOWN = 500


@bp.before_request
@roles_required(Role.ADMIN)
def admins_only():
    """Every page here is for admins; others get 401 or 403."""


@bp.get("/match-runs")
def list_match_runs():
    runs = db.session.scalars(matches.rounds().limit(ROUNDS_SHOWN)).all()
    regions = db.session.scalars(select(Region).where(Region.level.in_(
        (RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY))).order_by(Region.code))
    return render_template("admin/match_runs.html", runs=[matches.run_summary(run) for run in runs],
                           regions=list(regions))


@bp.post("/match-runs")
def start_match_run():
    return attempt(MatchRunForm(), lambda data: rounds.start_round(
        data["region_code"] or None, current_user.id),
        lambda run: f"已发起第{run.id}轮匹配", url_for("admin.list_match_runs"))


@bp.get("/match-runs/<int:run_id>")
def show_match_run(run_id: int):
    """A round's figures and the proposals it made (a split round's, county by county)."""
    run = db.session.get(MatchRun, run_id)
    if run is None:
        raise NotFound("找不到该轮匹配")
    parts = select(MatchRun.id).where((MatchRun.id == run.id) | (MatchRun.parent_id == run.id))
    proposals = db.session.scalars(select(Match).where(Match.run_id.in_(parts))
                                   .order_by(Match.score.desc(), Match.id)
                                   .limit(PROPOSALS_SHOWN)).all()
    return render_template("admin/match_run.html", run=matches.run_summary(run),
                           proposals=proposals, limit=PROPOSALS_SHOWN)
