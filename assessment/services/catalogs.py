"""Catalog versions as immutable snapshots in the database, and back to engine catalogs.

Which version a new assessment uses (`current_catalog`), the versions of a catalog, and
importing a new version (`import_catalog`, the `cdcoach questionnaire import` command: an
operator's act, since catalogs are shared by every organisation of the installation).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _

from ..engine.catalog import Catalog
from ..engine.library import CatalogLibrary
from ..engine.loader import catalog_hash, load_catalog
from ..engine.serialize import catalog_to_dict
from ..engine.versions import dropped_silently, replaces_problems, version_key
from ..extensions import db
from ..store.models import CatalogSnapshot
from .audit import record
from .errors import Conflict, NotFound


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


# Versions: the bundled library (questionnaires/) holds one version per catalog id; imported
# versions and the versions assessments pinned are stored snapshots. New assessments use the
# newest version of a catalog id among both (`current_catalog`); an assessment keeps the
# snapshot it pinned when it started, open or finalized.


@dataclass(frozen=True)
class CatalogVersion:
    catalog: Catalog
    snapshot_id: int | None  # None: bundled and not stored yet
    bundled: bool  # the version that ships with the app (else imported, or shipped by an earlier release)

    @property
    def version(self) -> str:
        return self.catalog.version


def bundled_library() -> CatalogLibrary:
    return current_app.extensions["cdcoach.catalogs"]


def versions_of(catalog_id: str) -> list[CatalogVersion]:
    """Every version of a catalog id, oldest first, one per version number: the bundled content
    for the bundled version, else the latest stored snapshot of that number. Two queries at most."""
    library = bundled_library()
    bundled, bundled_hash = library.catalogs.get(catalog_id), library.hashes.get(catalog_id)
    rows = db.session.execute(
        sa.select(CatalogSnapshot.id, CatalogSnapshot.version, CatalogSnapshot.content_hash)
        .where(CatalogSnapshot.catalog_id == catalog_id)
        .order_by(CatalogSnapshot.id)
    ).all()
    latest = {row.version: row for row in rows if bundled is None or row.version != bundled.version}
    _parse_missing({row.content_hash for row in latest.values()} - _parsed.keys())
    versions = [CatalogVersion(_parsed[row.content_hash], row.id, False) for row in latest.values()]
    if bundled is not None:
        stored = next((row.id for row in rows if row.content_hash == bundled_hash), None)
        versions.append(CatalogVersion(bundled, stored, True))
    return sorted(versions, key=lambda v: version_key(v.version))


def catalogs_by_hash(digests: set[str]) -> dict[str, Catalog]:
    """The stored catalogs of these content hashes, parsed once per process (snapshots are
    immutable); the ones not parsed yet are read in one query."""
    _parse_missing(set(digests) - _parsed.keys())
    return {digest: _parsed[digest] for digest in digests}


def _parse_missing(digests: set[str]) -> None:
    if not digests:
        return
    rows = db.session.execute(
        sa.select(CatalogSnapshot.content_hash, CatalogSnapshot.content).where(CatalogSnapshot.content_hash.in_(digests))
    )
    for digest, content in rows:
        _parsed[digest] = Catalog.model_validate(content)


def catalog_ids() -> list[str]:
    """Every catalog id: the bundled ones in library order, then imported ones by id."""
    bundled = list(bundled_library().catalogs)
    stored = db.session.scalars(sa.select(CatalogSnapshot.catalog_id).distinct())
    return bundled + sorted(set(stored) - set(bundled))


def current_catalog(catalog_id: str) -> Catalog:
    """The version new assessments of this catalog id use: the newest, bundled or imported.

    NotFound for an id that is neither bundled nor stored."""
    versions = versions_of(catalog_id)
    if not versions:
        raise NotFound()
    return versions[-1].catalog


def current_catalogs() -> list[Catalog]:
    """The current version of every catalog (what a new assessment can choose from)."""
    return [current_catalog(cid) for cid in catalog_ids()]


@dataclass(frozen=True)
class Imported:
    catalog: Catalog
    snapshot_id: int
    created: bool  # False: this exact content was already there, nothing changed
    dropped: tuple[str, ...] = ()  # previous practices neither kept nor in `replaces` (removed)
    previous: str | None = None  # the version it follows


def import_catalog(path: str | os.PathLike[str]) -> Imported:
    """Validate a catalog file or folder and store it as a new immutable version (an operator's act).

    Raises CatalogInvalid (the validator's one-line errors, plus `replaces` keys that are not
    practices of the previous version), or Conflict when the version number is taken by other
    content or is not newer than the latest version. The same content twice is a no-op."""
    catalog = load_catalog(path)
    digest = catalog_hash(catalog)
    existing = db.session.scalar(sa.select(CatalogSnapshot.id).where(CatalogSnapshot.content_hash == digest))
    bundled = bundled_library().hashes.get(catalog.id) == digest
    if existing is not None or bundled:
        snapshot_id = existing if existing is not None else snapshot_for(catalog).id
        db.session.commit()
        return Imported(catalog, snapshot_id, created=False)
    versions = versions_of(catalog.id)
    if any(v.version == catalog.version for v in versions):
        raise Conflict(
            _(
                "Version %(version)s of %(catalog)s already exists with other content: a version never changes;"
                " give this one a new version number.",
                version=catalog.version,
                catalog=catalog.id,
            )
        )
    previous = versions[-1].catalog if versions else None
    if previous is not None and version_key(catalog.version) < version_key(previous.version):
        raise Conflict(
            _(
                "Version %(version)s is older than %(latest)s, the latest version of %(catalog)s:"
                " only a newer version can be imported.",
                version=catalog.version,
                latest=previous.version,
                catalog=catalog.id,
            )
        )
    catalog = load_catalog(path, extra_check=lambda data: replaces_problems(data, previous))
    snapshot = CatalogSnapshot(
        catalog_id=catalog.id, version=catalog.version, content_hash=digest, content=catalog_to_dict(catalog)
    )
    db.session.add(snapshot)
    db.session.flush()
    record(None, None, "catalog.import", f"catalog:{catalog.id}@{catalog.version}", hash=digest)
    db.session.commit()
    dropped = tuple(dropped_silently(previous, catalog)) if previous is not None else ()
    return Imported(catalog, snapshot.id, True, dropped, previous.version if previous else None)


def version_chain(pinned: Catalog, target: Catalog) -> list[Catalog]:
    """The versions answers made on `pinned` go through to reach `target`: `pinned`, every known
    version in between, `target` (each version's `replaces` maps from the one before it)."""
    if pinned is target:
        return [pinned]
    # the same content as two objects (bundled and parsed from its snapshot) maps one to one too
    low, high = version_key(pinned.version), version_key(target.version)
    between = [v.catalog for v in versions_of(target.id) if low < version_key(v.version) < high]
    return [pinned, *between, target]
