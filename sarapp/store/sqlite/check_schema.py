"""``db check`` of the schema and the search index: what the SQL shell can change silently.

The schema (tables, indexes, triggers) is compared with the golden schema of the desk's
version, shipped in ``resources/store/schema_vN.sql``: dropping an append-only trigger, or
altering a table or a check, shows. The full-text index is compared with the log itself
(FTS5 ``integrity-check`` with ``rank = 1`` reads the log's text back), so an entry whose text
was edited, or an index rebuilt to hide one, shows too.
"""

from __future__ import annotations

import re
import sqlite3

from sarapp.resources import resource_path
from sarapp.store.sqlite.schema import schema_dump

_OBJECT = re.compile(r"^-- (\w+) (\S+)$", re.MULTILINE)


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """One line per table, index or trigger missing, added or changed against the golden
    schema of the desk's version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    try:
        golden = resource_path(f"store/schema_v{version}.sql").read_text(encoding="utf-8")
    except FileNotFoundError:
        return [f"schema version {version} has no golden schema in this sarapp to compare with"]
    have, want = _objects(schema_dump(conn)), _objects(golden)
    problems = []
    for key in sorted(want.keys() - have.keys()):
        problems.append(f"schema: {key[0]} {key[1]} is missing (dropped outside sarapp)")
    for key in sorted(have.keys() - want.keys()):
        problems.append(f"schema: {key[0]} {key[1]} is not part of schema version {version}")
    for key in sorted(want.keys() & have.keys()):
        if want[key] != have[key]:
            problems.append(f"schema: {key[0]} {key[1]} differs from schema version {version}")
    return problems


def search_index_problems(conn: sqlite3.Connection) -> list[str]:
    """The full-text index against the log's own text (rank = 1: content included)."""
    try:
        conn.execute("INSERT INTO log_search (log_search, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        return [f"full-text index does not match the log: {exc}"]
    return []


def _objects(dump: str) -> dict[tuple[str, str], str]:
    """``(type, name) → SQL`` of a ``schema_dump`` text."""
    marks = list(_OBJECT.finditer(dump))
    out = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(dump)
        out[(mark.group(1), mark.group(2))] = dump[mark.end() : end].strip()
    return out


__all__ = ["schema_problems", "search_index_problems"]
