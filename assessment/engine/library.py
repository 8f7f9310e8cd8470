"""A set of catalogs loaded from a folder, found by id."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .catalog import Catalog
from .errors import CatalogError, CatalogInvalid
from .loader import catalog_hash, find_catalogs, load_catalog


@dataclass(frozen=True)
class CatalogLibrary:
    catalogs: dict[str, Catalog]
    hashes: dict[str, str]

    def __iter__(self) -> Iterator[Catalog]:
        return iter(self.catalogs.values())

    def __contains__(self, catalog_id: object) -> bool:
        return catalog_id in self.catalogs

    def get(self, catalog_id: str) -> Catalog:
        try:
            return self.catalogs[catalog_id]
        except KeyError:
            raise KeyError(f"no catalog with id '{catalog_id}'") from None


def load_library(folder: Path) -> CatalogLibrary:
    """Load every catalog under `folder`; raises CatalogInvalid with all errors of all catalogs.

    Loaded once per content: a second app in the same process (tests, workers) reuses the
    library while no file under the folder has changed."""
    key = _fingerprint(folder)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = _load(folder)
    return _loaded[key]


_loaded: dict[tuple, CatalogLibrary] = {}


def _fingerprint(folder: Path) -> tuple:
    files = sorted(p for p in Path(folder).rglob("*") if p.is_file())
    return (str(Path(folder).resolve()), *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))


def _load(folder: Path) -> CatalogLibrary:
    catalogs: dict[str, Catalog] = {}
    errors: list[CatalogError] = []
    for path in find_catalogs(folder):
        try:
            catalog = load_catalog(path)
        except CatalogInvalid as invalid:
            errors += invalid.errors
            continue
        if catalog.id in catalogs:
            errors.append(CatalogError(str(path), 1, "id", f"another catalog already has id '{catalog.id}'"))
        catalogs[catalog.id] = catalog
    if errors:
        raise CatalogInvalid(errors)
    return CatalogLibrary(catalogs, {cid: catalog_hash(c) for cid, c in catalogs.items()})
