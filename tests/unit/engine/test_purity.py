"""The engine stays pure: importing it pulls in neither Flask nor SQLAlchemy nor our web layers."""

from __future__ import annotations

import json
import subprocess
import sys


def test_engine_imports_no_flask_and_no_database():
    code = (
        "import json, sys, pkgutil, importlib, assessment.engine as e\n"
        "for m in pkgutil.iter_modules(e.__path__): importlib.import_module('assessment.engine.' + m.name)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    modules = json.loads(out)
    assert "assessment.engine.scoring" in modules  # the import really happened
    forbidden = [
        m
        for m in modules
        if m.split(".")[0] in {"flask", "sqlalchemy", "werkzeug", "jinja2"}
        or m.startswith(("assessment.web", "assessment.store", "assessment.services", "reports"))
    ]
    assert forbidden == []
