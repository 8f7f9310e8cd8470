"""The application factory: a short sequence of named steps."""

from __future__ import annotations

import gc
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
    freeze_startup_objects(app)
    return app


def freeze_startup_objects(app: Flask) -> None:
    """Keep what start-up built (catalogs, mappers: some 160,000 objects, alive for the process) out
    of the garbage collector's full passes, which otherwise added about 100 ms to one request in
    three on large pages (benchmarks/org_page.py, 500 teams: p95 182 -> 81 ms). Not in tests,
    which build an app per test."""
    if not app.testing:
        gc.collect()
        gc.freeze()


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
    from .web.overview.views import bp as overview_bp
    from .web.pages.views import bp as pages_bp
    from .web.reports.views import bp as reports_bp
    from .web.results.views import bp as results_bp
    from .web.roadmaps.views import bp as roadmaps_bp
    from .web.teams.views import bp as teams_bp
    from .web.tracking.views import bp as tracking_bp
    from .web.trends.views import bp as trends_bp
    from .web.workshop_join.views import bp as workshop_join_bp
    from .web.workshops.views import bp as workshops_bp

    blueprints = (pages_bp, auth_bp, orgs_bp, teams_bp, catalogs_bp, i18n_bp, results_bp, assessments_bp, reports_bp, roadmaps_bp)
    blueprints += (overview_bp,)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(tracking_bp)  # the roadmap review
    app.register_blueprint(trends_bp)  # a team's progress over time, two iterations compared
    app.register_blueprint(workshops_bp)  # live workshops: the facilitator's pages
    app.register_blueprint(workshop_join_bp)  # and the participants' (public, no account)


def register_error_pages(app: Flask) -> None:
    from .web.errors import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from .web.security import add_headers

    app.after_request(add_headers)
