"""The versions of a catalog and what each changed, as plain values for the public versions page."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.catalog import Catalog
from ..engine.versions import Changes, changes
from .catalogs import catalog_ids, versions_of
from .errors import NotFound


@dataclass(frozen=True)
class PracticeLine:
    id: str
    statement: str  # in the page's language


@dataclass(frozen=True)
class Moved:
    """Practices of the previous version that became one practice of this version."""

    before: tuple[PracticeLine, ...]  # one when renamed, several when merged
    after: PracticeLine


@dataclass(frozen=True)
class VersionView:
    version: str
    title: str
    bundled: bool  # ships with the app; else imported (or shipped by an earlier release)
    current: bool  # new assessments use it
    dimensions: int
    practices: int
    previous: str | None  # the version it follows
    renamed: tuple[Moved, ...]
    merged: tuple[Moved, ...]
    removed: tuple[PracticeLine, ...]
    added: tuple[PracticeLine, ...]

    @property
    def changed(self) -> bool:
        return bool(self.renamed or self.merged or self.removed or self.added)


@dataclass(frozen=True)
class VersionsPage:
    catalog_id: str
    title: str  # of the current version
    versions: tuple[VersionView, ...]  # newest first


def versions_page(catalog_id: str, lang: str) -> VersionsPage:
    """Every version of a catalog (bundled and imported), newest first, each with its changes
    from the one before it; public, like the catalog pages. NotFound for an unknown id."""
    versions = versions_of(catalog_id)
    if not versions:
        raise NotFound()
    views = []
    for index, version in enumerate(versions):
        previous = versions[index - 1].catalog if index else None
        views.append(_view(version.catalog, previous, version.bundled, index == len(versions) - 1, lang))
    return VersionsPage(catalog_id, versions[-1].catalog.title.get(lang), tuple(reversed(views)))


def _view(catalog: Catalog, previous: Catalog | None, bundled: bool, current: bool, lang: str) -> VersionView:
    def line(source: Catalog, pid: str) -> PracticeLine:
        return PracticeLine(pid, source.practices[pid].statement.get(lang))

    found = changes(previous, catalog) if previous is not None else NO_CHANGES
    before = previous or catalog  # only read when something changed, so there is a previous version
    return VersionView(
        version=catalog.version,
        title=catalog.title.get(lang),
        bundled=bundled,
        current=current,
        dimensions=len(catalog.dimensions),
        practices=len(catalog.practices),
        previous=previous.version if previous is not None else None,
        renamed=tuple(Moved((line(before, old),), line(catalog, new)) for old, new in found.renamed),
        merged=tuple(Moved(tuple(line(before, o) for o in olds), line(catalog, new)) for olds, new in found.merged),
        removed=tuple(line(before, pid) for pid in found.removed),
        added=tuple(line(catalog, pid) for pid in found.added),
    )


NO_CHANGES = Changes((), (), (), ())


@dataclass(frozen=True)
class CatalogEntry:
    catalog: Catalog  # the current version
    version_count: int


def catalog_entries() -> list[CatalogEntry]:
    """Every catalog at its current version, with how many versions it has (the list page)."""
    entries = []
    for catalog_id in catalog_ids():
        versions = versions_of(catalog_id)
        entries.append(CatalogEntry(versions[-1].catalog, len(versions)))
    return entries
