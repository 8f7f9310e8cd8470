"""Where the data folders shipped with the app live: beside the package in a checkout, or
under the installation prefix (share/cdcoach) when installed from a wheel."""

from __future__ import annotations

import sys
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """The folder `questionnaires` or `static`, wherever this installation keeps it."""
    for base in (_CHECKOUT, Path(sys.prefix) / "share" / "cdcoach"):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the '{name}' folder of CD Coach")
