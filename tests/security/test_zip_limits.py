"""A zip package is checked against its limits before any of it is unpacked (issue 10).

On main the whole central directory was parsed by ``zipfile`` (one object per member) before
the member count was looked at: a small file declaring hundreds of thousands of members cost
memory and time out of all proportion before it was refused.
"""

from __future__ import annotations

import struct
import tracemalloc

import pytest

from sarapp.exchange.errors import PackageError
from sarapp.exchange.ziparchive import DEFAULT_LIMITS, open_zip

MIB = 1024 * 1024


def _central_directory_bomb(members: int, *, declared: int | None = None) -> bytes:
    """A zip of ``members`` empty stored members, as a central directory only (zipfile needs
    no more to list them); the end record declares ``declared`` members (default: all)."""
    name = b"attachments/a.txt"
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, len(name), 0) + name
    entry = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(name),
                        0, 0, 0, 0, 0, 0) + name  # fmt: skip
    directory = entry * members
    count = min(members if declared is None else declared, 0xFFFF)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(local), 0)
    return local + directory + end


@pytest.mark.parametrize("declared", [None, 1])
def test_a_zip_declaring_too_many_members_is_refused_before_it_is_parsed(declared) -> None:
    bomb = _central_directory_bomb(250_000, declared=declared)
    tracemalloc.start()
    try:
        with pytest.raises(PackageError, match=r"members|central directory"):
            open_zip(bomb, DEFAULT_LIMITS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * MIB, f"{peak / MIB:.1f} MiB used to refuse a {len(bomb) / MIB:.1f} MiB zip"
