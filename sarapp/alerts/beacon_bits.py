"""Bit-level tools shared by the 406 MHz beacon decoders: hex input, BCH codes, Baudot, tables.

Everything works on one Python int per message so decoding stays fast (no per-bit strings).
The code tables are data in ``resources/beacon_*.csv`` (sources in ``resources/beacon_tables.md``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from sarapp.errors import SarappError
from sarapp.resources import resource_path

_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


class BeaconError(SarappError, ValueError):
    """A beacon message or identifier that cannot be decoded; the message names the fault."""


# A first-generation message is held as one int of bits 1–144 (bit k at position 144 - k).
FGB_BITS = 144


def field(m: int, first: int, last: int) -> int:
    """Bits ``first``–``last`` (1-based, T.001 numbering) of a first-generation message int."""
    return (m >> (FGB_BITS - last)) & ((1 << (last - first + 1)) - 1)


def parse_hex(text: str, valid_lengths: tuple[int, ...]) -> tuple[int, int]:
    """Return ``(value, number of hex digits)`` of ``text`` (surrounding blanks ignored).

    Raises BeaconError naming the first non-hex character (1-based position) or, for a wrong
    length, the lengths accepted.
    """
    hex_text = text.strip()
    if not _HEX_DIGITS.issuperset(hex_text):
        for position, char in enumerate(hex_text, start=1):
            if char not in _HEX_DIGITS:
                raise BeaconError(
                    f"character {position} ({char!r}) of the beacon hex is not a hex digit 0-9/A-F"
                )
    n = len(hex_text)
    if n not in valid_lengths:
        listed = ", ".join(str(v) for v in valid_lengths)
        raise BeaconError(
            f"beacon hex has {n} characters; expected one of {listed} "
            "(15/23 hex ID, 22/28 short, 30/36 long, 51/63 second-generation message)"
        )
    return int(hex_text, 16), n


@dataclass(frozen=True)
class BchCode:
    """A binary BCH code checked by polynomial division (remainder of ``data·x^parity``)."""

    name: str
    generator: int
    data_bits: int
    parity_bits: int
    table: tuple[int, ...]

    def remainder(self, data: int) -> int:
        """The ``parity_bits``-bit remainder of ``data`` followed by zeros, modulo the generator."""
        r = self.parity_bits
        mask = (1 << r) - 1
        shift = r - 8
        table = self.table
        reg = 0
        for i in range((self.data_bits + 7) // 8 - 1, -1, -1):
            reg = ((reg << 8) & mask) ^ table[((reg >> shift) ^ (data >> (8 * i))) & 0xFF]
        return reg


def _bch_table(generator: int, parity_bits: int) -> tuple[int, ...]:
    """Byte-at-a-time division table (MSB first), like a CRC without reflection."""
    top = 1 << (parity_bits - 1)
    mask = (1 << parity_bits) - 1
    low = generator & mask
    table = []
    for byte in range(256):
        reg = byte << (parity_bits - 8)
        for _ in range(8):
            reg = ((reg << 1) ^ low) if reg & top else reg << 1
        table.append(reg & mask)
    return tuple(table)


@cache
def bch_codes() -> dict[str, BchCode]:
    """BCH-1, BCH-2 (first generation) and the second-generation code, keyed by name."""
    codes = {}
    for row in _rows("beacon_bch.csv"):
        generator = int(row["generator"], 2)
        parity = int(row["parity_bits"])
        codes[row["code"]] = BchCode(
            row["code"], generator, int(row["data_bits"]), parity, _bch_table(generator, parity)
        )
    return codes


def _rows(name: str) -> list[dict[str, str]]:
    with resource_path(name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def baudot_tables() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Modified Baudot decoding tables: 64 entries for 6-bit codes, 32 for 5-bit letters.

    Codes the table does not define decode as ``?`` so a damaged message still shows.
    """
    six = ["?"] * 64
    five = ["?"] * 32
    for row in _rows("beacon_baudot.csv"):
        code = int(row["code"], 2)
        six[code] = row["char"]
        if code & 0b100000:
            five[code & 0b11111] = row["char"]
    return tuple(six), tuple(five)


def baudot(value: int, count: int, *, width: int = 6) -> str:
    """``count`` modified-Baudot characters packed MSB first in ``value`` (``width`` 6 or 5)."""
    six, five = baudot_tables()
    table = six if width == 6 else five
    mask = (1 << width) - 1
    return "".join(table[(value >> (width * (count - 1 - i))) & mask] for i in range(count))


@cache
def code_table(table: str) -> dict[int, str]:
    """One small code table of ``beacon_codes.csv`` (e.g. ``aux_device``), code → name."""
    return {int(r["code"], 2): r["name"] for r in _rows("beacon_codes.csv") if r["table"] == table}


@dataclass(frozen=True)
class ProtocolInfo:
    """One first-generation protocol code: machine name, human label, implied beacon type."""

    name: str
    label: str
    beacon_type: str


@cache
def protocol_table() -> dict[tuple[str, int], ProtocolInfo]:
    """Protocols keyed by ``(family, code)``: family ``user`` (bits 37–39), ``location``
    (bits 37–40) or ``serial`` (serial-user beacon type, bits 40–42)."""
    return {
        (r["flag"], int(r["code"], 2)): ProtocolInfo(r["name"], r["label"], r["beacon_type"])
        for r in _rows("beacon_protocols.csv")
    }


def rls_moffset(hex_id: str) -> int:
    """RLS Moffset: CRC-16 (x^16 + x^15 + x^2 + 1, initial 0) of the 60 ID bits, modulo 60."""
    value = int(hex_id, 16)
    reg = 0
    for i in range(59, -1, -1):
        feedback = ((reg >> 15) & 1) ^ ((value >> i) & 1)
        reg = (reg << 1) & 0xFFFF
        if feedback:
            reg ^= 0x8005
    return reg % 60
