from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, datetime

import pytest

from sarapp.casefields import FieldError
from sarapp.model import AlertPhase, CaseStatus, EntryKind, Position
from sarapp.store import CaseError, Desk

OP = "Watch officer Dupont"


def _case(store: Desk, title: str = "FV Marie-Jo taking water", **kwargs) -> str:
    (case_id,) = store.cases.create(title=title, author=OP, **kwargs).cases
    return case_id


def test_create_case_numbers_per_year_and_logs_creation(store):
    first = store.cases.get(_case(store))
    second = store.cases.get(_case(store, "PIW off Cap Corse"))
    year = datetime.now(UTC).year
    assert first.number == f"{year}-0001"
    assert second.number == f"{year}-0002"
    assert first.phase is AlertPhase.INCERFA and first.status is CaseStatus.OPEN
    (entry,) = store.log.entries(first.id)
    assert entry.kind is EntryKind.CREATED and entry.author == OP and entry.seq == 1
    assert "opened" in entry.text and first.number in entry.text


def test_case_fields_are_validated_and_stored(store):
    case_id = _case(
        store,
        phase=AlertPhase.DETRESFA,
        values={"mmsi": "227 123 456", "imo": "IMO 9074729", "flag": "fr", "pob": "4"},
    )
    case = store.cases.get(case_id)
    assert (case.mmsi, case.imo, case.flag, case.pob) == ("227123456", "9074729", "FR", 4)
    with pytest.raises(FieldError, match="IMO"):
        store.cases.create(title="x", author=OP, values={"imo": "9074728"})
    with pytest.raises(FieldError, match="Title"):
        store.cases.create(title="  ", author=OP)
    assert len(store.cases.list()) == 1  # nothing half-written by the refused ones


def test_field_edit_is_logged_with_old_and_new_value(store):
    case_id = _case(store)
    store.cases.set_field(case_id, "pob", "5", author=OP)
    store.cases.set_field(case_id, "pob", 5, author=OP)  # no change: no entry
    entries = store.log.entries(case_id)
    assert [e.kind for e in entries] == [EntryKind.CREATED, EntryKind.FIELD]
    assert entries[-1].data == {"field": "pob", "old": None, "new": 5}
    assert entries[-1].text == "Persons on board: (empty) → 5"
    with pytest.raises(FieldError, match="unknown case field"):
        store.cases.set_field(case_id, "colour", "red", author=OP)
    with pytest.raises(FieldError, match="MMSI"):
        store.cases.set_field(case_id, "mmsi", "12345", author=OP)


def test_phase_and_status_changes_are_logged(store):
    case_id = _case(store)
    store.cases.set_phase(case_id, "detresfa", author=OP, reason="MAYDAY received")
    store.cases.set_status(case_id, CaseStatus.CLOSED, author=OP, reason="crew rescued")
    case = store.cases.get(case_id)
    assert case.phase is AlertPhase.DETRESFA and case.status is CaseStatus.CLOSED
    texts = [e.text for e in store.log.entries(case_id)]
    assert texts[1] == "Phase INCERFA → DETRESFA: MAYDAY received"
    assert texts[2] == "Case closed: crew rescued"
    with pytest.raises(CaseError, match="unknown alert phase"):
        store.cases.set_phase(case_id, "PANIC", author=OP)


def test_position_reports_become_lkp_and_are_logged(store):
    t = datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
    case_id = _case(store, lkp=Position(43.20575, 5.11315, time=t, accuracy_m=500))
    later = Position(43.3, 5.2, time=datetime(2026, 11, 26, 15, 0, tzinfo=UTC), source="sru")
    store.cases.add_position(case_id, later, author=OP)
    store.cases.add_position(case_id, Position(43.0, 5.0, source="ais"), author=OP, as_lkp=False)
    case = store.cases.get(case_id)
    assert case.lkp.id == later.id and case.lkp.source == "sru"
    assert [p.source for p in store.cases.positions(case_id)] == ["reported", "sru", "ais"]
    log = store.log.entries(case_id)
    assert log[1].text == (
        "Position 43°12.345'N 005°06.789'E at 261430Z NOV 26 (reported, ±500 m)"
        " — last known position"
    )
    with pytest.raises(CaseError, match="off the globe"):
        store.cases.add_position(case_id, Position(91.0, 0.0), author=OP)


def test_case_references_uuid_prefix_and_number(store):
    case_id = _case(store)
    number = store.cases.get(case_id).number
    assert store.cases.resolve(number) == case_id
    assert store.cases.resolve(case_id[:8]) == case_id
    assert store.cases.resolve(case_id.upper()) == case_id
    with pytest.raises(CaseError, match="no case"):
        store.cases.resolve("2020-0001")
    with pytest.raises(CaseError, match="no case given"):
        store.cases.resolve(" ")


def test_list_filters_by_phase_status_and_text(store):
    a = _case(store, "Yacht Albatros dismasted", values={"vessel_name": "Albatros"})
    b = _case(store, "PIW near harbour", phase=AlertPhase.DETRESFA)
    store.cases.set_status(a, "closed", author=OP)
    assert [c.id for c in store.cases.list(phase=AlertPhase.DETRESFA)] == [b]
    assert [c.id for c in store.cases.list(status=CaseStatus.CLOSED)] == [a]
    assert [c.id for c in store.cases.list(text="albatros")] == [a]
    assert [c.id for c in store.cases.list(text="100%_")] == []


def test_log_is_append_only_even_through_raw_sql(store):
    case_id = _case(store, lkp=Position(43.0, 5.0))
    store.log.append(case_id, "Called CROSS Med on VHF 16", author=OP)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE log_entries SET text = 'nothing' WHERE case_id = ?", (case_id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM log_entries")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM positions")


def test_correction_points_to_the_corrected_entry(store):
    case_id = _case(store)
    wrong = store.log.append(case_id, "POB 4", author=OP).entries[0]
    fix = store.log.append(case_id, "POB 5, not 4", author=OP, corrects=wrong).entries[0]
    entry = store.log.entry(fix)
    assert entry.kind is EntryKind.CORRECTION and entry.corrects == wrong
    other = _case(store, "another case")
    with pytest.raises(CaseError, match="same case"):
        store.log.append(other, "fix", author=OP, corrects=wrong)
    with pytest.raises(CaseError, match="needs some text"):
        store.log.append(case_id, "   ", author=OP)
    with pytest.raises(CaseError, match="author"):
        store.log.append(case_id, "text", author="")


def test_hash_chain_links_every_entry(store):
    case_id = _case(store)
    for i in range(5):
        store.log.append(case_id, f"entry {i}", author=OP)
    log = store.log.entries(case_id)
    assert log[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(log))
    assert [e.seq for e in log] == list(range(1, 7))
    assert store.check().ok


def test_check_names_the_first_entry_edited_behind_the_desks_back(store):
    case_id = _case(store)
    for i in range(4):
        store.log.append(case_id, f"entry {i}", author=OP)
    store.conn.execute("DROP TRIGGER log_entries_append_only_update")
    store.conn.execute(
        "UPDATE log_entries SET text = 'forged' WHERE case_id = ? AND seq = 3", (case_id,)
    )
    report = store.check()
    assert not report.ok
    number = store.cases.get(case_id).number
    assert report.problems[-1].startswith(f"case {number} entry 3 ")
    assert "does not match its hash" in report.problems[-1]


def test_check_finds_a_removed_entry(store):
    case_id = _case(store)
    for i in range(3):
        store.log.append(case_id, f"entry {i}", author=OP)
    store.conn.execute("DROP TRIGGER log_entries_append_only_delete")
    store.conn.execute("DELETE FROM log_entries WHERE case_id = ? AND seq = 2", (case_id,))
    problems = store.check().problems
    assert any("entry 2 is missing" in p for p in problems)


def test_full_text_search_ranks_and_snippets(store):
    a = _case(store, "FV Marie-Jo")
    b = _case(store, "Yacht Albatros")
    store.log.append(a, "Helicopter Dragon 13 tasked, ETA 1520Z", author=OP)
    store.log.append(b, "Lifeboat SNS 061 launched from Bastia", author=OP)
    store.log.append(b, "Dragon 13 unavailable, lifeboat continues", author=OP)
    hits = store.log.search("dragon")
    assert {h.entry.case_id for h in hits} == {a, b}
    assert all("[Dragon]" in h.snippet for h in hits)
    assert [h.entry.case_id for h in store.log.search("lifeboat", case_ref=a)] == []
    assert len(store.log.search("lifeb*")) == 2
    assert store.log.search('AND "unbalanced') == []  # any typing is a valid query
    assert store.log.search("") == []


def test_everything_survives_reopening(desk_path):
    with Desk.open(desk_path) as store:
        case_id = _case(store)
        store.log.append(case_id, "still here", author=OP)
    with Desk.open(desk_path) as store:
        assert store.log.entries(case_id)[-1].text == "still here"
        assert store.check().ok
