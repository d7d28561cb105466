"""The matchmaker web application: create_app builds it from configuration."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from matchmaker import config as settings

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI and error handlers. No I/O."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), instance_relative_config=True)
    app.config.from_mapping(settings.defaults(app.instance_path))
    app.config.from_mapping(settings.from_environment())
    app.config.from_mapping(config or {})
    from matchmaker import limits

    app.json = limits.SafeJSONProvider(app)  # every JSON body: bounded depth, valid text
    app.url_map.converters["int"] = limits.BoundedIntConverter  # before any route is added
    for key, filename in (("SECRET_KEY", "secret_key"), ("DATA_KEY", "data_key")):
        if not app.config.get(key):
            app.config[key] = settings.stored_secret(app.instance_path, filename)
    _init_extensions(app)
    from matchmaker import logs

    logs.init_app(app)  # first of the request hooks: its line times the whole request
    _register_blueprints(app)
    from matchmaker import cli, throttle, web

    web.init_app(app)
    throttle.init_app(app)  # after the blueprints: it wraps the login views
    from sqlalchemy.exc import OperationalError

    from matchmaker.errors_db import handle_operational_error

    app.register_error_handler(OperationalError, handle_operational_error)
    cli.register(app)
    return app


def _init_extensions(app: Flask) -> None:
    from matchmaker import auth
    from matchmaker.extensions import babel, csrf, db, login, migrate

    db.init_app(app)
    from matchmaker.impact import rollups

    rollups.install()  # the impact rollups follow every change of an activity
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=auth.select_locale)
    auth.init_login(app, login)


def _register_blueprints(app: Flask) -> None:
    """The API and every page module of matchmaker/web that defines a blueprint `bp`."""
    import importlib
    import pkgutil

    from matchmaker import web
    from matchmaker.api import bp as api_bp

    for module in pkgutil.iter_modules(web.__path__):
        name = f"{web.__name__}.{module.name}"
        blueprint = getattr(importlib.import_module(name), "bp", None)
        if blueprint is not None and blueprint.import_name == name:  # defined there, not imported
            app.register_blueprint(blueprint)
    app.register_blueprint(api_bp)
