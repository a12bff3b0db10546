"""User text made safe inside SQL: LIKE patterns and FTS5 queries (``Store``)."""

from __future__ import annotations


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_prefix(text: str) -> str:
    return escape_like(text) + "%"


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


__all__ = ["escape_like", "fts_query", "like_prefix"]
