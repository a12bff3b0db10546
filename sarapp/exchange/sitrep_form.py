"""The two written forms of a SITREP: plain text for sending, and the typographic one.

Telex and AFTN carry upper-case ASCII only: no degree sign, no minute mark, no superscript.
The plain form (the default for sending) writes positions as degrees and decimal minutes run
together, ``6141.5N 00420.3E`` (minutes to one decimal, as coordinators write them), and
spells out or drops every other character outside ASCII. The typographic form, for reading
on screen, keeps ``61°41.500'N 004°20.300'E``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sarapp.geo import format_compact_ddm, format_ddm

_SPELLED = {
    "±": "+/-",
    "°T": "T",
    "°": " DEG ",
    "²": "2",
    "³": "3",
    "→": " TO ",
    "–": "-",
    "—": "-",
    "…": "...",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "×": "X",
    "ß": "SS",
    "Æ": "AE",
    "æ": "AE",
    "Ø": "O",
    "ø": "O",
    "Œ": "OE",
    "œ": "OE",
    "Ð": "D",
    "ð": "D",
    "Þ": "TH",
    "þ": "TH",
    "Ł": "L",
    "ł": "L",
}


@dataclass(frozen=True)
class SitrepForm:
    """How a SITREP writes positions and which characters it may use."""

    plain: bool = True

    def position(self, lat: float, lon: float) -> str:
        return format_compact_ddm(lat, lon, 1) if self.plain else format_ddm(lat, lon)

    def finish(self, text: str) -> str:
        """The SITREP's text in this form (upper case; ASCII only when plain)."""
        return plain_ascii(text.upper()) if self.plain else text.upper()


PLAIN = SitrepForm(True)
TYPOGRAPHIC = SitrepForm(False)


def plain_ascii(text: str) -> str:
    """``text`` in printable ASCII: signs spelled out, accents dropped, the rest as ``?``."""
    for sign, spelled in _SPELLED.items():
        text = text.replace(sign, spelled)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = "".join(c if (c.isascii() and (c.isprintable() or c == "\n")) else "?" for c in kept)
    return "\n".join(re.sub(" {2,}", " ", line).rstrip() for line in out.split("\n"))


__all__ = ["PLAIN", "TYPOGRAPHIC", "SitrepForm", "plain_ascii"]
