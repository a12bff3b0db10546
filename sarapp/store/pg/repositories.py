"""The PostgreSQL dialect of the repositories whose SQL differs between backends: appending
under the case's row lock with the entry's search words, ids matched as text (``uuid``),
words matched case-folded (``ILIKE``), case numbers drawn under an advisory lock, search with
``tsvector``, ``jsonb`` members of entry data, and the report's temporary tables."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sarapp.chain import data_text, hash_frame, time_text
from sarapp.model import CaseId, SearchHit
from sarapp.store import rows
from sarapp.store.cases import Cases
from sarapp.store.chain_writer import ChainLink, ChainWriter
from sarapp.store.errors import CaseError
from sarapp.store.log import Log
from sarapp.store.packages import SENDER_CHECKPOINT, Packages
from sarapp.store.pg.chain import CASE_NUMBER_LOCK
from sarapp.store.pg.search import search_query, search_vector, words
from sarapp.store.pg.values import check_text
from sarapp.store.reports import Reports
from sarapp.store.sync import SyncState
from sarapp.store.text_query import escape_like, like_prefix

_APPEND = "SELECT new_seq, new_hash FROM sarapp_append(?, ?, ?, ?, ?, ?, ?, ?, ?::tsvector, ?, ?)"


class PgChainWriter(ChainWriter):
    """Appends to one case wait for each other on the case's row (``FOR UPDATE``), so the
    chain stays one line whatever number of desks write; other cases go on in parallel. A new
    entry is chained by the server in one statement (``sarapp_append``, schema 2) from the
    frame of its hash: the case is locked for that statement and the commit."""

    def _chain_one(self, case_id: str, entry_id: str, when: datetime, author: str, kind: str,
                   text: str, data: Mapping[str, Any],
                   corrects: str | None) -> tuple[int, str]:  # fmt: skip
        check_text(text, what="the entry's text")
        check_text(author, what="the author's name")
        values = self._desk.values
        stored_data = values.json(dict(data))  # refuses what jsonb cannot keep, first
        before, after = hash_frame({"id": entry_id, "case_id": case_id, "time": time_text(when),
                                    "author": author, "kind": kind, "text": text,
                                    "data": data_text(data), "corrects": corrects})  # fmt: skip
        params = (entry_id, case_id, values.time(when), author, kind, text, stored_data,
                  corrects, search_vector(text), before, after)  # fmt: skip
        return self._desk.backend.execute(_APPEND, params).fetchone()

    def lock_case(self, case_id: str) -> None:
        backend = self._desk.backend  # in the desk's transaction (its BEGIN goes first)
        if (
            backend.execute("SELECT 1 FROM cases WHERE id = ? FOR UPDATE", (case_id,)).fetchone()
            is None
        ):
            raise CaseError(f"no case {case_id} on this desk")

    def _search_words(self, texts: Sequence[str]) -> Sequence[Any] | None:
        return [search_vector(text) for text in texts]

    def _insert(self, links: Sequence[ChainLink], search_words: Sequence[Any] | None) -> None:
        values = self._desk.values
        rows_ = []
        for link, vector in zip(links, search_words or (), strict=True):
            check_text(link.text, what="the entry's text")
            check_text(link.author, what="the author's name")
            rows_.append((link.id, link.case_id, link.seq, values.time(link.time), link.author,
                          link.kind, link.text, values.json(dict(link.data)), link.corrects,
                          link.prev_hash, link.hash, vector))  # fmt: skip
        self._desk.backend.executemany(
            "INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, data, corrects,"
            " prev_hash, hash, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::tsvector)",
            rows_,
        )


class PgCases(Cases):
    def _by_id_or_number(self, ref: str) -> CaseId | None:
        try:  # by its index: an id as a uuid, else a number
            sql, param = "SELECT id FROM cases WHERE id = ?", str(uuid.UUID(ref))
        except ValueError:
            sql, param = "SELECT id FROM cases WHERE number = ?", ref
        row = self._desk.backend.execute(sql, (param,)).fetchone()
        return CaseId(str(row[0])) if row else None

    def _by_id_prefix(self, prefix: str, *, limit: int) -> list[tuple[CaseId, str]]:
        found = self._desk.backend.execute(
            "SELECT id, number FROM cases WHERE id::text LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
            (like_prefix(prefix), limit),
        )
        return [(CaseId(str(case_id)), number) for case_id, number in found]

    def _word_filter(self, columns: Sequence[str], word: str) -> tuple[str, Any]:
        joined = " || ' ' || ".join(columns)
        return f"({joined}) ILIKE ? ESCAPE '\\'", f"%{escape_like(word)}%"

    def _next_number(self, year: int) -> str:
        backend = self._desk.backend  # under the desk's transaction, which holds the lock
        backend.execute("SELECT pg_advisory_xact_lock(?, ?)", (CASE_NUMBER_LOCK, year))
        last = backend.execute(
            "SELECT max(substr(number, 6)::integer) FROM cases"
            " WHERE number LIKE ? AND substr(number, 6) ~ '^[0-9]+$'",
            (f"{year}-%",),
        ).fetchone()[0]
        return f"{year}-{(last or 0) + 1:04d}"


class PgLog(Log):
    def search(
        self, query: str, *, limit: int = 50, case_ref: str | None = None
    ) -> list[SearchHit]:
        """Every word must match (``tsvector``, the SQLite desk's own folding), best first by
        ``ts_rank_cd``; the snippet brackets the matching words of the entry's text."""
        tsquery = search_query(query)
        if tsquery is None:
            return []
        sql = (
            "SELECT e.*, c.number AS case_number FROM log_entries e"
            " JOIN cases c ON c.id = e.case_id WHERE e.search @@ ?::tsquery"
        )
        params: list[Any] = [tsquery]
        if case_ref:
            sql += " AND e.case_id = ?"
            params.append(self._desk.cases.resolve(case_ref))
        sql += " ORDER BY ts_rank_cd(e.search, ?::tsquery) DESC, e.time DESC LIMIT ?"
        params += [tsquery, limit]
        values = self._desk.values
        wanted = _query_words(query)
        return [
            SearchHit(rows.entry_from_row(r, values), r["case_number"], snippet(r["text"], wanted))
            for r in self._desk.backend.rows(sql, params)
        ]


class PgPackages(Packages):
    def kept_checkpoints(self, case_id: str, key: str) -> list[tuple[str, dict[str, Any]]]:
        found = self._desk.backend.execute(
            f"SELECT data -> 'handover' ->> 'package_id', data -> 'handover' -> "
            f"'{SENDER_CHECKPOINT}' FROM log_entries WHERE case_id = ?"
            f" AND data -> 'handover' -> '{SENDER_CHECKPOINT}' ->> 'key' = ? ORDER BY seq",
            (case_id, key),
        )
        return [(str(package_id), item) for package_id, item in found if isinstance(item, dict)]

    def _data_members(self, case_id: str, member: str) -> list[Any]:
        found = self._desk.backend.execute(
            "SELECT data -> ? FROM log_entries WHERE case_id = ?"
            " AND jsonb_typeof(data -> ?) IS DISTINCT FROM 'null'"
            " AND data -> ? IS NOT NULL ORDER BY seq",
            (member, case_id, member, member),
        )
        return [item for (item,) in found]


class PgSync(SyncState):
    def login(self) -> tuple[str, bool] | None:
        """The login, and whether it is a field laptop's (a member of the database's field
        role, and neither a superuser nor exempt from row-level security)."""
        row = self._desk.backend.execute(
            "SELECT r.rolname, NOT (r.rolsuper OR r.rolbypassrls) AND EXISTS (SELECT 1 FROM"
            " pg_roles f WHERE f.rolname = current_database() || '_field'"
            " AND pg_has_role(r.oid, f.oid, 'MEMBER')) FROM pg_roles r"
            " WHERE r.rolname = current_user"
        ).fetchone()
        return (row[0], bool(row[1])) if row else None


class PgReports(Reports):
    def _drop_temporary(self, table: str) -> None:
        self._desk.backend.execute(f"DROP TABLE IF EXISTS pg_temp.{table}")

    def _create_areas(self) -> None:
        self._desk.backend.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS report_areas (plan_id uuid, unit_id uuid,"
            " south double precision, west double precision, north double precision,"
            " east double precision, since timestamptz, until timestamptz)"
        )


def _query_words(query: str) -> tuple[str, ...]:
    """The folded words of a query; a ``word*`` as ``word*`` (a prefix)."""
    wanted: list[str] = []
    for word in query.split():
        found = words(word.rstrip("*"))
        if found and word.endswith("*") and len(word) > 1:
            found[-1] += "*"
        wanted += found
    return tuple(wanted)


def _matches(word: str, wanted: Sequence[str]) -> bool:
    return any(word.startswith(w[:-1]) if w.endswith("*") else word == w for w in wanted)


def snippet(text: str, wanted: Sequence[str], *, width: int = 12) -> str:
    """Up to ``width`` words of ``text`` around the first match, matching words between
    ``[`` and ``]`` and ``…`` where text is left out (as the SQLite desk's FTS5 snippet;
    words here are what ``split`` cuts, FTS5 cuts at punctuation too)."""
    tokens = text.split()
    hits = [i for i, t in enumerate(tokens) if any(_matches(w, wanted) for w in words(t))]
    start = max(0, min(hits[0] - width // 2, len(tokens) - width)) if hits else 0
    shown = [
        f"[{token}]" if i in hits else token
        for i, token in enumerate(tokens[start : start + width], start=start)
    ]
    return ("…" if start else "") + " ".join(shown) + ("…" if start + width < len(tokens) else "")


__all__ = ["PgCases", "PgChainWriter", "PgLog", "PgPackages", "PgReports", "PgSync", "snippet"]
