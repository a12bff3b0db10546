"""Split a SIT 185 message into its numbered paragraphs, whatever the MCC's layout.

MCCs differ in how they print the 16 paragraphs of C/S A.002: ``1.`` / ``1`` / no numbers,
CR/LF or LF, extra blank lines, labels followed by colons or dashes, long values wrapped onto
following lines. Paragraphs are recognised by their labels (``MSG NO``, ``DETECTED AT``…), in
increasing order, so a label-like word inside a later paragraph (remarks) is not mistaken for
a new paragraph. Every line keeps its 1-based line number so errors can point at it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from sarapp.errors import SarappError


class Sit185Error(SarappError, ValueError):
    """Text that is not a SIT 185 message, or a field in it that cannot be read."""


HEADER = 0  # lines before the alert title: FTP/AFTN header, DATE:/FROM:/TO:
TRAILER = 17  # END OF MESSAGE, /LASSIT, /ENDMSG and whatever follows

_LABELS = {
    2: r"MSG\.?\s*(?:NO|NUMBER)\.?|MESSAGE\s+(?:NO|NUMBER)\.?",
    3: r"DETECTED\s+AT|DETECTION\s+TIME",
    4: r"DETECTION\s+FREQUENCY|FREQUENCY",
    5: r"COUNTRY\s+OF\s+(?:BEACON\s+)?REGISTRATION",
    6: r"USER\s+CLASS",
    7: r"EMERGENCY\s+CODE",
    8: r"POSITIONS?\b",
    9: r"ENCODED\s+POSITION\s+PROVIDED\s+BY|SOURCE\s+OF\s+ENCODED\s+POSITION",
    10: r"NEXT\s+PASS(?:\s*/\s*EXPECTED\s+DATA)?(?:\s+TIMES?)?|NEXT\s+TIMES?\s+OF\s+VISIBILITY",
    11: r"(?=HEX\s*ID)|(?=BEACON\s+ID)|(?=\d\d[- ]HEX)|(?=[- ]HEX)",
    12: r"ACTIVATION\s+TYPE",
    13: r"BEACON\s+NUMBER(?:\s+ON\s+AIRCRAFT\s+OR\s+VESSEL(?:\s+NO\.?)?)?",
    14: r"OTHER\s+ENCODED\s+INFORMATION",
    15: r"OPERATIONAL\s+INFORMATION",
    16: r"REMARKS",
    TRAILER: r"END\s+OF\s+MESSAGE|/LASSIT|/ENDMSG|NNNN\s*$",
}
_LABEL_RES = {n: re.compile(rf"(?:{pattern})\s*[:\-]*\s*") for n, pattern in _LABELS.items()}
# Which labels a line may open, by the first three characters of its first word; the label
# regexes are only tried for those (parsing speed).
_CANDIDATES = {
    "MSG": (2,), "MES": (2,), "DET": (3, 4), "FRE": (4,), "COU": (5,), "USE": (6,),
    "EME": (7,), "POS": (8,), "ENC": (9,), "SOU": (9,), "NEX": (10,), "HEX": (11,), "-HE": (11,),
    "BEA": (11, 13), "ACT": (12,), "OTH": (14,), "OPE": (15,), "REM": (16,),
    "END": (TRAILER,), "/LA": (TRAILER,), "/EN": (TRAILER,), "NNN": (TRAILER,),
}  # fmt: skip
_NUMBER_PREFIX_RE = re.compile(r"\d{1,2}[.)]?\s*")
_NUMBERED_RE = re.compile(r"^(\d{1,2})[.)]\s+")
_TITLE_NUMBER_RE = re.compile(r"^1[.)]?\s+")
_TITLE_RE = re.compile(r"COSPAS|SARSAT")
_ADDRESS_LINE_RE = re.compile(r"(?:FROM|TO|DATE|SUBJECT|SUBJ|CC|PRIORITY)\s*:")
_BLANKS_RE = re.compile(r"[^\S\n]{2,}|[^\S \n]")  # runs of blanks, or a tab-like blank
_DASHES = ("–", "—", "‐", "‑", "−")  # en and em dash, hyphens, minus sign: all become "-"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: ``number`` 1–16 (0 header, 17 trailer) and its (line number, text) pairs.

    The first line's label (``DETECTED AT``…) is removed; text is upper case with dashes unified.
    """

    number: int
    lines: tuple[tuple[int, str], ...]

    @property
    def first_line(self) -> int:
        return self.lines[0][0]

    def joined(self) -> tuple[str, tuple[int, ...]]:
        """All lines joined by single spaces (undoes wrapping), with each line's start offset."""
        starts: list[int] = []
        parts: list[str] = []
        offset = 0
        for _, text in self.lines:
            starts.append(offset)
            parts.append(text)
            offset += len(text) + 1
        return " ".join(parts), tuple(starts)

    def line_at(self, starts: tuple[int, ...], offset: int) -> int:
        """The message line number holding character ``offset`` of :meth:`joined` text."""
        return self.lines[max(bisect.bisect_right(starts, offset) - 1, 0)][0]


def normalise_lines(text: str) -> list[tuple[int, str]]:
    """Upper-cased, dash-unified, stripped lines with their 1-based numbers; blank lines dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # str.translate is slow on non-ASCII text; a few replaces are not
        for dash in _DASHES:
            text = text.replace(dash, "-")
    text = text.upper()
    text = _BLANKS_RE.sub(" ", text)
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            out.append((number, stripped))
    return out


def split_paragraphs(text: str) -> dict[int, Paragraph]:
    """Paragraphs of a SIT 185 keyed by number; raise Sit185Error for text that is not one."""
    lines = normalise_lines(text)
    if not lines:
        raise Sit185Error("empty text is not a SIT 185 message")
    collected: dict[int, list[tuple[int, str]]] = {}
    current = HEADER
    for number, line in lines:
        paragraph, content = _classify(line, current)
        if paragraph != current:
            current = paragraph
            collected.setdefault(current, [])
            if paragraph == TRAILER:
                content = line
            if not content:
                continue
        collected.setdefault(current, []).append((number, content))
    found = [n for n in collected if 1 <= n <= 16]
    if 1 not in collected and len(found) < 4:
        raise Sit185Error(
            f"line {lines[0][0]}: not a SIT 185 message: no COSPAS-SARSAT alert title and "
            f"too few numbered paragraphs (MSG NO, DETECTED AT, POSITIONS, HEX ID…)"
        )
    return {
        n: Paragraph(n, tuple(paragraph_lines))
        for n, paragraph_lines in collected.items()
        if paragraph_lines or n == 8
    }


def _classify(line: str, current: int) -> tuple[int, str]:
    """Which paragraph ``line`` opens (or ``current`` if it continues one) and its content."""
    if current == TRAILER:
        return TRAILER, line
    start = 0
    if "0" <= line[0] <= "9":
        start = _NUMBER_PREFIX_RE.match(line).end()  # type: ignore[union-attr]
    key = line[start : start + 3]
    candidates = (11,) if key[:2].isdigit() else _CANDIDATES.get(key, ())
    for paragraph in candidates:
        if paragraph > current and (current >= 1 or paragraph >= 2):
            match = _LABEL_RES[paragraph].match(line, start)
            if match is not None:
                return paragraph, line[match.end() :]
    if current == HEADER and _TITLE_RE.search(line) and not _ADDRESS_LINE_RE.match(line):
        return 1, _TITLE_NUMBER_RE.sub("", line, count=1)
    numbered = _NUMBERED_RE.match(line) if start else None
    if numbered is not None and current >= 1:
        paragraph = int(numbered.group(1))
        if current < paragraph <= min(current + 2, 16):
            return paragraph, line[numbered.end() :]
    return current, line
