"""Integers beyond ±2^53 in a package, carried exactly (since format version 4).

I-JSON, and so the RFC 8785 form a package is signed over, cannot carry such an integer
exactly. Yet a desk may hold one: drift seeds were drawn up to 2^63 before sarapp drew them
within 2^53, and a run's seed is both a member of the run and a value in its log entry's
``data``, which the entry's hash covers exactly. So:

- a drift run's ``seed`` is a string of decimal digits;
- a log entry whose ``data`` holds such an integer carries ``data_json``, the exact JSON text
  its hash covers, beside ``data`` with each such integer written as a decimal string (for a
  reader that only shows it). The receiver takes ``data_json`` and checks that ``data`` says
  the same.
"""

from __future__ import annotations

import json
from typing import Any

from sarapp.exchange.canonical import MAX_SAFE_INTEGER
from sarapp.exchange.errors import PackageError
from sarapp.exchange.wire import exact_data_text

DATA_JSON = "data_json"
MAX_SEED = 2**63 - 1  # a desk keeps a seed in a SQLite INTEGER


def is_large(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER


def holds_large(value: Any) -> bool:
    """Whether a JSON value holds an integer beyond ±2^53 anywhere."""
    if isinstance(value, dict):
        return any(holds_large(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_large(v) for v in value)
    return is_large(value)


def readable(value: Any) -> Any:
    """The value with each integer beyond ±2^53 written as its decimal string."""
    if isinstance(value, dict):
        return {k: readable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [readable(v) for v in value]
    return str(value) if is_large(value) else value


def entry_data_members(data: dict[str, Any]) -> dict[str, Any]:
    """A log entry's ``data`` (and ``data_json`` when needed) as the package carries them."""
    if not holds_large(data):
        return {"data": data}
    return {"data": readable(data), DATA_JSON: exact_data_text(data)}


def restore_exact_data(log: list[dict[str, Any]]) -> None:
    """Replace each entry's ``data`` by the exact object of its ``data_json`` (in place);
    PackageError if that text is not a JSON object or ``data`` says something else."""
    for entry in log:
        text = entry.pop(DATA_JSON, None)
        if text is None:
            continue
        label = f"log entry seq {entry.get('seq')} ({entry.get('id')})"
        try:
            exact = json.loads(text, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            raise PackageError(f"{label}: data_json is not valid JSON") from None
        if not isinstance(exact, dict):
            raise PackageError(f"{label}: data_json is not a JSON object")
        if readable(exact) != entry["data"]:
            raise PackageError(f"{label}: data and data_json do not say the same")
        entry["data"] = exact


def seed_to_json(seed: int) -> str:
    return str(seed)


def seed_from_json(text: str, where: str) -> int:
    """A seed of the package (decimal digits, schema-checked) as the int the desk stores."""
    seed = int(text)
    if seed > MAX_SEED:
        raise PackageError(f"{where}: seed {text} is beyond 2^63 - 1, which no desk can keep")
    return seed


def _no_constant(name: str) -> Any:
    raise ValueError(name)


__all__ = [
    "DATA_JSON",
    "entry_data_members",
    "holds_large",
    "readable",
    "restore_exact_data",
    "seed_from_json",
    "seed_to_json",
]
