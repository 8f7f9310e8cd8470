"""An installed CD Coach finds its data folders: pyproject's data-files cover every file."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_data_files_cover_questionnaires_and_static():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    data_files = config["tool"]["setuptools"]["data-files"]
    shipped = {path for globs in data_files.values() for pattern in globs for path in ROOT.glob(pattern)}
    for folder in ("questionnaires", "static"):
        files = {p for p in (ROOT / folder).rglob("*") if p.is_file()}
        assert files, folder
        assert sorted(str(p.relative_to(ROOT)) for p in files - shipped) == []
    for target, globs in data_files.items():
        for pattern in globs:
            # each target folder mirrors the source folder it takes files from
            assert target == "share/cdcoach/" + str(Path(pattern).parent)
