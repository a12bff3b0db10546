"""Characters that hide or forge what a coordinator reads: refused in names, shown elsewhere.

A name (a case title, vessel name, call sign, operator, unit, position source…) is one line
that people compare by eye and the desk matches by value. Control characters (a newline, an
escape sequence) or invisible format characters (a right-to-left override U+202E, zero-width
spaces, a byte-order mark) in it can make one name look like another, reorder the rest of a
line, or forge a line of output, so names refuse them; the zero-width joiner and non-joiner
(U+200D, U+200C) are kept, as Persian and Indic spellings need them.

Free text (log entries, a SIT 185 kept verbatim, a SITREP) is evidence and is stored as
received; wherever it is shown, ``visible`` turns those characters into ``<U+202E>`` marks.
"""

from __future__ import annotations

import re
import unicodedata
from xml.etree import ElementTree

_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_JOINERS = {"\u200c", "\u200d"}
_SUSPECT = re.compile(r"[^\x20-\x7e]")  # anything but plain printable ASCII gets a look
# Terminal control sequences, removed whole so no parameter bytes are left behind: CSI
# (ESC [ … final byte), OSC/DCS/PM/APC/SOS strings (ESC ] … BEL or ESC \\), any other ESC x.
# Lone C1 controls (U+0080–U+009F) are not removed but shown, like every other control.
_TERMINAL = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?"
)
# XML 1.0 allows tab, newline, carriage return and everything from U+0020 but surrogates and
# U+FFFE/U+FFFF; C1 controls are allowed but discouraged, and no reader wants them.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def is_hidden(char: str) -> bool:
    """A control, invisible format or line/paragraph separator character (joiners excepted)."""
    return char not in _JOINERS and unicodedata.category(char) in _HIDDEN_CATEGORIES


def hidden_in(text: str) -> str | None:
    """The first hidden character of ``text``, or None."""
    for match in _SUSPECT.finditer(text):
        if is_hidden(match.group()):
            return match.group()
    return None


def check_name(text: str) -> str:
    """``text`` if it holds no hidden character; ValueError naming the first one otherwise."""
    char = hidden_in(text)
    if char is not None:
        raise ValueError(
            f"contains {describe(char)}, which a name cannot hold (it hides or reorders "
            "what is shown); retype it"
        )
    return text


def describe(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = unicodedata.name(char, "") or {"\n": "LINE FEED", "\t": "TAB", "\r": "RETURN"}.get(
        char, "control character"
    )
    return f"U+{ord(char):04X} ({name})"


def plain_line(text: str) -> str:
    """``text`` with every hidden character replaced by a space: a name built from outside
    data (a SIT 185 registry field) that must not fail the whole import."""
    return " ".join(
        _SUSPECT.sub(lambda m: " " if is_hidden(m.group()) else m.group(), text).split()
    )


def visible(text: str, *, multiline: bool = True) -> str:
    """``text`` with terminal control sequences removed and every other hidden character
    shown as ``<U+202E>``; newlines (and tabs) are kept when ``multiline``."""
    keep = "\n\t" if multiline else ""
    text = _TERMINAL.sub("", text)

    def mark(match: re.Match[str]) -> str:
        char = match.group()
        return f"<U+{ord(char):04X}>" if char not in keep and is_hidden(char) else char

    return _SUSPECT.sub(mark, text)


def json_escaped(text: str) -> str:
    """JSON text with hidden characters written as ``\\uXXXX`` escapes: the same value for a
    program, nothing hidden for a person reading it in a terminal."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char == "\n" or not is_hidden(char):  # a raw newline is JSON layout, not content
            return char
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"

    return _SUSPECT.sub(escape, text)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (and C1 controls): a KML or GPX file
    that every reader can parse."""
    return _NOT_XML.sub("", text)


def clean_xml_tree(root: ElementTree.Element) -> ElementTree.Element:
    """Drop the characters XML forbids from every text, tail and attribute under ``root``
    (ElementTree writes them as they are, making a file no reader accepts)."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        if element.tail:
            element.tail = xml_text(element.tail)
        for key, value in element.attrib.items():
            element.attrib[key] = xml_text(value)
    return root


__all__ = [
    "check_name",
    "clean_xml_tree",
    "describe",
    "hidden_in",
    "is_hidden",
    "json_escaped",
    "plain_line",
    "visible",
    "xml_text",
]
