"""The home page, the language switch and /healthz."""
from urllib.parse import urlencode

from flask import (
    Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for,
)

from matchmaker import health
from matchmaker.errors import DomainError
from matchmaker.serializers import public_need
from matchmaker.impact import figures as impact, overview
from matchmaker.impact.query import scope_from_query

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """The public dashboard: the impact figures of a region and period, with drill-down."""
    try:
        scope = scope_from_query(request.args)
    except DomainError as exc:
        flash(exc.message, "error")
        scope = impact.Scope()
    rows = impact.breakdown("region", "volunteer_hours", scope)
    described = scope.describe()
    query = urlencode({key: described[key] for key in ("region", "from", "to") if described[key]})
    return render_template(
        "main/home.html", scope=scope, query=query, figures=impact.figures(scope),
        hours=impact.hours_apart(scope), outcomes=impact.outcomes(scope), by_region=rows, teams=impact.top_teams(scope),
        counts=overview.headline_counts(scope.region), pickable=overview.pickable_regions(scope.region),
        trail=overview.trail(scope.region),
        wishes=[public_need(need) for need in overview.latest_open_wishes(scope.region)])


@bp.get("/healthz")
def healthz():
    states = health.check()
    return jsonify(states), 200 if states["database"] == "ok" else 503


@bp.get("/language/<code>")
def set_language(code: str):
    """?lang= is read by the locale selector; this only sends the visitor back."""
    if code not in current_app.config["LANGUAGES"]:
        abort(404)  # nothing else reaches the Location header
    target = request.referrer if request.referrer and request.referrer.startswith(
        request.host_url) else url_for("main.home")
    return redirect(target.split("?")[0] + f"?lang={code}")
