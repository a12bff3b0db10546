"""DSC calls from a DSC controller: NMEA 0183 / IEC 61162-1 ``$--DSC`` and ``$--DSE`` sentences.

A coast station's or RCC's DSC controller reports every received call as one ``DSC`` sentence
(call content per ITU-R M.493), sometimes followed by a ``DSE`` expansion (ITU-R M.821) whose
code ``00`` gives the position to 0.0001 minute. This module reads one sentence's fields
(``parse_dsc``, ``parse_dse``); ``dsc_stream`` reads lines and matches each DSE to its DSC:

- a distress alert (format 112): the calling station is the ship in distress;
- a distress relay (category distress, first telecommand 112) or acknowledgement (110), sent as
  an all ships, individual, group or area call: the ship in distress is field 8, not the caller;
- a distress acknowledgement sent by the ship in distress itself cancels its own alert
  (self-cancel, ITU-R M.493-15 Table A1-4.2 note);
- any other call (urgency, safety, routine) is a ``CALL``.

Field layout and symbols: see ``resources/dsc_symbols.md``. Positions are WGS84 degrees, times
UTC. Every refusal is a ``DscError`` naming the field at fault.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from sarapp.alerts.dsc_symbols import (
    CATEGORY_DISTRESS,
    FORMAT_DISTRESS,
    TC1_DISTRESS_ACK,
    TC1_DISTRESS_RELAY,
    TC1_POSITION,
    quoted,
    symbol,
    symbol_name,
    symbol_names,
    symbol_table,
)
from sarapp.errors import SarappError

_NO_POSITION, _NO_TIME = "9999999999", "8888"
_FUTURE_SKEW = timedelta(minutes=5)  # a position time later than this is from the day before


class DscError(SarappError, ValueError):
    """A line that is not a usable DSC or DSE sentence; the message names the field."""


class DscKind(StrEnum):
    DISTRESS = "distress alert"
    ACKNOWLEDGEMENT = "distress acknowledgement"
    CANCEL = "distress alert cancellation"
    RELAY = "distress relay"
    RELAY_ACK = "distress relay acknowledgement"
    CALL = "call"


@dataclass(frozen=True)
class DscFix:
    """A DSC position as sent: quadrant digit (0 NE, 1 NW, 2 SE, 3 SW), degrees and minutes.

    ``lat_frac``/``lon_frac`` are the extra minutes a DSE adds (0.0001-minute resolution).
    """

    quadrant: int
    lat_deg: int
    lat_min: float
    lon_deg: int
    lon_min: float
    refined: bool = False

    @property
    def lat(self) -> float:
        value = self.lat_deg + self.lat_min / 60
        return round(-value if self.quadrant in (2, 3) else value, 7)

    @property
    def lon(self) -> float:
        value = self.lon_deg + self.lon_min / 60
        return round(-value if self.quadrant in (1, 3) else value, 7)

    def refine(self, lat_frac: float, lon_frac: float) -> DscFix:
        """The DSE's fractions of a minute added to the whole minutes (to the magnitudes)."""
        return replace(
            self, lat_min=self.lat_min + lat_frac, lon_min=self.lon_min + lon_frac, refined=True
        )


@dataclass(frozen=True)
class DscCall:
    """One received DSC call. MMSIs are nine-digit strings.

    ``sender`` is the calling station (field 2); ``casualty`` the ship in distress (the sender
    of a distress alert, field 8 of a relay or acknowledgement; None when not identified).
    ``nature`` and ``communication`` are M.493 names. ``fix`` is None when the call carries no
    usable position (``position_note`` says why); ``time`` is the position's UTC time (None
    when not available or when the receive date is unknown; ``time_text`` is the hhmm sent).
    """

    kind: DscKind
    format_code: int
    sender: str | None
    casualty: str | None
    category: str | None
    nature: str | None
    communication: str | None
    fix: DscFix | None
    position_note: str
    time: datetime | None
    time_text: str
    acknowledgement: str | None
    expansion: bool
    received: datetime | None
    line: int
    sentence: str
    notes: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        """The same call content, from whatever talker or line, is the same call."""
        return hashlib.sha256(f"dsc|{body(self.sentence)}".encode()).hexdigest()


@dataclass(frozen=True)
class DscExpansion:
    """A DSE sentence: its code/data pairs, the call it refines (None if none matched) and,
    for code 00, the refined position of that call (``fix``, None without one)."""

    mmsi: str
    flag: str
    data: tuple[tuple[str, str], ...]
    call: DscCall | None
    fix: DscFix | None
    received: datetime | None
    line: int
    sentence: str
    notes: tuple[str, ...] = ()

    @property
    def digest(self) -> str:
        call = self.call.digest if self.call else "none"
        return hashlib.sha256(f"dse|{call}|{body(self.sentence)}".encode()).hexdigest()


@dataclass(frozen=True)
class DscSentenceError:
    """A DSC/DSE line that could not be used, with its line number (1-based) and why."""

    line: int
    reason: str
    text: str


DscEvent = DscCall | DscExpansion | DscSentenceError


def body(sentence: str) -> str:
    """Fields without talker, checksum or empty trailing fields: the call's content."""
    return sentence.strip()[1:].partition("*")[0][2:].rstrip(",")


def parse_dsc(fields: list[str], *, line: int, received: datetime | None, sentence: str) -> DscCall:
    """A DSC sentence's fields (after the address field, checksum already checked)."""
    f = fields if len(fields) >= 11 else fields + [""] * (11 - len(fields))
    notes: list[str] = []
    fmt = _symbol(f[0], "format specifier", "format")
    if fmt is None:
        raise DscError("field 1 (format specifier) is empty")
    category = _symbol(f[2], "category", "category")
    first = _symbol(f[3], "nature of distress or first telecommand", None)
    second = _symbol(f[4], "type of communication or second telecommand", None)
    sender = _mmsi(f[1], 2, notes, required=fmt == FORMAT_DISTRESS)
    kind = _kind(fmt, category, first, f[9].upper(), sender, f[7])
    distress_related = kind is not DscKind.CALL
    casualty = sender if kind is DscKind.DISTRESS else None
    nature = None
    if kind is DscKind.DISTRESS:
        nature = symbol_name("nature", first) or "not given"
    elif distress_related:
        casualty = _mmsi(f[7], 8, notes, required=False)
        nature = symbol_name("nature", _symbol(f[8], "nature of distress", None)) or "not given"
    fix, position_note = None, "no position in this kind of call"
    if distress_related or first == TC1_POSITION:
        fix, position_note = _fix(f[5], notes)
    has_time = distress_related or first == TC1_POSITION
    time, time_text = _time(f[6], received, notes) if has_time else (None, "")
    if first is not None and kind is DscKind.CALL:
        communication = symbol_name("telecommand1", first)
    else:
        communication = symbol_name("telecommand1", second)
    ack = f[9].upper()
    return DscCall(
        kind=kind,
        format_code=fmt,
        sender=sender,
        casualty=casualty,
        category=symbol_name("category", category),
        nature=nature,
        communication=communication,
        fix=fix,
        position_note=position_note,
        time=time,
        time_text=time_text,
        acknowledgement=symbol_table("acknowledgement").get(ack) if ack else None,
        expansion=f[10].upper() == "E",
        received=received,
        line=line,
        sentence=sentence,
        notes=tuple(notes),
    )


def _kind(
    fmt: int, category: int | None, first: int | None, ack: str, sender: str | None, field8: str
) -> DscKind:
    if fmt == FORMAT_DISTRESS:
        return DscKind.DISTRESS
    if category != CATEGORY_DISTRESS:
        return DscKind.CALL
    if first == TC1_DISTRESS_RELAY:
        return DscKind.RELAY_ACK if ack == "B" else DscKind.RELAY
    if first == TC1_DISTRESS_ACK:
        own = sender is not None and field8[:9] == sender
        return DscKind.CANCEL if own else DscKind.ACKNOWLEDGEMENT
    return DscKind.CALL


def _symbol(field: str, label: str, table: str | None) -> int | None:
    """A two-digit symbol field; with ``table``, the symbol must be in it."""
    try:
        code = symbol(field)
    except ValueError:
        raise DscError(f"{label} {quoted(field)} is not a two-digit ITU-R M.493 code") from None
    if code is not None and table is not None and code not in symbol_names(table):
        known = ", ".join(s[1:] for s in symbol_table(table))
        raise DscError(f"{label} {field} is not an ITU-R M.493 {table} ({known})")
    return code


def _mmsi(field: str, number: int, notes: list[str], *, required: bool) -> str | None:
    """Nine digits from a ten-digit MMSI field (the tenth is 0, IEC 61162-1 note 5)."""
    if not field:
        if required:
            raise DscError(f"field {number} (MMSI) is empty")
        return None
    if not field.isdigit() or len(field) not in (9, 10):
        if required:
            raise DscError(f"field {number} (MMSI) {quoted(field)} is not 10 digits")
        notes.append(f"field {number} {quoted(field)} is not an MMSI (10 digits)")
        return None
    if len(field) == 9:
        notes.append(f"field {number} has 9 digits: taken as the MMSI without its tenth 0")
    elif field[9] != "0":
        notes.append(f"field {number} ends in {field[9]}, not 0: the first nine digits are used")
    return field[:9]


def _fix(field: str, notes: list[str]) -> tuple[DscFix | None, str]:
    """The 10-digit position: quadrant, latitude ddmm, longitude dddmm (M.493)."""
    fix, note, bad = _read_fix(field)
    if bad:
        notes.append(note)
    return fix, note


@lru_cache(maxsize=4096)  # alerts repeat, and positions with them: read each once
def _read_fix(field: str) -> tuple[DscFix | None, str, bool]:
    if not field:
        return None, "no position field", False
    if field == _NO_POSITION:
        return None, "position not available (9999999999)", False
    digits = field.isdigit() and len(field) == 10
    q, lat_d, lat_m = (int(field[0]), int(field[1:3]), int(field[3:5])) if digits else (9, 0, 0)
    lon_d, lon_m = (int(field[5:8]), int(field[8:10])) if digits else (0, 0)
    if q > 3 or lat_m > 59 or lon_m > 59 or lat_d * 60 + lat_m > 5400 or lon_d * 60 + lon_m > 10800:
        note = f"position {quoted(field)} is not a DSC position (quadrant 0-3, ddmm, dddmm)"
        return None, note, True
    return DscFix(q, lat_d, float(lat_m), lon_d, float(lon_m)), "whole minutes (about 1 NM)", False


def _time(field: str, received: datetime | None, notes: list[str]) -> tuple[datetime | None, str]:
    """The position's UTC time: hhmm on the receive date (the day before if in the future)."""
    time, text, bad = _read_time(field, received)
    if bad:
        notes.append(f"time {quoted(field)} is not hhmm UTC")
    return time, text


@lru_cache(maxsize=4096)  # one file or datagram: one receive time for many sentences
def _read_time(field: str, received: datetime | None) -> tuple[datetime | None, str, bool]:
    if not field or field == _NO_TIME:
        return None, "" if not field else "time not available (8888)", False
    if not (field.isdigit() and len(field) == 4 and int(field[:2]) < 24 and int(field[2:]) < 60):
        return None, "", True
    text = f"{field} UTC"
    if received is None:
        return None, f"{text} (date unknown: no receive time)", False
    time = received.replace(hour=int(field[:2]), minute=int(field[2:]), second=0, microsecond=0)
    if time > received + _FUTURE_SKEW:
        time -= timedelta(days=1)
    return time, text, False


def parse_dse(
    fields: list[str], *, line: int, received: datetime | None, sentence: str
) -> DscExpansion:
    """A DSE sentence: total, number, flag, MMSI, then code/data pairs."""
    f = fields
    if len(f) < 4:
        raise DscError(f"DSE has {len(f)} fields; needs at least total, number, flag and MMSI")
    notes: list[str] = []
    mmsi = _mmsi(f[3], 4, notes, required=True)
    assert mmsi is not None
    flag = {"Q": "query", "R": "reply", "A": "automatic"}.get(f[2].upper(), f"flag {f[2]!r}")
    pairs = tuple(zip(f[4::2], f[5::2], strict=False))
    for code, data in pairs:
        if code == "00" and not (data.isdigit() and len(data) == 8):
            raise DscError(f"DSE code 00 data {quoted(data)} is not 8 digits (enhanced position)")
    return DscExpansion(
        mmsi, flag, pairs, None, None, received, line, sentence.strip(), tuple(notes)
    )


def position_fractions(data: tuple[tuple[str, str], ...]) -> tuple[float, float] | None:
    """Code 00 of a DSE: 4 digits each of latitude and longitude minutes, in 0.0001 minute."""
    for code, value in data:
        if code == "00":
            return int(value[:4]) / 10_000, int(value[4:]) / 10_000
    return None


def expansion_names(data: tuple[tuple[str, str], ...]) -> list[str]:
    """People's names of a DSE's code/data pairs (ITU-R M.821 expansion data specifiers)."""
    table = symbol_table("expansion")
    return [f"{table.get(code, f'code {code}')}: {value}" for code, value in data]
