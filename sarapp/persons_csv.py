"""Persons of a mass rescue from a CSV file (``docs/persons.md`` names the columns).

The file is read whole and every row checked by the field declarations before anything is
stored: a bad row is named with its line and the reason, and nothing of the file is imported.
UTF-8 (a byte-order mark is allowed), a header row, comma- or semicolon-separated (a
spreadsheet's choice of separator follows the locale).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from sarapp.errors import SarappError
from sarapp.personfields import PERSON_FIELDS, PersonError, parse_person_field

COLUMNS = tuple(PERSON_FIELDS)  # name, age, sex, nationality, medical, note, status, …
ALIASES = {"descriptor": "name", "description": "name", "taken to": "taken_to"}
MAX_BYTES = 8 * 1024 * 1024
MAX_ROWS = 10000


class PersonsCsvError(SarappError, ValueError):
    """A persons file that cannot be imported; the message names the line and the value."""


def read_persons_csv(content: bytes, *, name: str = "the file") -> list[dict[str, Any]]:
    """The persons of ``content`` as field → text (every value checked), in file order."""
    if len(content) > MAX_BYTES:
        raise PersonsCsvError(f"{name}: {len(content):,} bytes is more than a persons file holds")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PersonsCsvError(
            f"{name}: not UTF-8 text (byte {exc.start}); save it as CSV UTF-8"
        ) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise PersonsCsvError(f"{name}: line 1 must name the columns ({', '.join(COLUMNS)})")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [_column(c, name) for c in next(reader)]
        if len(set(header)) != len(header):
            raise PersonsCsvError(f"{name}: line 1 names a column twice")
        return _rows(reader, header, name)
    except csv.Error as exc:
        raise PersonsCsvError(f"{name}: line {reader.line_num}: {exc}") from None


def _column(text: str, name: str) -> str:
    key = text.strip().lower()
    key = ALIASES.get(key, key.replace(" ", "_"))
    if key not in PERSON_FIELDS:
        raise PersonsCsvError(
            f"{name}: line 1: unknown column {text.strip()!r} (columns: {', '.join(COLUMNS)})"
        )
    return key


def _rows(reader: Any, header: list[str], name: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    start = reader.line_num + 1
    for values in reader:
        line, start = start, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue  # a blank line
        if len(values) != len(header):
            raise PersonsCsvError(
                f"{name}: line {line}: {len(values)} values, but line 1 names {len(header)} columns"
            )
        if len(found) >= MAX_ROWS:
            raise PersonsCsvError(f"{name}: more than {MAX_ROWS} persons in one file")
        row = dict(zip(header, (v.strip() for v in values), strict=True))
        for field, value in row.items():
            try:
                parse_person_field(field, value)
            except PersonError as exc:
                raise PersonsCsvError(f"{name}: line {line}: {exc}") from None
        found.append(row)
    if not found:
        raise PersonsCsvError(f"{name}: no persons below the header line")
    return found


__all__ = ["COLUMNS", "MAX_ROWS", "PersonsCsvError", "read_persons_csv"]
