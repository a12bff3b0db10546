"""Locate the data files shipped in ``resources/`` (tables, schemas, icons, coastlines).

They sit beside the package in a source checkout or an editable install, and at the root of a
PyInstaller bundle (``sys._MEIPASS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

_CANDIDATES = (
    Path(getattr(sys, "_MEIPASS", "")) / "resources" if hasattr(sys, "_MEIPASS") else None,
    Path(__file__).resolve().parent.parent / "resources",
)


def resource_path(name: str) -> Path:
    """Return the path of ``resources/<name>``; raise FileNotFoundError naming it if absent."""
    for root in _CANDIDATES:
        if root is not None and (root / name).exists():
            return root / name
    raise FileNotFoundError(f"sarapp resource {name!r} not found (looked in resources/)")
