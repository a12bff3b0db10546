"""The case log (``desk.log``): reading a case's entries in chain or time order, the note an
operator types (or a correction of an earlier entry), and full-text search.

Entries are appended by the desk's chain writer (``desk.chain``) only. Search is the one
step whose SQL differs between backends (FTS5, ``tsvector``): the backend's subclass does it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sarapp.model import CaseId, Changes, EntryId, EntryKind, LogEntry, SearchHit
from sarapp.store import rows
from sarapp.store.case_input import author_name
from sarapp.store.errors import CaseError

if TYPE_CHECKING:
    from sarapp.store.desk import Desk

_CHUNK = 500  # ids per ``IN (…)``: below every backend's limit of parameters


class Log:
    """Held by the desk as ``desk.log``; a backend's subclass supplies ``search``."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk

    def entries(self, case_ref: str) -> list[LogEntry]:
        """The case log in the chain's (seq) order."""
        case_id = self._desk.cases.resolve(case_ref)
        return self._read("SELECT * FROM log_entries WHERE case_id = ? ORDER BY seq", (case_id,))

    def timeline(self, case_ref: str) -> list[LogEntry]:
        """The case log in the order things happened (each entry's own time; the seq where
        this desk filed it only breaks ties): how a coordinator reads a log that holds
        entries imported from another RCC. ``entries`` keeps the chain's (seq) order."""
        case_id = self._desk.cases.resolve(case_ref)
        sql = "SELECT * FROM log_entries WHERE case_id = ? ORDER BY time, seq"
        return self._read(sql, (case_id,))

    def since(self, case_id: CaseId, after_seq: int) -> list[LogEntry]:
        """Entries of a case after ``after_seq``: what a view showing the log lacks."""
        sql = "SELECT * FROM log_entries WHERE case_id = ? AND seq > ? ORDER BY seq"
        return self._read(sql, (case_id, after_seq))

    def entry(self, entry_id: str) -> LogEntry:
        found = self._find(entry_id)
        if found is None:
            raise CaseError(f"no log entry {entry_id!r}")
        return found

    def _find(self, entry_id: str) -> LogEntry | None:
        found = self._read("SELECT * FROM log_entries WHERE id = ?", (entry_id,))
        return found[0] if found else None

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these log entry ids this desk already holds (in any case)."""
        ids = list(ids)
        found: set[str] = set()
        values = self._desk.values
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            cursor = self._desk.backend.execute(
                f"SELECT id FROM log_entries WHERE id IN ({marks})", chunk
            )
            found.update(values.read_id(row[0]) for row in cursor)
        return found

    def append(
        self,
        case_ref: str,
        text: str,
        *,
        author: str,
        corrects: str | None = None,
        kind: EntryKind = EntryKind.NOTE,
        data: Mapping[str, Any] | None = None,
        entry_id: str | None = None,
    ) -> Changes:
        """Append an entry to the case log; ``corrects`` names an earlier entry it corrects.

        ``entry_id`` makes the append safe to repeat: a face that lost its connection while
        storing cannot know whether the commit landed, so it sends the entry again under the
        id it chose the first time, and an entry already stored under that id (same case,
        same text) is not stored twice (no changes)."""
        author = author_name(author)
        text = text.strip()
        if not text:
            raise CaseError("a log entry needs some text")
        case_id = self._desk.cases.resolve(case_ref)
        if corrects is not None:
            target = self.entry(corrects)
            if target.case_id != case_id:
                raise CaseError("a correction must refer to an entry of the same case")
            kind = EntryKind.CORRECTION
        if entry_id is not None:
            entry_id = canonical_entry_id(entry_id)
        with self._desk.transaction():
            if entry_id is not None and self._stored_already(entry_id, case_id, text):
                return Changes()
            return self._desk.chain.append(
                case_id,
                kind=kind,
                text=text,
                author=author,
                data=dict(data or {}),
                corrects=corrects,
                entry_id=EntryId(entry_id) if entry_id else None,
            )

    def _stored_already(self, entry_id: str, case_id: CaseId, text: str) -> bool:
        found = self._find(entry_id)
        if found is None:
            return False
        if found.case_id != case_id or found.text != text:
            raise CaseError(f"log entry id {entry_id} is another entry's")
        return True

    def search(
        self, query: str, *, limit: int = 50, case_ref: str | None = None
    ) -> list[SearchHit]:
        """The best-matching log entries for the words of ``query``, with snippets.

        Every word must match; ``word*`` matches a prefix. Operators are not interpreted, so
        anything a user types is a valid search.
        """
        raise NotImplementedError

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[LogEntry]:
        values = self._desk.values
        return [rows.entry_from_row(r, values) for r in self._desk.backend.rows(sql, params)]


__all__ = ["Log", "canonical_entry_id"]


def canonical_entry_id(value: str) -> str:
    """A caller's entry id must be a UUID (what every desk's ids are), in its canonical form."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise CaseError(f"log entry id {value!r} is not a UUID") from None
