"""The home page, the language switch and /healthz."""
from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from matchmaker.services import health, overview

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    return render_template("main/home.html", counts=overview.headline_counts())


@bp.get("/healthz")
def healthz():
    states = health.check()
    return jsonify(states), 200 if states["database"] == "ok" else 503


@bp.get("/language/<code>")
def set_language(code: str):
    """?lang= is read by the locale selector; this only sends the visitor back."""
    target = request.referrer if request.referrer and request.referrer.startswith(
        request.host_url) else url_for("main.home")
    return redirect(target.split("?")[0] + f"?lang={code}")
