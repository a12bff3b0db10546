"""Review: the store with odd but valid inputs, and two desks open on one file."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarapp.model import Position
from sarapp.store import CaseError, Desk


@pytest.fixture
def store(tmp_path):
    with Desk.open(tmp_path / "desk.sqlite") as s:
        yield s


def test_case_number_takes_the_utc_year_of_a_non_utc_time(store: Desk) -> None:
    # 01:00 on 1 January 2026 in UTC+2 is 23:00 on 31 December 2025 UTC
    local = datetime(2026, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=2)))
    (case_id,) = store.cases.create(title="late call", author="op", time=local).cases
    case = store.cases.get(case_id)
    assert case.created == datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
    assert case.number == "2025-0001"


def test_create_case_refuses_a_naive_time_with_a_case_error(store: Desk) -> None:
    with pytest.raises(CaseError, match="UTC"):
        store.cases.create(title="x", author="op", time=datetime(2026, 5, 1, 12, 0))
    assert store.cases.list() == []


@pytest.mark.parametrize("accuracy", [float("inf"), float("nan")])
def test_position_with_non_finite_accuracy_is_refused(store: Desk, accuracy: float) -> None:
    (case_id,) = store.cases.create(title="x", author="op").cases
    with pytest.raises(CaseError, match="accuracy"):
        store.cases.add_position(case_id, Position(10.0, 20.0, accuracy_m=accuracy), author="op")
    assert store.cases.positions(case_id) == []


@settings(max_examples=60, deadline=None)
@given(query=st.text(max_size=30))
def test_any_search_text_is_a_valid_search(tmp_path_factory, query: str) -> None:
    path = tmp_path_factory.mktemp("fts") / "desk.sqlite"
    with Desk.open(path) as s:
        s.cases.create(title="Fishing vessel taking water", author="op")
        s.log.search(query)


def test_search_with_a_nul_character_or_an_undecodable_byte(store: Desk) -> None:
    store.cases.create(title="Fishing vessel taking water", author="op")
    assert [h.case_number for h in store.log.search("fish*\x00")] == ["2026-0001"]
    assert [h.case_number for h in store.log.search("water\x00vessel")] == ["2026-0001"]
    assert len(store.log.search("water \udcff")) == len(store.log.search("water")) == 1


def test_two_desks_on_one_file_keep_numbers_and_chains(tmp_path) -> None:
    path = tmp_path / "desk.sqlite"
    Desk.open(path).close()
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with Desk.open(path, busy_timeout_ms=20000) as s:
                for i in range(15):
                    (case_id,) = s.cases.create(title=f"{name} {i}", author=name).cases
                    s.log.append(case_id, f"note {i}", author=name)
                    s.log.append("2026-0001" if i else case_id, f"{name} on first", author=name)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Desk.open(path) as s:
        cases = s.cases.list()
        assert len(cases) == 30
        assert len({c.number for c in cases}) == 30
        assert s.check().ok, s.check().problems
