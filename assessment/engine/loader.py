"""Loading catalogs from YAML: includes, shape validation and cross-checks, all errors at once."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .catalog import Catalog
from .checks import cross_check
from .errors import CatalogError, CatalogInvalid
from .yaml_source import KeyPath, Position, Sourced, format_path, read_yaml

CATALOG_FILE = "catalog.yaml"
ExtraCheck = Callable[[dict[str, Any]], list[tuple[KeyPath, str]]]
INCLUDABLE = ("dimensions", "metrics", "glossary")

_FRIENDLY = {
    "missing": "required key is missing",
    "extra_forbidden": "unknown key",
    "string_too_short": "must not be empty",
}


def load_catalog(path: str | os.PathLike[str], extra_check: ExtraCheck | None = None) -> Catalog:
    """Load and validate one catalog (a YAML file or a folder holding catalog.yaml).

    `extra_check` adds rules that need more than the file (an import checks `replaces` against
    the previous version); its problems are reported like the others, with file and line."""
    source, errors = _read_with_includes(Path(path))
    if not isinstance(source.data, dict):
        raise CatalogInvalid(errors)
    if extra_check is not None:
        errors = errors + [_error(source, key_path, message) for key_path, message in extra_check(source.data)]
    return _validate(source, errors)


def validate_catalog(path: str | os.PathLike[str]) -> list[CatalogError]:
    """Every error of one catalog, sorted by file and line; empty when it is valid."""
    try:
        load_catalog(path)
    except CatalogInvalid as invalid:
        return invalid.errors
    return []


def find_catalogs(path: str | os.PathLike[str]) -> list[Path]:
    """The catalogs a path names: a catalog file, a catalog folder, or a folder of catalogs."""
    path = Path(path)
    if path.is_file():
        return [path]
    if (path / CATALOG_FILE).is_file():
        return [path]
    if not path.is_dir():
        return []
    found = [p for p in sorted(path.iterdir()) if p.is_dir() and (p / CATALOG_FILE).is_file()]
    found += [p for p in sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if p.is_file()]
    return found


def catalog_hash(catalog: Catalog) -> str:
    """A stable fingerprint of a catalog's content (what snapshots and caches key on)."""
    canonical = json.dumps(catalog.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _read_with_includes(path: Path) -> tuple[Sourced, list[CatalogError]]:
    main = path / CATALOG_FILE if path.is_dir() else path
    source, errors = _read_one(main)
    if errors:
        return source, errors
    if not isinstance(source.data, dict):
        return source, [_error(source, (), "a catalog must be a mapping of keys to values")]
    includes = source.data.pop("include", [])
    if not isinstance(includes, list):
        return source, [_error(source, ("include",), "must be a list of file names")]
    for index, name in enumerate(includes):
        errors += _merge_include(source, main.parent, name, ("include", index))
    errors += [_error(source, dup, "duplicate key") for dup in source.duplicates]
    return source, errors


def _read_one(path: Path) -> tuple[Sourced, list[CatalogError]]:
    display = _display(path)
    try:
        return read_yaml(path, display), []
    except FileNotFoundError:
        return Sourced(None), [CatalogError(display, 0, "(file)", "file not found")]
    except (OSError, UnicodeDecodeError) as exc:
        return Sourced(None), [CatalogError(display, 0, "(file)", f"cannot read file: {exc}")]
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        return Sourced(None), [CatalogError(display, line, "(file)", f"YAML syntax error: {problem}")]
    except yaml.YAMLError as exc:
        return Sourced(None), [CatalogError(display, 0, "(file)", f"YAML error: {exc}")]


def _merge_include(source: Sourced, folder: Path, name: Any, at: KeyPath) -> list[CatalogError]:
    if not isinstance(name, str):
        return [_error(source, at, "must be a file name")]
    if not (folder / name).is_file():
        return [_error(source, at, f"included file not found: {name}")]
    included, errors = _read_one(folder / name)
    if errors:
        return errors
    if not isinstance(included.data, dict):
        return [_error(included, (), "an included file must be a mapping")]
    errors = [_error(included, dup, "duplicate key") for dup in included.duplicates]
    for key, items in included.data.items():
        if key not in INCLUDABLE or not isinstance(items, list):
            errors.append(_error(included, (key,), f"an included file may only hold lists of {', '.join(INCLUDABLE)}"))
            continue
        target = source.data.setdefault(key, [])
        if not isinstance(target, list):
            errors.append(_error(source, (key,), "must be a list"))
            continue
        offset = len(target)
        target.extend(items)
        for sub, position in included.positions.items():
            if sub[:1] == (key,) and len(sub) > 1:
                source.positions[(key, offset + sub[1], *sub[2:])] = position
    return errors


def _error(source: Sourced, path: KeyPath, message: str) -> CatalogError:
    position: Position = source.position(path)
    return CatalogError(position.file, position.line, format_path(path), message)


def _validate(source: Sourced, errors: list[CatalogError]) -> Catalog:
    errors = errors + [_error(source, path, message) for path, message in cross_check(source.data)]
    try:
        catalog = Catalog.model_validate(source.data)
    except ValidationError as exc:
        errors += [_shape_error(source, err) for err in _root_causes(exc.errors())]
        catalog = None
    if errors or catalog is None:
        raise CatalogInvalid(sorted(set(errors)))
    return catalog


def _root_causes(errors: list[Any]) -> list[Any]:
    """Drop "too short" errors of a list whose items failed: the items' errors say why."""

    def has_inner(err: Any) -> bool:
        loc = err["loc"]
        return any(other["loc"][: len(loc)] == loc and len(other["loc"]) > len(loc) for other in errors)

    return [err for err in errors if not (err["type"] == "too_short" and has_inner(err))]


def _shape_error(source: Sourced, err: Any) -> CatalogError:
    path = _data_path(source.data, err["loc"])
    message = _FRIENDLY.get(err["type"], err["msg"][:1].lower() + err["msg"][1:])
    return _error(source, path, message)


def _data_path(data: Any, loc: tuple[Any, ...]) -> KeyPath:
    """Pydantic's location without the names of union members it tried on the way."""
    path: list[Any] = []
    for part in loc:
        if (isinstance(part, int) and isinstance(data, list) and part < len(data)) or (isinstance(data, dict) and part in data):
            data = data[part]
        elif isinstance(data, dict) and isinstance(part, str) and "[" not in part and not part[:1].isupper():
            data = None  # a missing key: keep it in the path, stop descending
        else:
            continue
        path.append(part)
    return tuple(path)
