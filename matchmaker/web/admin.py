"""Pages for county admins: matching rounds."""
from flask import Blueprint, render_template, url_for
from flask_login import current_user

from matchmaker.auth import roles_required
from matchmaker.extensions import db
from matchmaker.forms.matching import MatchRunForm
from matchmaker.jobs import rounds
from matchmaker.errors import NotFound
from matchmaker.models import MatchRun, RegionLevel, Role
from matchmaker.services.market import matches
from matchmaker.services.regions import regions_at
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
    regions = regions_at(RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY)
    return render_template("admin/match_runs.html", runs=[matches.run_summary(run) for run in runs],
                           regions=regions)


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
    proposals = matches.round_proposals(run, PROPOSALS_SHOWN)
    return render_template("admin/match_run.html", run=matches.run_summary(run),
                           proposals=proposals, limit=PROPOSALS_SHOWN)
