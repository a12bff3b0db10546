"""Readers for the values inside SIT 185 paragraphs: positions, UTC times, sub-labelled lists.

SIT 185 positions are written ``dd mm.m N ddd mm.m E`` (encoded positions ``mm.mm``), but MCCs
and hand-retyped messages also use seconds (``43 12 18N``), decimal degrees (``43.205N``),
degree signs or a dash between latitude and longitude. These readers are specific to SIT 185
text; general position parsing lives in ``sarapp.geo``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sarapp.alerts.sit185_text import Sit185Error
from sarapp.times import check_not_before_1970

_NIL_RE = re.compile(r"^(?:NIL|UNKNOWN|NONE|N/?A|NOT\s+AVAILABLE)\b|^$")
_NUM = r"\d{1,3}(?:\.\d+)?"
_COMPONENTS = rf"(?P<@d>{_NUM})(?:\s+(?P<@m>{_NUM})(?:\s+(?P<@s>{_NUM}))?)?"
_LAT = _COMPONENTS.replace("@", "la") + r"\s*(?P<lah>[NS])\b"
_LON = _COMPONENTS.replace("@", "lo") + r"\s*(?P<loh>[EW])\b"
_LAT_RE = re.compile(_LAT)
_POSITION_RE = re.compile(_LAT + r"[\s,/-]*" + _LON)
_SYMBOLS = str.maketrans({"°": " ", "'": " ", '"': " ", "′": " ", "″": " ", "º": " "})
_STOP_WORDS = frozenset({"PROB", "PROBABILITY", "EXPECTED", "ALTITUDE", "UPDATE", "TIME"})

_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_TIME_RE = re.compile(
    r"\b(?P<day>\d{1,2})\s*(?P<mon>[A-Z]{3})\s*(?P<year>\d{4}|\d{2})\s+"
    r"(?P<hh>\d{2}):?(?P<mm>\d{2})(?::?(?P<ss>\d{2}))?(?:\s*(?:UTC|Z)\b)?"
)

SUB_LABEL_RE = re.compile(
    r"\b(?=[CRDE])(?P<label>CONFIRMED|RESOLVED|DOPPLER[\s-]*A|DOPPLER[\s-]*B|DOA(?:\s*/\s*ALTITUDE)?"
    r"|ENCODED)\b(?:\s+POSITION\b)?\s*[-:]*\s*"
)
_SUB_KINDS = {"C": "resolved", "R": "resolved", "E": "encoded"}


@dataclass(frozen=True)
class Segment:
    """The text following one sub-label (``DOPPLER A - …``) up to the next one."""

    kind: str  # resolved, doppler-A, doppler-B, doa, encoded
    text: str
    line: int  # message line where the sub-label stands


def is_nil(text: str) -> bool:
    """True for the ways MCCs write "no value": NIL, UNKNOWN, NONE, N/A, empty."""
    return _NIL_RE.match(text.strip()) is not None


def segments(joined: str, line_of: object) -> list[Segment]:
    """Cut a paragraph's joined text at its sub-labels (CONFIRMED, DOPPLER A…, ENCODED)."""
    matches = list(SUB_LABEL_RE.finditer(joined))
    out = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(joined)
        out.append(
            Segment(
                kind=_kind(match.group("label")),
                text=joined[match.end() : end].strip(" -:"),
                line=line_of(match.start()),  # type: ignore[operator]
            )
        )
    return out


def _kind(label: str) -> str:
    if label.startswith("DOPPLER"):
        return "doppler-" + label[-1]
    if label.startswith("DOA"):
        return "doa"
    return _SUB_KINDS[label[0]]


def read_position(text: str, *, line: int) -> tuple[float, float, str] | None:
    """Latitude and longitude (WGS84 degrees, north and east positive) at the start of ``text``.

    Returns None for NIL/UNKNOWN, else (lat, lon, rest of text). Raises Sit185Error naming the
    line and the part that is not a latitude or longitude.
    """
    text = text.translate(_SYMBOLS).strip()
    if is_nil(text):
        return None
    text = " ".join(text.split())
    match = _POSITION_RE.match(text)
    if match is None:
        lat_match = _LAT_RE.match(text)
        if lat_match is None:
            raise Sit185Error(f'line {line}: position "{_head(text)}" is not a latitude')
        rest = text[lat_match.end() :].lstrip(" ,/-")
        raise Sit185Error(f'line {line}: position "{_head(rest)}" is not a longitude')
    lat = _degrees(match, "la", limit=90, line=line, axis="latitude")
    lon = _degrees(match, "lo", limit=180, line=line, axis="longitude")
    return lat, lon, text[match.end() :].strip(" -,")


def _head(text: str) -> str:
    """The first one to three words of ``text``, up to the first word holding a letter."""
    words: list[str] = []
    for word in text.split()[:3]:
        if word in _STOP_WORDS:
            break
        words.append(word)
        if any(c.isalpha() for c in word):
            break
    return " ".join(words) or text[:20]


def _degrees(match: re.Match[str], p: str, *, limit: int, line: int, axis: str) -> float:
    deg_t, min_t, sec_t = match.group(p + "d"), match.group(p + "m"), match.group(p + "s")
    shown = " ".join(t for t in (deg_t, min_t, sec_t) if t) + match.group(p + "h")
    parts = [t for t in (deg_t, min_t, sec_t) if t]
    if any("." in t for t in parts[:-1]):
        raise Sit185Error(f'line {line}: {axis} "{shown}" has decimals before its last part')
    deg = float(deg_t)
    minutes = float(min_t) if min_t else 0.0
    seconds = float(sec_t) if sec_t else 0.0
    if minutes >= 60 or seconds >= 60:
        raise Sit185Error(f'line {line}: {axis} "{shown}" has minutes or seconds of 60 or more')
    value = deg + minutes / 60 + seconds / 3600
    if value > limit:
        raise Sit185Error(f'line {line}: {axis} "{shown}" is beyond {limit} degrees')
    return -value if match.group(p + "h") in "SW" else value


def find_time(text: str, *, line: int) -> datetime | None:
    """The first ``dd MON yy hhmm[ss] [UTC]`` time in ``text`` as aware UTC, or None if absent.

    Two-digit years are 2000–2079 or 1980–1999. Raises Sit185Error for an impossible date.
    """
    match = _TIME_RE.search(text)
    if match is None or match.group("mon") not in _MONTHS:
        return None
    return _to_datetime(match, line=line)


def _to_datetime(match: re.Match[str], *, line: int) -> datetime:
    year = int(match.group("year"))
    if year < 100:
        year += 1900 if year >= 80 else 2000
    try:
        return check_not_before_1970(
            datetime(
                year,
                _MONTHS[match.group("mon")],
                int(match.group("day")),
                int(match.group("hh")),
                int(match.group("mm")),
                int(match.group("ss") or 0),
                tzinfo=UTC,
            )
        )
    except ValueError as exc:
        raise Sit185Error(
            f'line {line}: time "{match.group(0).strip()}" is impossible: {exc}'
        ) from exc


def read_detection(text: str, *, line: int) -> tuple[datetime, str]:
    """Paragraph 3: the detection time (aware UTC) and what detected it (``SARSAT S11``…)."""
    match = _TIME_RE.search(text)
    if match is None or match.start() > 3:
        raise Sit185Error(
            f'line {line}: detection time "{text[:30]}" not understood '
            f"(expected e.g. 05 MAR 26 1412 UTC)"
        )
    if match.group("mon") not in _MONTHS:
        raise Sit185Error(f'line {line}: detection time has no month "{match.group("mon")}"')
    when = _to_datetime(match, line=line)
    by = re.search(r"\bBY\s+(.+)$", text[match.end() :])
    return when, by.group(1).strip() if by else ""
