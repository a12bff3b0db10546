"""Vessel identity checks: MMSI, IMO number, flag state and call sign.

A wrong digit in an MMSI or IMO number sends a coordinator after the wrong ship, so each
identifier is normalised and checked as far as its standard allows, and refused with a message
saying which part is wrong. MMSI formats follow ITU-R M.585 (the MID table is ``resources/
mid.csv``); flag states are ISO 3166-1 alpha-2 codes (``resources/iso3166.csv``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from sarapp.errors import SarappError
from sarapp.mid import mid_entry
from sarapp.resources import resource_path


class IdentityError(SarappError, ValueError):
    """An MMSI, IMO number, flag or call sign that is malformed or not allocated."""


class MmsiKind(StrEnum):
    """What an MMSI identifies, read from its leading digits (ITU-R M.585 Annexes 1 and 2)."""

    SHIP = "ship station"  # MIDxxxxxx, first digit 2–7
    GROUP_SHIP = "group of ship stations"  # 0MIDxxxxx
    COAST_STATION = "coast station"  # 00MIDxxxx
    SAR_AIRCRAFT = "SAR aircraft"  # 111MIDxxx
    HANDHELD_VHF = "handheld VHF with DSC and GNSS"  # 8MIDxxxxx
    AIS_SART = "AIS-SART"  # 970xxyyyy
    MOB_DEVICE = "man-overboard device"  # 972xxyyyy
    EPIRB_AIS = "EPIRB-AIS"  # 974xxyyyy
    CRAFT_ASSOCIATED = "craft associated with a parent ship"  # 98MIDxxxx
    AID_TO_NAVIGATION = "aid to navigation"  # 99MIDxxxx


@dataclass(frozen=True)
class MmsiInfo:
    """A checked MMSI: its kind, and for MID-bearing kinds the MID and its country.

    ``mid`` is None, ``country`` and ``iso`` empty, for the devices (970, 972, 974) whose
    digits after the prefix are a manufacturer id and a serial number, not a MID.
    """

    mmsi: str
    kind: MmsiKind
    mid: int | None
    country: str
    iso: str


# (prefix, kind, number of digits before the MID); longest prefixes first. Without a MID: None.
_MMSI_FORMATS: tuple[tuple[str, MmsiKind, int | None], ...] = (
    ("970", MmsiKind.AIS_SART, None),
    ("972", MmsiKind.MOB_DEVICE, None),
    ("974", MmsiKind.EPIRB_AIS, None),
    ("111", MmsiKind.SAR_AIRCRAFT, 3),
    ("98", MmsiKind.CRAFT_ASSOCIATED, 2),
    ("99", MmsiKind.AID_TO_NAVIGATION, 2),
    ("00", MmsiKind.COAST_STATION, 2),
    ("0", MmsiKind.GROUP_SHIP, 1),
    ("8", MmsiKind.HANDHELD_VHF, 1),
)


def _mmsi_digits(text: str) -> str:
    digits = re.sub(r"\s+", "", text)
    if not digits:
        raise IdentityError("MMSI: empty")
    bad = next((c for c in digits if not c.isascii() or not c.isdigit()), None)
    if bad is not None:
        raise IdentityError(f'MMSI "{text.strip()}": "{bad}" is not a digit')
    if len(digits) != 9:
        raise IdentityError(f'MMSI "{text.strip()}": has {len(digits)} digits, needs 9')
    return digits


def _mmsi_format(mmsi: str) -> tuple[MmsiKind, int | None]:
    """The kind and the MID's offset (None when there is no MID), from the leading digits."""
    for prefix, kind, offset in _MMSI_FORMATS:
        if mmsi.startswith(prefix):
            return kind, offset
    if mmsi[0] in "234567":
        return MmsiKind.SHIP, 0
    raise IdentityError(
        f'MMSI "{mmsi}": leading digits "{mmsi[:3]}" match no ITU-R M.585 format '
        "(ship 2–7, group 0, coast 00, SAR aircraft 111, handheld 8, 970/972/974, 98, 99)"
    )


def mmsi_info(mmsi: str) -> MmsiInfo:
    """Check ``mmsi`` (spaces allowed) and say what it identifies and its country."""
    digits = _mmsi_digits(mmsi)
    kind, offset = _mmsi_format(digits)
    if offset is None:
        return MmsiInfo(digits, kind, None, "", "")
    mid = int(digits[offset : offset + 3])
    entry = mid_entry(mid)
    if entry is None:
        raise IdentityError(
            f'MMSI "{digits}": MID {digits[offset : offset + 3]} (digits {offset + 1}–'
            f"{offset + 3}) is not allocated to any country ({kind.value} format)"
        )
    return MmsiInfo(digits, kind, mid, entry.country, entry.iso)


def validate_mmsi(text: str) -> str:
    """The 9-digit MMSI in ``text`` (spaces removed), checked for format and allocated MID."""
    return mmsi_info(text).mmsi


_IMO_WEIGHTS = (7, 6, 5, 4, 3, 2)  # IMO Resolution A.1078(28): the check-digit weights


def validate_imo(text: str) -> str:
    """The 7 digits of an IMO ship number (``9074729`` or ``IMO 9074729``), check digit
    verified: the last digit of the sum of the first six digits times 7, 6, 5, 4, 3, 2."""
    body = text.strip()
    if body[:3].upper() == "IMO":
        body = body[3:].lstrip(" :.-")
    body = body.replace(" ", "")
    if not body:
        raise IdentityError(f'IMO number "{text.strip()}": empty')
    bad = next((c for c in body if not c.isascii() or not c.isdigit()), None)
    if bad is not None:
        raise IdentityError(f'IMO number "{text.strip()}": "{bad}" is not a digit')
    if len(body) != 7:
        raise IdentityError(f'IMO number "{text.strip()}": has {len(body)} digits, needs 7')
    check = sum(int(d) * w for d, w in zip(body, _IMO_WEIGHTS, strict=False)) % 10
    if int(body[6]) != check:
        raise IdentityError(
            f'IMO number "{text.strip()}": check digit is {body[6]}, should be {check} '
            "(a digit is probably mistyped)"
        )
    return body


@cache
def _iso3166() -> dict[str, str]:
    with resource_path("iso3166.csv").open(encoding="utf-8", newline="") as f:
        return {row["alpha2"]: row["name"] for row in csv.DictReader(f)}


def validate_flag(text: str) -> str:
    """An assigned ISO 3166-1 alpha-2 flag-state code, any case in, upper case out."""
    code = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise IdentityError(f'flag "{text.strip()}": needs a two-letter ISO 3166-1 code')
    if code not in _iso3166():
        raise IdentityError(f'flag "{text.strip()}": {code} is not an assigned ISO 3166-1 code')
    return code


def flag_name(code: str) -> str:
    """The ISO English short name of a flag-state code (``NO`` → ``Norway``)."""
    return _iso3166()[validate_flag(code)]


def validate_call_sign(text: str) -> str:
    """A radio call sign: 3–7 letters or digits with at least one letter, upper-cased."""
    sign = text.strip().upper()
    if not sign:
        raise IdentityError("call sign: empty")
    bad = next((c for c in sign if not (c.isascii() and c.isalnum())), None)
    if bad is not None:
        raise IdentityError(f'call sign "{text.strip()}": "{bad}" is not a letter or digit')
    if not 3 <= len(sign) <= 7:
        raise IdentityError(f'call sign "{text.strip()}": has {len(sign)} characters, needs 3–7')
    if not any(c.isalpha() for c in sign):
        raise IdentityError(f'call sign "{text.strip()}": needs at least one letter')
    return sign
