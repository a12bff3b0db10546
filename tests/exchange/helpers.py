"""Helpers shared by the exchange tests: export a case, re-sign an altered document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sarapp.exchange import keys
from sarapp.exchange.package import build_package, package_bytes, sign_package
from sarapp.store import Store

from .conftest import FALMOUTH


def export(store: Store, case_id: str, keys_dir: Path, **options: Any) -> dict[str, Any]:
    return build_package(store, case_id, keys=keys.load_or_create(keys_dir), to=FALMOUTH, **options)


def resign(document: dict[str, Any], keys_dir: Path) -> bytes:
    """The bytes of ``document`` signed afresh by the desk in ``keys_dir``."""
    return package_bytes(sign_package(document, keys.load_or_create(keys_dir)))


def as_bytes(document: dict[str, Any]) -> bytes:
    return package_bytes(document)


def copy(document: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(document))
