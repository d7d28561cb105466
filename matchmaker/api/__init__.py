"""The JSON API, version 1, under /api/v1."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from matchmaker.api import errors, views_auth, views_regions, openapi  # noqa: E402,F401
