"""Layers stay apart: the engine imports no Flask and no database; reports depend on the engine only."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

WEB_AND_DATABASE = {"flask", "sqlalchemy", "werkzeug", "flask_babel", "flask_sqlalchemy"}


@pytest.mark.parametrize(
    ("package", "sample", "forbidden_roots", "forbidden_prefixes"),
    [
        (
            "assessment.engine",
            "assessment.engine.scoring",
            WEB_AND_DATABASE | {"jinja2", "reports"},
            ("assessment.web", "assessment.store", "assessment.services"),
        ),
        ("reports", "reports.charts", WEB_AND_DATABASE, ("assessment.web", "assessment.store", "assessment.services")),
    ],
)
def test_package_imports_stay_in_their_layer(package, sample, forbidden_roots, forbidden_prefixes):
    code = (
        f"import json, sys, pkgutil, importlib, {package} as p\n"
        f"for m in pkgutil.iter_modules(p.__path__): importlib.import_module('{package}.' + m.name)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    modules = json.loads(out)
    assert sample in modules  # the import really happened
    forbidden = [m for m in modules if m.split(".")[0] in forbidden_roots or m.startswith(forbidden_prefixes)]
    assert forbidden == []
