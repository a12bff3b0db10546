"""SIT 185: the distress alert message an MCC sends to an RCC (C/S A.002, handbook C/S G.007).

``parse(text)`` turns the message, as pasted or received, into a typed ``Sit185Alert``: what
kind of alert, which beacon, when it was detected, every position with its source and time,
next pass times, registry data, remarks, and the raw text verbatim for the case log. It reads
the layouts MCCs actually use (see ``sit185_text``) and refuses with ``Sit185Error`` naming the
line when the text is not a SIT 185 or a field cannot be read. No database, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sarapp.alerts.sit185_fields import (
    find_time,
    is_nil,
    read_detection,
    read_position,
    segments,
)
from sarapp.alerts.sit185_registry import Registry, read_registry
from sarapp.alerts.sit185_text import HEADER, TRAILER, Paragraph, Sit185Error, split_paragraphs
from sarapp.mid import mid_entry

__all__ = ["AlertPosition", "MessageType", "NextPass", "Registry", "Sit185Alert", "Sit185Error"]

METRES_PER_NM = 1852.0  # the international nautical mile, exact by definition


class MessageType(StrEnum):
    """What the alert title (paragraph 1) says this message is."""

    INITIAL = "initial"
    UNRESOLVED = "unresolved"  # position conflict or unresolved Doppler match
    RESOLVED = "resolved"  # position confirmed
    CONFIRMED_UPDATE = "confirmed-update"  # position confirmed update
    UPDATE = "update"  # other position update
    DETECTION = "detection"
    NOCR = "nocr"  # notification of country of beacon registration
    CLOSE_OUT = "close-out"
    OTHER = "other"  # a title this parser does not know; read the raw text


_TITLE_TYPES = (  # first match wins, so the longer wordings come first
    (r"CLOSE[\s-]?OUT|CLOSURE|CANCELL?ATION", MessageType.CLOSE_OUT),
    (r"NOTIFICATION\s+OF\s+COUNTRY|\bNOCR\b", MessageType.NOCR),
    (r"CONFIRMED\s+UPDATE|RESOLVED\s+UPDATE", MessageType.CONFIRMED_UPDATE),
    (r"UNRESOLVED|CONFLICT", MessageType.UNRESOLVED),
    (r"CONFIRMED|RESOLVED", MessageType.RESOLVED),
    (r"UPDATE", MessageType.UPDATE),
    (r"INITIAL", MessageType.INITIAL),
    (r"DETECTION|TRACKING", MessageType.DETECTION),
)
_TITLE_RES = tuple((re.compile(p), t) for p, t in _TITLE_TYPES)
_TEST_RE = re.compile(
    r"\bTEST\s+(?:MESSAGE|ALERT|BEACON|PROTOCOL|TRANSMISSION|USER|LOCATION|ONLY)\b"
    r"|\bTHIS\s+IS\s+A\s+TEST\b|\bEXERCISE\b|\bSIT\s*185\s+TEST\b|^TEST\b"
)
_FTP_HEADER_RE = re.compile(r"^/(\d{5})\s+\d{5}/(\d{4})/")
_HEX_RE = re.compile(r"\bHEX\s*ID\s*[:\-]?\s*([0-9A-F]+)\b|\bBEACON\s+ID\s*[:\-]?\s*([0-9A-F]+)\b")
_HEX_MSG_RE = re.compile(r"(?:\b\d\d)?[- ]HEX\s+(?:MSG|MESSAGE)\s*[:\-]?\s*([0-9A-F]+)\b")
_HOMING_RE = re.compile(r"\bHOMING\s+SIGNAL\s*[:\-]?\s*(.*)$")
_PROB_RE = re.compile(r"\bPROB(?:ABILITY)?\s*[:\-]?\s*(\d{1,3})\s*(?:PERCENT|PCT|%)")
_ACCURACY_RE = re.compile(r"\bEXPECTED\s+ACCURACY\s*[:\-]?\s*(\d+(?:\.\d+)?)\s*(NMS?|KM|M\b)?")
_ALTITUDE_RE = re.compile(r"\bALTITUDE\s*[:\-]?\s*(-?\d+)\s*(?:METRES|METERS|M\b)?")
_UNCERTAINTY_RE = re.compile(r"UNCERTAINTY\s+PLUS[\s-]*MINUS\s+(\d+)\s+(MINUTES?|SECONDS?)")
_SINCE_RE = re.compile(r"TIME\s+SINCE\s+ENCODED\s+LOCATION\s+(\d+)\s+(SECOND|MINUTE|HOUR)S?")
_RELIABILITY_RE = re.compile(r"RELIABILITY\s+OF\s+DOPPLER\s+POSITION\s+DATA\s*[:\-]?\s*(\w+)")
_UPDATE_NOTE_RE = re.compile(r"(?:UPDATE\s+TIME|TIME\s+OF\s+UPDATE)\s+(.*)$")
_UNIT_M = {"NM": METRES_PER_NM, "NMS": METRES_PER_NM, "KM": 1000.0, "M": 1.0, None: METRES_PER_NM}


@dataclass(frozen=True)
class AlertPosition:
    """One position of the beacon: WGS84 degrees, its source and the time it refers to (UTC).

    ``source`` is ``doppler-A``, ``doppler-B``, ``doa``, ``encoded`` or ``resolved``;
    ``probability_pct`` the Doppler probability (0–100); ``accuracy_m`` the expected accuracy
    radius in metres; ``altitude_m`` the DOA altitude in metres; ``time_note`` the MCC's
    wording when the time is approximate (``WITHIN 4 HOURS OF DETECTION TIME``).
    """

    lat: float
    lon: float
    source: str
    time: datetime | None
    probability_pct: int | None = None
    accuracy_m: float | None = None
    altitude_m: float | None = None
    time_note: str = ""


@dataclass(frozen=True)
class NextPass:
    """Paragraph 10: when the next data is expected for one position type (time UTC or text)."""

    kind: str  # resolved, doppler-A, doppler-B, doa, encoded
    time: datetime | None
    text: str


@dataclass(frozen=True)
class Sit185Alert:
    """A parsed SIT 185. Text fields are upper case as the MCC sent them, "" when NIL."""

    raw: str  # the message exactly as received
    message_type: MessageType
    title: str
    category: str  # DISTRESS, SHIP SECURITY or DISTRESS TRACKING
    hex_id: str  # 15 hex (23 for a second-generation beacon ID)
    detected_at: datetime | None
    detected_by: str = ""
    message_number: str = ""
    mcc: str = ""
    reference: str = ""
    beacon_message_hex: str = ""
    frequency_mhz: float | None = None
    country_code: int | None = None
    country_name: str = ""
    user_class: str = ""
    emergency_code: str = ""
    resolved: AlertPosition | None = None
    doppler_a: AlertPosition | None = None
    doppler_b: AlertPosition | None = None
    doa: AlertPosition | None = None
    encoded: AlertPosition | None = None
    encoded_source: str = ""
    next_passes: tuple[NextPass, ...] = ()
    homing: str = ""
    activation: str = ""
    beacon_number: str = ""
    other_info: str = ""
    operational_info: str = ""
    doppler_reliability: str = ""
    remarks: str = ""
    registry: Registry = field(default_factory=Registry)
    test: bool = False

    @property
    def positions(self) -> tuple[AlertPosition, ...]:
        """The measured positions (Doppler A/B, DOA, encoded), without the resolved one."""
        found = (self.doppler_a, self.doppler_b, self.doa, self.encoded)
        return tuple(p for p in found if p is not None)


def parse(text: str) -> Sit185Alert:
    """Read a SIT 185 message; raise Sit185Error naming the line for anything unreadable."""
    paragraphs = split_paragraphs(text)
    hex_id, message_hex, homing = _read_hex(paragraphs.get(11))
    if not hex_id:
        raise Sit185Error(
            "not a SIT 185 message: no beacon HEX ID found (paragraph 11 `HEX ID` missing)"
        )
    title = _text(paragraphs.get(1))
    detected_at, detected_by = None, ""
    if 3 in paragraphs:
        joined, _ = paragraphs[3].joined()
        detected_at, detected_by = read_detection(joined, line=paragraphs[3].first_line)
    number, mcc, reference = _read_msg_no(paragraphs.get(2), paragraphs.get(HEADER))
    code, country = _read_country(paragraphs.get(5))
    other = _text(paragraphs.get(14))
    operational = _text(paragraphs.get(15))
    remarks = _text(paragraphs.get(16), sep="\n")
    found = _read_positions(paragraphs.get(8), detected_at=detected_at, other_info=other)
    reliability = _RELIABILITY_RE.search(operational)
    registry_lines = [
        line for n in (6, 14, 15, 16, TRAILER) if n in paragraphs for _, line in paragraphs[n].lines
    ]
    return Sit185Alert(
        raw=text,
        message_type=_message_type(title),
        title=title,
        category=_category(title),
        hex_id=hex_id,
        detected_at=detected_at,
        detected_by=detected_by,
        message_number=number,
        mcc=mcc,
        reference=reference,
        beacon_message_hex=message_hex,
        frequency_mhz=_read_frequency(paragraphs.get(4)),
        country_code=code,
        country_name=country,
        user_class=_text(paragraphs.get(6)),
        emergency_code=_text(paragraphs.get(7)),
        resolved=found.get("resolved"),
        doppler_a=found.get("doppler-A"),
        doppler_b=found.get("doppler-B"),
        doa=found.get("doa"),
        encoded=found.get("encoded"),
        encoded_source=_text(paragraphs.get(9)),
        next_passes=_read_next_passes(paragraphs.get(10)),
        homing=homing,
        activation=_text(paragraphs.get(12)),
        beacon_number=_text(paragraphs.get(13)),
        other_info=other,
        operational_info=operational,
        doppler_reliability=reliability.group(1) if reliability else "",
        remarks=remarks,
        registry=read_registry(registry_lines),
        test=_is_test(title, paragraphs),
    )


def _text(paragraph: Paragraph | None, *, sep: str = " ") -> str:
    if paragraph is None:
        return ""
    value = sep.join(line for _, line in paragraph.lines).strip(" -:")
    return "" if is_nil(value) else value


def _message_type(title: str) -> MessageType:
    for pattern, message_type in _TITLE_RES:
        if pattern.search(title):
            return message_type
    return MessageType.OTHER


def _category(title: str) -> str:
    if "SHIP SECURITY" in title:
        return "SHIP SECURITY"
    if "DISTRESS TRACKING" in title:
        return "DISTRESS TRACKING"
    return "DISTRESS"


def _is_test(title: str, paragraphs: dict[int, Paragraph]) -> bool:
    if "TEST" in title.split() or "EXERCISE" in title:
        return True
    for n in (HEADER, 6, 15, 16):
        lines = paragraphs[n].lines if n in paragraphs else ()
        if any(("TEST" in t or "EXERCISE" in t) and _TEST_RE.search(t) for _, t in lines):
            return True
    return False


def _read_hex(paragraph: Paragraph | None) -> tuple[str, str, str]:
    """Paragraph 11: (15/23-hex beacon ID, full hex message if given, homing signal text)."""
    if paragraph is None:
        return "", "", ""
    joined, starts = paragraph.joined()
    message = _HEX_MSG_RE.search(joined)
    hex_match = _HEX_RE.search(joined)
    hex_id = ""
    if hex_match is not None:
        hex_id = hex_match.group(1) or hex_match.group(2)
        if len(hex_id) not in (15, 23):
            line = paragraph.line_at(starts, hex_match.start())
            raise Sit185Error(
                f'line {line}: HEX ID "{hex_id}" has {len(hex_id)} characters, '
                "expected 15 (or 23 for a second-generation beacon)"
            )
    homing = _HOMING_RE.search(joined)
    homing_text = homing.group(1).strip() if homing else ""
    return hex_id, message.group(1) if message else "", "" if is_nil(homing_text) else homing_text


def _read_msg_no(paragraph: Paragraph | None, header: Paragraph | None) -> tuple[str, str, str]:
    """Paragraph 2 (or the FTP header): message number, originating MCC, reference."""
    number = mcc = reference = ""
    if paragraph is not None:
        joined, _ = paragraph.joined()
        words = joined.replace(":", " ").split()
        if words and words[0].isdigit():
            number = words.pop(0)
        if "REF" in words or "REFERENCE" in words:
            at = words.index("REF") if "REF" in words else words.index("REFERENCE")
            ref_words = [w for w in words[at + 1 :] if w not in ("NO", "NO.", "-")]
            reference = ref_words[0] if ref_words else ""
            words = words[:at]
        mcc = " ".join(words)
    if header is not None:
        for _, line in header.lines:
            ftp = _FTP_HEADER_RE.match(line)
            if ftp is not None:
                number = number or ftp.group(1)
                mcc = mcc or ftp.group(2)
    return number, mcc, reference


def _read_country(paragraph: Paragraph | None) -> tuple[int | None, str]:
    value = _text(paragraph)
    match = re.match(r"^(\d{3})\b\s*/?\s*(.*)$", value)
    if match is None:
        return None, value
    code = int(match.group(1))
    entry = mid_entry(code)
    return code, match.group(2).strip() or (entry.country if entry else "")


def _read_frequency(paragraph: Paragraph | None) -> float | None:
    match = re.search(r"\b(\d{3}\.\d+)", _text(paragraph))
    return float(match.group(1)) if match else None


def _read_positions(
    paragraph: Paragraph | None, *, detected_at: datetime | None, other_info: str
) -> dict[str, AlertPosition]:
    """Paragraph 8: every position by source, each with its extras and time."""
    if paragraph is None:
        return {}
    joined, starts = paragraph.joined()
    found: dict[str, AlertPosition] = {}
    for seg in segments(joined, lambda offset: paragraph.line_at(starts, offset)):
        read = read_position(seg.text, line=seg.line)
        if read is None or seg.kind in found:
            continue
        lat, lon, rest = read
        prob = _PROB_RE.search(rest)
        if prob is not None and int(prob.group(1)) > 100:
            raise Sit185Error(f"line {seg.line}: probability {prob.group(1)} percent is over 100")
        accuracy = _ACCURACY_RE.search(rest)
        altitude = _ALTITUDE_RE.search(rest)
        time, note = detected_at, ""
        if seg.kind == "encoded":
            time, note = _encoded_time(rest, other_info, detected_at=detected_at, line=seg.line)
        found[seg.kind] = AlertPosition(
            lat=lat,
            lon=lon,
            source=seg.kind,
            time=time,
            probability_pct=int(prob.group(1)) if prob else None,
            accuracy_m=(
                float(accuracy.group(1)) * _UNIT_M[accuracy.group(2)]
                if accuracy
                else _encoded_uncertainty(other_info)
                if seg.kind == "encoded"
                else None
            ),
            altitude_m=float(altitude.group(1)) if altitude else None,
            time_note=note,
        )
    return found


def _encoded_time(
    rest: str, other_info: str, *, detected_at: datetime | None, line: int
) -> tuple[datetime | None, str]:
    """The encoded position's time: explicit, or detection time minus the age, or approximate."""
    explicit = find_time(rest, line=line)
    if explicit is not None:
        return explicit, ""
    since = _SINCE_RE.search(other_info)
    if since is not None and detected_at is not None:
        unit = {"SECOND": 1, "MINUTE": 60, "HOUR": 3600}[since.group(2)]
        return detected_at - timedelta(seconds=int(since.group(1)) * unit), ""
    note = _UPDATE_NOTE_RE.search(rest)
    return detected_at, note.group(1).strip() if note else "UPDATE TIME NOT GIVEN"


def _encoded_uncertainty(other_info: str) -> float | None:
    """Paragraph 14's ``UNCERTAINTY PLUS-MINUS n MINUTES|SECONDS`` as metres of latitude."""
    match = _UNCERTAINTY_RE.search(other_info)
    if match is None:
        return None
    per_unit = METRES_PER_NM if match.group(2).startswith("MINUTE") else METRES_PER_NM / 60
    return int(match.group(1)) * per_unit


def _read_next_passes(paragraph: Paragraph | None) -> tuple[NextPass, ...]:
    if paragraph is None:
        return ()
    joined, starts = paragraph.joined()
    passes = []
    for seg in segments(joined, lambda offset: paragraph.line_at(starts, offset)):
        if not is_nil(seg.text):
            passes.append(NextPass(seg.kind, find_time(seg.text, line=seg.line), seg.text))
    return tuple(passes)
