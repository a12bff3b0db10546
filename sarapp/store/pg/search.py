"""Full-text search on a PostgreSQL desk that finds what the SQLite desk's FTS5 finds.

Words are cut and folded by the very tokenizer the SQLite desk indexes with (FTS5
``unicode61 remove_diacritics 2``: case folded, diacritics removed from Latin letters,
everything but letters and digits separating words), run on an in-memory SQLite table, so
both backends agree by construction, whatever the server's locale, collation or extensions
(``unaccent`` folds differently, ``ß`` to ``ss`` for one, and PostgreSQL's own parser keeps
``ops@rcc.no`` or ``43.12`` whole). The words go to PostgreSQL as a ``tsvector`` literal
with their positions (configuration ``simple``: no language assumed, no stemming), indexed
with GIN; a query goes as a ``tsquery`` literal built the way ``desk.log.search`` builds its
FTS5 query: every word must match, ``word*`` matches a prefix, a word made of several
tokens (``ops@rcc``) is a phrase, and nothing a user types is an operator.

A word longer than PostgreSQL's limit (2,046 bytes) is cut to it on both sides.
"""

from __future__ import annotations

import sqlite3
import threading

import psycopg

MAX_WORD_BYTES = 2046
MAX_POSITION = 16383  # tsvector positions stop there; later words are indexed at it
_local = threading.local()


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order, as the SQLite desk's index sees them."""
    text = text.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")
    conn = _tokenizer()
    conn.execute("INSERT INTO t (rowid, text) VALUES (1, ?)", (text,))
    try:
        found = conn.execute("SELECT term FROM v WHERE doc = 1 ORDER BY offset").fetchall()
    finally:
        conn.execute("DELETE FROM t WHERE rowid = 1")
    return [_cut(term) for (term,) in found]


def _tokenizer() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute(
            "CREATE VIRTUAL TABLE t USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2')"
        )
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab (t, 'instance')")
        _local.conn = conn
    return conn


def _cut(word: str) -> str:
    data = word.encode("utf-8")
    if len(data) <= MAX_WORD_BYTES:
        return word
    return data[:MAX_WORD_BYTES].decode("utf-8", "ignore")


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def search_vector(text: str) -> str:
    """The ``tsvector`` literal of ``text`` (cast with ``%s::tsvector``)."""
    return " ".join(
        f"{_lexeme(word)}:{min(index + 1, MAX_POSITION)}" for index, word in enumerate(words(text))
    )


def search_query(query: str) -> str | None:
    """The ``tsquery`` literal for what a user typed (cast with ``%s::tsquery``), or None
    when it holds no word to look for (no hits, as on the SQLite desk)."""
    query = query.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")
    terms = []
    for word in query.split():
        prefix = word.endswith("*") and len(word) > 1
        tokens = words(word.rstrip("*"))
        if not tokens:
            continue  # FTS5 ignores a phrase without tokens beside others
        last = _lexeme(tokens[-1]) + (":*" if prefix else "")
        phrase = " <-> ".join([*(_lexeme(t) for t in tokens[:-1]), last])
        terms.append(f"({phrase})" if len(tokens) > 1 else phrase)
    return " & ".join(terms) or None


def find_entries(
    conn: psycopg.Connection, query: str, *, limit: int = 50, case_id: str | None = None
) -> list[str]:
    """Ids of the best-matching entries (``ts_rank_cd``), every word of ``query`` matching."""
    tsquery = search_query(query)
    if tsquery is None:
        return []
    sql = "SELECT id FROM log_entries WHERE search @@ %(q)s::tsquery"
    if case_id is not None:
        sql += " AND case_id = %(case)s"
    sql += " ORDER BY ts_rank_cd(search, %(q)s::tsquery) DESC, time DESC LIMIT %(limit)s"
    found = conn.execute(sql, {"q": tsquery, "case": case_id, "limit": limit})
    return [str(entry_id) for (entry_id,) in found]
