"""The catalogs shipped with the app: list, contents and glossary (public reading)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from ...engine.catalog import Catalog
from ...engine.library import CatalogLibrary

bp = Blueprint("catalogs", __name__)


def library() -> CatalogLibrary:
    return current_app.extensions["cdcoach.catalogs"]


def catalog_or_404(catalog_id: str) -> Catalog:
    if catalog_id not in library():
        abort(404)
    return library().get(catalog_id)


@bp.get("/catalogs")
def index() -> str:
    return render_template("catalogs/index.html", catalogs=list(library()))


@bp.get("/catalogs/<catalog_id>")
def show(catalog_id: str) -> str:
    return render_template("catalogs/show.html", catalog=catalog_or_404(catalog_id))


@bp.get("/catalogs/<catalog_id>/glossary")
def glossary(catalog_id: str) -> str:
    return render_template("catalogs/glossary.html", catalog=catalog_or_404(catalog_id))
