"""reports depends on assessment.engine only: never on Flask, the database, or the web, store and services layers."""

from __future__ import annotations

import json
import subprocess
import sys


def test_reports_import_nothing_of_the_web_or_the_database():
    code = (
        "import json, sys, pkgutil, importlib, reports\n"
        "for m in pkgutil.iter_modules(reports.__path__): importlib.import_module('reports.' + m.name)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    modules = json.loads(out)
    assert "reports.charts" in modules  # the import really happened
    forbidden = [
        m
        for m in modules
        if m.split(".")[0] in {"flask", "sqlalchemy", "flask_babel", "flask_sqlalchemy"}
        or m.startswith(("assessment.web", "assessment.store", "assessment.services"))
    ]
    assert forbidden == []
