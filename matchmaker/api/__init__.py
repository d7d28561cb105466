"""The JSON API, version 1, under /api/v1: every views_*.py module of this package."""
import importlib
import pkgutil

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from matchmaker.api import errors, idempotency, openapi  # noqa: E402,F401

for _module in pkgutil.iter_modules(__path__):
    if _module.name.startswith("views_"):
        importlib.import_module(f"{__name__}.{_module.name}")
