"""The vocabulary of SITREP paragraphs: letters, titles as published copies write them, number
words, and finding a position inside free text."""

from __future__ import annotations

import re

from sarapp.geo import GeoError, parse_position

KEYS = (
    "identity",
    "position",
    "situation",
    "persons",
    "assistance",
    "coordinating_rcc",
    "description",
    "weather",
    "initial_actions",
    "search_area",
    "coordinating_instructions",
    "future_plans",
    "additional_info",
)
IAMSAR_LETTERS = dict(zip("ABCDEFGHJKLMN", KEYS, strict=True))  # IMO: the letter I is skipped
ALT_LETTERS = dict(zip("ABCDEFGHIJKLM", KEYS, strict=True))  # copies lettering G, H, I–M

_TITLES = {
    "identity": ("IDENTITY OF CASUALTY", "CASUALTY IDENTITY", "NAME OF CASUALTY", "IDENTITY",
                 "IDENTIFICATION", "CASUALTY"),
    "position": ("POSITION OF CASUALTY", "POSITION", "LOCATION"),
    "situation": ("SITUATION", "NATURE OF DISTRESS", "NATURE OF EMERGENCY"),
    "persons": ("NUMBER OF PERSONS AT RISK", "NUMBER OF PERSONS", "PERSONS AT RISK",
                "PERSONS ON BOARD", "SOULS ON BOARD", "POB", "PERSONS"),
    "assistance": ("ASSISTANCE REQUIRED", "ASSISTANCE REQUESTED", "ASSISTANCE"),
    "coordinating_rcc": ("COORDINATING RCC", "COORDINATING CENTRE", "COORDINATING CENTER",
                         "RCC"),
    "description": ("DESCRIPTION OF CASUALTY", "DESCRIPTION"),
    "weather": ("WEATHER ON SCENE", "ON SCENE WEATHER", "WEATHER"),
    "initial_actions": ("INITIAL ACTIONS TAKEN", "INITIAL ACTIONS", "ACTIONS TAKEN"),
    "search_area": ("SEARCH AREA", "AREA SEARCHED"),
    "coordinating_instructions": ("COORDINATING INSTRUCTIONS", "INSTRUCTIONS"),
    "future_plans": ("FUTURE PLANS", "PLANS"),
    "additional_info": ("ADDITIONAL INFORMATION", "ADDITIONAL INFO", "CONCLUSION", "REMARKS"),
}  # fmt: skip

_NUMBER_NAMES = (
    "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN",
    "ELEVEN", "TWELVE", "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN",
    "NINETEEN", "TWENTY",
)  # fmt: skip
NUMBER_WORDS = {word: value for value, word in enumerate(_NUMBER_NAMES)}


def _phrase_pattern(phrase: str) -> str:
    words = [
        r"CO[\s\-]?ORDINATING" if word == "COORDINATING" else re.escape(word)
        for word in phrase.split()
    ]
    return r"[\s\-]+".join(words)


# (compiled title, key, word count), longest phrases first so "COORDINATING RCC" beats "RCC".
_PATTERNS = sorted(
    (
        (re.compile(r"^\s*(" + _phrase_pattern(p) + r")", re.IGNORECASE), key, len(p.split()))
        for key, phrases in _TITLES.items()
        for p in phrases
    ),
    key=lambda item: -len(item[0].pattern),
)
_AFTER_TITLE = re.compile(r"^\s*(?:[:\-.]\s*|$)")


def match_title(body: str, *, loose: bool) -> tuple[str, str, str] | None:
    """(key, title as written, the rest) if ``body`` opens with a paragraph title.

    A title counts when a ``:``, ``-``, ``.`` or the line's end follows it; with ``loose`` (a
    paragraph letter was seen) a title of several words may also be followed by a space.
    """
    for pattern, key, words in _PATTERNS:
        match = pattern.match(body)
        if not match:
            continue
        rest = body[match.end() :]
        after = _AFTER_TITLE.match(rest)
        if after:
            return key, match.group(1), rest[after.end() :].strip()
        if loose and words > 1 and rest[:1].isspace():
            return key, match.group(1), rest.strip()
        if rest[:1].isalnum():
            continue  # "POSITIONS…" is not the title "POSITION"
    return None


_MARKED = re.compile(r"[NSEW°]", re.IGNORECASE)


def find_position(text: str) -> tuple[float, float] | None:
    """The first position written in ``text`` (DDM, DMS, DD, compact), or None."""
    words = re.sub(r"[,;()]", " ", text).split()
    for start in range(len(words)):
        for size in range(min(6, len(words) - start), 0, -1):  # longest first: "N38 42.1 W9 20"
            window = " ".join(words[start : start + size])
            if not _MARKED.search(window):
                continue  # two bare numbers ("4 6") are not a position
            try:
                return parse_position(window)
            except GeoError:
                continue
    return None
