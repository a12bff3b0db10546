"""Reading a received SITREP, from any desk, into structured fields — best effort.

Paragraphs are recognised by their titles first (``POSITION:``, ``WEATHER ON SCENE``…), then by
their letters, then by their content (a paragraph holding a position is the position). Both
letterings are accepted: IMO's A–H, J–N (no I) and the one some published copies use, with the
full form's later paragraphs lettered I–M; which one a message uses is decided from the
paragraphs whose title and letter both speak. Whatever cannot be read is listed in
``unread`` with its line number rather than guessed. Both written forms are read: plain text
(``6141.5N 00420.3E``) and typographic (``61°41.500'N``), and a real message's frame: ``FM``
or ``FROM``, ``TO``, ``BT``, ``ZCZC``, ``NNNN`` lines, and a ``CASE REF`` line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sarapp.exchange.sitrep_words import (
    ALT_LETTERS,
    IAMSAR_LETTERS,
    NUMBER_WORDS,
    find_position,
    match_title,
)
from sarapp.geo import GeoError, parse_dtg

_LETTER_LINE = re.compile(r"^\s*\(?([A-N])\s*(?:[.)]|[:/-](?=\s|$))\s*(.*)$")  # not "C/S FABC"
_BARE_LETTER_LINE = re.compile(r"^\s*([A-N])\s+(\S.*)$")
_PRIORITY = re.compile(r"\b(DISTRESS|URGENCY|SAFETY|ROUTINE)\b", re.IGNORECASE)
_DTG = re.compile(r"\b\d{6}\s*(?:Z|UTC)\b(?:\s*[A-Z]{3}\s*(?:\d{4}|\d{2})?)?", re.IGNORECASE)
_FROM = re.compile(r"^\s*(?:FROM|FM)\b\s*[:\-]?\s*(.*?)\s*$", re.IGNORECASE)
_REFERENCE = re.compile(r"^\s*(?:CASE\s+|OUR\s+)?REF\b\.?\s*[:\-]?\s*(.*?)\s*$", re.IGNORECASE)
# Telex / AFTN procedure lines around the text: start (ZCZC), break (BT), end (NNNN).
_PROCEDURE = re.compile(r"^\s*(?:BT|NNNN|ZCZC\b.*|=+)\s*$", re.IGNORECASE)
_TO = re.compile(r"^\s*TO\b\s*[:\-]?\s*(.*?)\s*$", re.IGNORECASE)
_NUMBER = re.compile(
    r"\bSITREP\b\s*(?:NO\.?|NR\.?|NUMBER|#)?\s*[:\-]?\s*\(?\s*(\d+|[A-Z]+)\s*\)?", re.IGNORECASE
)
_FINAL = re.compile(r"\bFINAL\b", re.IGNORECASE)
_INTEGER = re.compile(r"\b(\d{1,5})\b")
_UNKNOWN = ("UNKNOWN", "NOT KNOWN", "NOT REPORTED")  # a paragraph that says so was read


@dataclass(frozen=True)
class SitrepHeader:
    priority: str | None
    dtg: datetime | None
    sender: str | None
    to: tuple[str, ...]
    sitrep_number: int | None
    final: bool
    reference: str | None = None  # the sender's case reference ("CASE REF 2026-0003 (…)")


@dataclass(frozen=True)
class SitrepParagraph:
    """One paragraph: its meaning, letter and title as written, its text, and read values."""

    key: str
    letter: str | None
    title: str
    text: str
    values: dict[str, Any] = field(default_factory=dict)  # position: lat/lon; persons: count


@dataclass(frozen=True)
class ParsedSitrep:
    header: SitrepHeader
    paragraphs: dict[str, SitrepParagraph]
    unread: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The structure ``sarapp sitrep parse --json`` prints (keys as issue 6 names them)."""
        h = self.header
        return {
            "header": {
                "priority": h.priority,
                "dtg": h.dtg.strftime("%Y-%m-%dT%H:%M:%SZ") if h.dtg else None,
                "from": h.sender,
                "to": list(h.to),
                "sitrep_number": h.sitrep_number,
                "final": h.final,
                "reference": h.reference,
            },
            "paragraphs": {
                key: {"letter": p.letter, "title": p.title, "text": p.text, **p.values}
                for key, p in self.paragraphs.items()
            },
            "unread": list(self.unread),
        }


@dataclass
class _Raw:
    line: int
    letter: str | None
    title_key: str | None
    title: str
    lines: list[str]


def parse_sitrep(text: str, *, reference: datetime | None = None) -> ParsedSitrep:
    """Read a SITREP; ``reference`` (UTC) completes a DTG without month or year."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_lines: list[tuple[int, str]] = []
    raws: list[_Raw] = []
    for number, line in enumerate(lines, start=1):
        if _PROCEDURE.match(line):
            continue  # BT, ZCZC, NNNN: the message's frame, not its text
        start = _paragraph_start(number, line)
        if start is not None:
            raws.append(start)
        elif raws:
            if line.strip():
                raws[-1].lines.append(line.strip())
        elif line.strip():
            header_lines.append((number, line))
    unread: list[str] = []
    header = _header(header_lines, reference, unread)
    return ParsedSitrep(header, _paragraphs(raws, unread), tuple(unread))


def _paragraph_start(number: int, line: str) -> _Raw | None:
    match = _LETTER_LINE.match(line)
    if match:
        letter, body = match.group(1).upper(), match.group(2)
    else:
        bare = _BARE_LETTER_LINE.match(line)
        if bare and match_title(bare.group(2), loose=False):
            letter, body = bare.group(1).upper(), bare.group(2)
        else:
            letter, body = None, line
    titled = match_title(body, loose=letter is not None)
    if titled is None and letter is None:
        return None
    if titled is None:
        return _Raw(number, letter, None, "", [body.strip()] if body.strip() else [])
    key, title, rest = titled
    return _Raw(number, letter, key, title, [rest] if rest else [])


def _paragraphs(raws: list[_Raw], unread: list[str]) -> dict[str, SitrepParagraph]:
    letters = _lettering(raws)
    found: dict[str, SitrepParagraph] = {}
    for raw in raws:
        text = " ".join(raw.lines).strip()
        key = raw.title_key or (letters.get(raw.letter) if raw.letter else None)
        if key is None and find_position(text) is not None:
            key = "position"
        if key is None:
            unread.append(f"line {raw.line}: paragraph {raw.letter or ''} not recognised: {text}")
            continue
        if key in found:
            unread.append(f"line {raw.line}: a second {key} paragraph, added to the first")
            old = found[key]
            text = f"{old.text} {text}".strip()
            raw = _Raw(raw.line, old.letter, key, old.title, [text])
        found[key] = SitrepParagraph(key, raw.letter, raw.title, text, _values(key, text, raw))
    for key, paragraph in found.items():
        said_unknown = paragraph.text.upper().strip(" .") in _UNKNOWN
        if key in ("position", "persons") and not paragraph.values and not said_unknown:
            unread.append(f"{key}: nothing could be read in {paragraph.text!r}")
    return found


def _lettering(raws: list[_Raw]) -> dict[str, str]:
    """IMO lettering (no I) unless the titled paragraphs or a letter I say otherwise."""
    imo = sum(
        1 for r in raws if r.letter and r.title_key and IAMSAR_LETTERS.get(r.letter) == r.title_key
    )
    alt = sum(
        1 for r in raws if r.letter and r.title_key and ALT_LETTERS.get(r.letter) == r.title_key
    )
    if alt > imo or (alt == imo and any(r.letter == "I" for r in raws)):
        return ALT_LETTERS
    return IAMSAR_LETTERS


def _values(key: str, text: str, raw: _Raw) -> dict[str, Any]:
    if key == "position":
        position = find_position(text)
        return {"lat": position[0], "lon": position[1]} if position else {}
    if key == "persons":
        count = _count(text)
        return {"count": count} if count is not None else {}
    return {}


def _count(text: str) -> int | None:
    match = _INTEGER.search(text)
    if match:
        return int(match.group(1))
    for word in re.findall(r"[A-Z]+", text.upper()):
        if word in NUMBER_WORDS:
            return NUMBER_WORDS[word]
        if word in ("NIL", "NONE"):
            return 0
    return None


def _header(
    lines: list[tuple[int, str]], reference: datetime | None, unread: list[str]
) -> SitrepHeader:
    priority = sender = number = dtg = case_reference = None
    to: list[str] = []
    final = False
    for line_no, line in lines:
        if (m := _FROM.match(line)) and m.group(1):
            sender = m.group(1)
            continue
        if (m := _TO.match(line)) and m.group(1):
            to += [name.strip() for name in re.split(r"[,;]", m.group(1)) if name.strip()]
            continue
        if case_reference is None and (m := _REFERENCE.match(line)) and m.group(1):
            case_reference = m.group(1)
            continue
        if priority is None and (m := _PRIORITY.search(line)):
            priority = m.group(1).upper()
        if dtg is None and (m := _DTG.search(line)):
            try:
                dtg = parse_dtg(m.group(0), reference=reference)
            except GeoError as exc:
                unread.append(f"line {line_no}: {exc}")
        if number is None and (m := _NUMBER.search(line)):
            word = m.group(1).upper()
            number = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        final = final or bool(_FINAL.search(line))
    for name, value in (("priority", priority), ("DTG", dtg), ("FROM", sender)):
        if value is None:
            unread.append(f"header: no {name} found")
    if not to:
        unread.append("header: no TO found")
    if number is None:
        unread.append("header: no SITREP number found")
    return SitrepHeader(priority, dtg, sender, tuple(to), number, final, case_reference)
