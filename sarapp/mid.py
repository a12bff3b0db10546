"""ITU Maritime Identification Digits: the country of an MMSI or of a 406 MHz beacon.

The table is data (``resources/mid.csv``, sources in ``resources/mid.md``), loaded once.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from sarapp.resources import resource_path


@dataclass(frozen=True)
class MidEntry:
    """One allocated MID: ``country`` in ITU wording, ``iso`` the ISO 3166-1 alpha-2 code."""

    mid: int
    country: str
    iso: str


@cache
def mid_table() -> dict[int, MidEntry]:
    """All allocated MIDs (201–775), keyed by number."""
    with resource_path("mid.csv").open(encoding="utf-8", newline="") as f:
        return {
            int(row["mid"]): MidEntry(int(row["mid"]), row["country"], row["iso_alpha2"])
            for row in csv.DictReader(f)
        }


def mid_entry(mid: int) -> MidEntry | None:
    """The allocation of ``mid``, or None when that MID is not allocated."""
    return mid_table().get(mid)
