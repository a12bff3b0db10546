"""The persons register on a server desk: disembarkation, the register, personal notes and the
purge check clean, and ``db check`` names a record, a count or a personal content changed
behind the desks' backs (by whoever administers the database), as it does on a file."""

from __future__ import annotations

from datetime import UTC, datetime

from sarapp.model import CaseStatus
from sarapp.store import Desk
from sarapp.store.pg.location import connect
from sarapp.store.purge import purge

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _boat(desk: Desk) -> str:
    (case_id,) = desk.cases.create(title="Boat, 40 POB", author="op1", time=T0).cases
    desk.persons.set_counts(case_id, {"on_board": 40, "rescued": 30}, author="op1")
    desk.persons.add(case_id, {"name": "Ama Owusu", "status": "missing"}, author="op1")
    desk.persons.add(case_id, {"name": "Kofi", "status": "rescued"}, author="op1")
    desk.privacy.append_note(case_id, "Ama's mother called: +233 555", author="op1")
    return case_id


def _as_owner(location: str, *statements: str) -> None:
    with connect(location) as conn:
        for statement in statements:
            conn.execute(statement)


def test_disembarkation_register_and_purge_check_clean(pg_desk):
    with Desk.open(pg_desk) as desk:
        case_id = _boat(desk)
        for name, value in (("port_requested", "Lampedusa"), ("port_assigned", "Pozzallo"),
                            ("port_authority", "IT MRCC Rome"),
                            ("port_assigned_at", "2026-11-28T11:00:00Z"),
                            ("disembark_unit", "CP 940"),
                            ("disembarked_at", "2026-11-29T06:30:00Z")):  # fmt: skip
            desk.cases.set_field(case_id, name, value, author="op1")
        case = desk.cases.get(case_id)
        assert (case.port_assigned, case.port_authority) == ("Pozzallo", "IT MRCC Rome")
        report = desk.check()
        assert report.ok, report.problems
        desk.cases.set_status(case_id, CaseStatus.CLOSED, author="op1", outcome="rescued")
        purge(desk.persons, author="op1", older_than_days=0)
        report = desk.check()
        assert report.ok, report.problems


def test_a_record_or_count_changed_behind_the_desks_back_is_named(pg_desk):
    with Desk.open(pg_desk) as desk:
        _boat(desk)
    _as_owner(pg_desk, "UPDATE persons SET status = 'dead', name = 'Someone else'"
                       " WHERE number = 1",
              "UPDATE person_counts SET total = 3 WHERE category = 'missing'")  # fmt: skip
    with Desk.open(pg_desk) as desk:
        problems = desk.check().problems
    assert any("person P1" in p and "in name, status: changed outside" in p for p in problems)
    assert any("persons count missing is (3, 0) but its log says (1, 0)" in p for p in problems), (
        problems
    )


def test_personal_content_changed_or_erased_behind_the_desks_back_is_named(pg_desk):
    with Desk.open(pg_desk) as desk:
        _boat(desk)
    _as_owner(pg_desk,
              "ALTER TABLE log_personal DISABLE TRIGGER log_personal_only_erased",
              "UPDATE log_personal SET text = 'P1 Kari Nordmann' WHERE text LIKE 'P1 %'",
              "UPDATE log_personal SET state = 'purged', salt = NULL, text = NULL,"
              " content = NULL WHERE text LIKE 'Ama''s mother%'")  # fmt: skip
    with Desk.open(pg_desk) as desk:
        problems = desk.check().problems
    assert any("entry 3: its personal content does not match its commitment" in p
               for p in problems), problems  # fmt: skip
    assert any("entry 5: its personal content is purged, but no purge" in p for p in problems)


def _every_text(location: str) -> str:
    """Every value of every table of the desk, as text."""
    with connect(location) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]  # fmt: skip
        return "\n".join(str(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))


def test_the_purge_erases_every_personal_value_and_a_later_edit_is_still_found(pg_desk):
    secrets = ("Ama Owusu", "Kofi", "+233 555")
    with Desk.open(pg_desk) as desk:
        case_id = _boat(desk)
        desk.log.append(case_id, "CP 940 back at base", author="op1")
        desk.cases.set_status(case_id, CaseStatus.CLOSED, author="op1", outcome="rescued")
        counts = desk.persons.counts(case_id).total
        assert all(s in _every_text(pg_desk) for s in secrets)
        (purged,) = purge(desk.persons, author="DPO", older_than_days=0).cases
        assert (purged.persons, purged.entries) == (2, 3)
        assert desk.persons.counts(case_id).total == counts
        assert desk.log.search("Owusu") == [] and desk.log.search("233") == []
        report = desk.check()
        assert report.ok, report.problems
    assert not [s for s in secrets if s in _every_text(pg_desk)]
    _as_owner(
        pg_desk,
        "ALTER TABLE log_entries DISABLE TRIGGER USER",
        "UPDATE log_entries SET text = 'CP 940 never left' WHERE text LIKE 'CP 940%'",
    )
    with Desk.open(pg_desk) as desk:
        problems = desk.check().problems
    assert any("content does not match its hash" in p for p in problems), problems
