"""Catalog versions as immutable snapshots in the database, and back to engine catalogs."""

from __future__ import annotations

import sqlalchemy as sa

from ..engine.catalog import Catalog
from ..engine.loader import catalog_hash
from ..engine.serialize import catalog_to_dict
from ..extensions import db
from ..store.models import CatalogSnapshot


def snapshot_for(catalog: Catalog) -> CatalogSnapshot:
    """The stored snapshot of this exact catalog content, created on first use (no commit)."""
    digest = catalog_hash(catalog)
    snapshot = db.session.scalar(sa.select(CatalogSnapshot).where(CatalogSnapshot.content_hash == digest))
    if snapshot is None:
        snapshot = CatalogSnapshot(
            catalog_id=catalog.id, version=catalog.version, content_hash=digest, content=catalog_to_dict(catalog)
        )
        db.session.add(snapshot)
        db.session.flush()
    return snapshot


def catalog_of(snapshot: CatalogSnapshot) -> Catalog:
    """The engine catalog a snapshot holds, parsed once per content hash."""
    catalog = _parsed.get(snapshot.content_hash)
    if catalog is None:
        catalog = _parsed[snapshot.content_hash] = Catalog.model_validate(snapshot.content)
    return catalog


# Snapshots are immutable, so a parsed catalog can be kept for the life of the process.
_parsed: dict[str, Catalog] = {}
