"""The application factory: a short sequence of named steps."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from .config import configure
from .paths import data_dir


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, static_folder=str(data_dir("static")), template_folder="web/templates")
    configure(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    register_extensions(app)
    register_catalogs(app)
    register_templates(app)
    register_blueprints(app)
    register_error_pages(app)
    register_security_headers(app)
    return app


def register_extensions(app: Flask) -> None:
    from .extensions import babel, csrf, db, login_manager, migrate
    from .store import models  # noqa: F401  (registers every table on the metadata)
    from .store.database import enable_sqlite_pragmas
    from .web.i18n import select_locale
    from .web.login import configure_login

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    configure_login(app)
    with app.app_context():
        enable_sqlite_pragmas(db.engine)


def register_catalogs(app: Flask) -> None:
    """Load and validate the catalogs once: a broken file fails here with a clear message."""
    from .engine.library import load_library

    folder = app.config["QUESTIONNAIRES_DIR"] or data_dir("questionnaires")
    app.extensions["cdcoach.catalogs"] = load_library(folder)


def register_templates(app: Flask) -> None:
    from .web.template_helpers import register

    register(app)


def register_blueprints(app: Flask) -> None:
    from .web.assessments.views import bp as assessments_bp
    from .web.auth.views import bp as auth_bp
    from .web.catalogs.views import bp as catalogs_bp
    from .web.i18n import bp as i18n_bp
    from .web.orgs.views import bp as orgs_bp
    from .web.pages.views import bp as pages_bp
    from .web.reports.views import bp as reports_bp
    from .web.results.views import bp as results_bp
    from .web.roadmaps.views import bp as roadmaps_bp
    from .web.teams.views import bp as teams_bp

    blueprints = (pages_bp, auth_bp, orgs_bp, teams_bp, catalogs_bp, i18n_bp, results_bp, assessments_bp, reports_bp, roadmaps_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def register_error_pages(app: Flask) -> None:
    from .web.errors import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from .web.security import add_headers

    app.after_request(add_headers)
