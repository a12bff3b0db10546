"""Leeway object categories: per-category downwind and crosswind leeway regressions.

Loaded from ``resources/leeway_categories.csv`` (sources in ``leeway_categories.md``). Slopes are
in per cent of the 10 m wind speed, offsets and standard deviations in cm/s.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from sarapp.drift.errors import DriftError
from sarapp.resources import resource_path

_FLOAT_FIELDS = (
    "dw_slope_pct",
    "dw_offset_cms",
    "dw_std_cms",
    "cwr_slope_pct",
    "cwr_offset_cms",
    "cwr_std_cms",
    "cwl_slope_pct",
    "cwl_offset_cms",
    "cwl_std_cms",
)


@dataclass(frozen=True)
class LeewayCategory:
    """One search-object category: leeway = slope × U10 + offset, with a regression std.

    ``cwr_*`` and ``cwl_*`` are the two crosswind sides (Allen & Plourde 1999).
    """

    id: int
    key: str
    group: str
    sub_level: int
    name: str
    dw_slope_pct: float
    dw_offset_cms: float
    dw_std_cms: float
    cwr_slope_pct: float
    cwr_offset_cms: float
    cwr_std_cms: float
    cwl_slope_pct: float
    cwl_offset_cms: float
    cwl_std_cms: float


@cache
def leeway_categories() -> tuple[LeewayCategory, ...]:
    """All categories of the shipped table, in id order."""
    path = resource_path("leeway_categories.csv")
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                out.append(
                    LeewayCategory(
                        id=int(row["id"]),
                        key=row["key"],
                        group=row["group"],
                        sub_level=int(row["sub_level"]),
                        name=row["name"],
                        **{f: float(row[f]) for f in _FLOAT_FIELDS},
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise DriftError(f"{path.name} line {line}: {exc}") from exc
    return tuple(out)


def leeway_category(ident: int | str) -> LeewayCategory:
    """The category with this id (``32`` or ``"32"``) or key (``"PIW-1"``, any case)."""
    text = str(ident).strip()
    for cat in leeway_categories():
        if text == str(cat.id) or text.upper() == cat.key.upper():
            return cat
    raise DriftError(f"object category {text!r} is not a Leeway category id (1–85) or key")


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^0-9a-z]+", text.lower()) if w}


def find_categories(query: str) -> list[LeewayCategory]:
    """Categories matching an id, a key, or every word of ``query`` (as a word prefix).

    ``"raft"`` finds every life raft, ``"PIW"`` every person in water, ``"kayak"`` the sea
    kayak; matching ignores case and punctuation. An empty query returns every category.
    """
    text = query.strip()
    if not text:
        return list(leeway_categories())
    exact = [c for c in leeway_categories() if text == str(c.id) or text.upper() == c.key.upper()]
    if exact:
        return exact
    wanted = _words(text)
    found = []
    for cat in leeway_categories():
        words = _words(f"{cat.key} {cat.name} {cat.group}")
        words |= {w.rstrip("s") for w in words}
        if all(any(w.startswith(q) or w == q.rstrip("s") for w in words) for q in wanted):
            found.append(cat)
    return found
