"""The SQLite dialect of the repositories whose SQL differs between backends: FTS5 search,
``json_extract`` over entry data, prefix and word matching with SQLite's ``LIKE`` (ASCII case
folded), the year's next case number (the write transaction already holds the desk), and
the temporary tables of the annual report."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sarapp.model import CaseId, SearchHit
from sarapp.store import rows
from sarapp.store.cases import Cases
from sarapp.store.log import Log
from sarapp.store.packages import SENDER_CHECKPOINT, Packages
from sarapp.store.reports import Reports
from sarapp.store.text_query import escape_like, like_prefix


class SqliteCases(Cases):
    def _by_id_prefix(self, prefix: str, *, limit: int) -> list[tuple[CaseId, str]]:
        found = self._desk.backend.execute(
            "SELECT id, number FROM cases WHERE id LIKE ? ESCAPE '\\' LIMIT ?",
            (like_prefix(prefix), limit),
        )
        return [(CaseId(case_id), number) for case_id, number in found]

    def _word_filter(self, columns: Sequence[str], word: str) -> tuple[str, Any]:
        joined = " || ' ' || ".join(columns)
        return f"({joined}) LIKE ? ESCAPE '\\'", f"%{escape_like(word)}%"

    def _next_number(self, year: int) -> str:
        last = self._desk.backend.execute(
            "SELECT MAX(CAST(substr(number, 6) AS INTEGER)) FROM cases WHERE number LIKE ?",
            (f"{year}-%",),
        ).fetchone()[0]
        return f"{year}-{(last or 0) + 1:04d}"


class SqliteLog(Log):
    def search(
        self, query: str, *, limit: int = 50, case_ref: str | None = None
    ) -> list[SearchHit]:
        """BM25 over FTS5 (``log_search``), with snippets."""
        match = fts_query(query)
        if not match:
            return []
        sql = (
            "SELECT e.*, c.number AS case_number,"
            " snippet(log_search, 0, '[', ']', '…', 12) AS snip"
            " FROM log_search JOIN log_entries e ON e.rowid = log_search.rowid"
            " JOIN cases c ON c.id = e.case_id WHERE log_search MATCH ?"
        )
        params: list[Any] = [match]
        if case_ref:
            sql += " AND e.case_id = ?"
            params.append(self._desk.cases.resolve(case_ref))
        sql += " ORDER BY rank LIMIT ?"
        params.append(limit)
        values = self._desk.values
        return [
            SearchHit(rows.entry_from_row(r, values), r["case_number"], r["snip"])
            for r in self._desk.backend.rows(sql, params)
        ]


class SqlitePackages(Packages):
    def kept_checkpoints(self, case_id: str, key: str) -> list[tuple[str, dict[str, Any]]]:
        path = f"$.handover.{SENDER_CHECKPOINT}"
        cursor = self._desk.backend.execute(
            f"SELECT json_extract(data, '$.handover.package_id'), json_extract(data, '{path}')"
            f" FROM log_entries WHERE case_id = ? AND json_extract(data, '{path}.key') = ?"
            " ORDER BY seq",
            (case_id, key),
        )
        found = ((str(package_id), _json(text)) for package_id, text in cursor)
        return [(package_id, item) for package_id, item in found if isinstance(item, dict)]

    def _data_members(self, case_id: str, member: str) -> list[Any]:
        cursor = self._desk.backend.execute(
            f"SELECT json_extract(data, '$.{member}') FROM log_entries"
            f" WHERE case_id = ? AND json_extract(data, '$.{member}') IS NOT NULL ORDER BY seq",
            (case_id,),
        )
        return [json.loads(text) for (text,) in cursor]


class SqliteReports(Reports):
    def _drop_temporary(self, table: str) -> None:
        self._desk.backend.execute(f"DROP TABLE IF EXISTS temp.{table}")

    def _create_areas(self) -> None:
        self._desk.backend.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS report_areas (plan_id TEXT, unit_id TEXT,"
            " south REAL, west REAL, north REAL, east REAL, since TEXT, until TEXT)"
        )


def fts_query(query: str) -> str:
    """Each word quoted (so FTS5 syntax in the input cannot fail), ``word*`` kept as prefix."""
    terms = []
    # SQLite reads a query string only up to a NUL, which would cut a quoted word open;
    # lone surrogates (undecodable bytes) cannot be encoded and match no stored text anyway.
    query = query.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")
    for word in query.split():
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*")
        if word:
            terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


def _json(text: str | None) -> Any:
    try:
        return json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


__all__ = ["SqliteCases", "SqliteLog", "SqlitePackages", "SqliteReports", "fts_query"]
