"""Search on a PostgreSQL desk finds what the SQLite desk's FTS5 search finds, for the
SQLite store's own test queries and for any text typed (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarapp.store import Desk
from sarapp.store.pg.location import connect
from sarapp.store.pg.search import find_entries, search_query, words

from .helpers import note, open_case

TEXTS = (
    "Helicopter Dragon 13 tasked, ETA 1520Z",
    "Lifeboat SNS 061 launched from Bastia",
    "Dragon 13 unavailable, lifeboat continues",
    "Fishing vessel taking water",
    "ÉLAN reports «Straße» flooded; ops@rcc.no informed",
    "Position 43.12N 007°15,3E — Marie-Jo's skipper: \"O'Brien\"",
    "Ωμέγα crew of 4; naïve café coöperation x\u0301y",
    "self-righting lifeboat Ølfjord-2 back at base",
)
QUERIES = (
    "dragon", "lifeb*", "lifeboat", 'AND "unbalanced', "", "fish*\x00", "water\x00vessel",
    "water \udcff", "elan", "Élan", "STRASSE", "straße", "ops@rcc", "rcc.no", "43.12", "43",
    "marie-jo", "o'brien", "\"O'Brien\"", "ωμέγα", "ΩΜΈΓΑ", "naive", "cooperation", "xy",
    "olfjord*", "self-right*", "*", "**", "dragon OR lifeboat", "NOT dragon", "d*", "13 dragon",
    "(water)", "water)", "NEAR(water vessel)", "back:base", "^water", "\\", "'", "''", "-", "—",
)  # fmt: skip


@pytest.fixture
def both(pg_desk, store: Desk):
    """The same entries on a SQLite desk and a PostgreSQL desk: (sqlite search, pg search)."""
    (sqlite_case,) = store.cases.create(title="Searchable", author="op").cases
    with connect(pg_desk) as conn:
        pg_case = open_case(conn, "Searchable")
        for text in TEXTS:
            store.log.append(sqlite_case, text, author="op")
            note(conn, pg_case, text)

        def on_sqlite(query: str) -> set[str]:
            return {h.entry.text for h in store.log.search(query, limit=1000)}

        def on_pg(query: str) -> set[str]:
            ids = find_entries(conn, query, limit=1000)
            found = conn.execute("SELECT text FROM log_entries WHERE id = ANY(%s::uuid[])", (ids,))
            return {text for (text,) in found}

        def add(text: str) -> None:
            text = text.strip()
            if not text:
                return  # the store refuses an empty entry
            store.log.append(sqlite_case, text, author="op")
            note(conn, pg_case, text)

        yield on_sqlite, on_pg, add


@pytest.mark.parametrize("query", QUERIES)
def test_finds_what_the_sqlite_desk_finds(both, query):
    on_sqlite, on_pg, _ = both
    assert on_pg(query) == on_sqlite(query)


def test_the_sqlite_store_tests_queries_find_the_same_entries(both):
    on_sqlite, on_pg, _ = both
    assert on_pg("dragon") == on_sqlite("dragon") == {TEXTS[0], TEXTS[2]}
    assert on_pg("lifeb*") == {TEXTS[1], TEXTS[2], TEXTS[7]}
    assert on_pg("elan") == on_pg("ÉLAN") == {TEXTS[4]}


def test_any_typing_is_a_valid_query_and_finds_what_fts5_finds(both):
    on_sqlite, on_pg, _ = both

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=st.text(max_size=30) | st.sampled_from(TEXTS).map(lambda t: t[3:12] + "*"))
    def check(query: str) -> None:
        assert on_pg(query) == on_sqlite(query)

    check()


_WORD = st.text(alphabet=st.sampled_from("aAeEéÉèßøØœçÇ01ωΩ-.'@ _*\"«»—"), min_size=1, max_size=8)


def test_any_entry_text_is_found_by_its_words_as_on_the_sqlite_desk(both):
    on_sqlite, on_pg, add = both

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=st.lists(_WORD, min_size=1, max_size=6).map(" ".join), pick=st.integers(0, 5),
           cut=st.integers(1, 4), prefix=st.booleans())  # fmt: skip
    def check(text: str, pick: int, cut: int, prefix: bool) -> None:
        add(text)
        word = text.split()[pick % len(text.split())] if text.split() else text
        query = word[:cut] + "*" if prefix else word
        assert on_pg(query) == on_sqlite(query)

    check()


def test_words_are_folded_as_fts5_folds_them():
    assert words("ÉLAN «Straße» ops@rcc.no 43.12N x\u0301y") == [
        "elan", "straße", "ops", "rcc", "no", "43", "12n", "xy",
    ]  # fmt: skip
    assert search_query("lifeb* ops@rcc") == "'lifeb':* & ('ops' <-> 'rcc')"
    assert search_query("  *  — ") is None
    assert search_query("it's") == "('it' <-> 's')"
