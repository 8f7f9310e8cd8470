"""The maturity models (catalogs): list, contents, glossary and versions (public reading).

Each page shows a catalog's current version, the one new assessments use (bundled or imported;
`services.catalogs.current_catalog`). New versions are imported by the operator with
`cdcoach questionnaire import`, not here: catalogs are shared by every organisation.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from ...language import current_language
from ...services import catalogs
from ...services.catalog_history import catalog_entries, versions_page

bp = Blueprint("catalogs", __name__)


@bp.get("/catalogs")
def index() -> str:
    return render_template("catalogs/index.html", entries=catalog_entries())


@bp.get("/catalogs/<catalog_id>")
def show(catalog_id: str) -> str:
    return render_template("catalogs/show.html", catalog=catalogs.current_catalog(catalog_id))


@bp.get("/catalogs/<catalog_id>/glossary")
def glossary(catalog_id: str) -> str:
    return render_template("catalogs/glossary.html", catalog=catalogs.current_catalog(catalog_id))


@bp.get("/catalogs/<catalog_id>/versions")
def versions(catalog_id: str) -> str:
    return render_template("catalogs/versions.html", page=versions_page(catalog_id, current_language()))
