"""Pages for branch organizers: organization, teams, offers, needs to claim, the workbench."""
from flask import Blueprint

bp = Blueprint("organizer", __name__, url_prefix="/organizer")

from matchmaker.web import organizer_claims  # noqa: E402,F401  (routes on this blueprint)
