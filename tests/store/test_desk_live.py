"""Many desks on one database, on both backends: what one desk changes reaches another's feed
(``Desk.watch``), a field edited on two desks at once is a conflict with both values, and a
desk that may only read says so before it writes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from sarapp.model import CaseStatus, Changes, Rcc
from sarapp.store import Desk, FieldConflict, ReadOnlyDesk

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request, desk_path) -> str:
    """One desk database two desks open: a SQLite file, or a PostgreSQL database."""
    return str(desk_path) if request.param == "sqlite" else request.getfixturevalue("pg_desk")


def _case(desk: Desk) -> str:
    (case_id,) = desk.cases.create(title="FV Marie-Jo taking water", author="op1", time=T0).cases
    return case_id


def test_another_desks_changes_reach_the_feed_and_its_own_do_not(location):
    with Desk.open(location) as mine, Desk.open(location) as other:
        feed, own = mine.watch(), other.watch()
        with feed, own:
            case_id = _case(other)
            opened = feed.wait(5)
            assert opened is not None and opened.cases == {case_id} and opened.created
            entry = other.log.append(case_id, "Dragon 13 on scene", author="op2").entries[0]
            other.units.add(name="SNS 061", unit_type="lifeboat")
            other.trust.set_rcc(Rcc("MRCC-ETEL", "MRCC Etel", "FR"))
            seen = Changes()
            while not (seen.units and seen.trust):
                more = feed.wait(5)
                assert more is not None, "a change did not reach the other desk"
                seen |= more
            assert entry in seen.entries and case_id in seen.cases
            assert feed.wait(0.1) is None  # nothing more came
            assert own.wait(0.1) is None  # the writer's own feed leaves its changes out


def test_a_register_edit_reaches_the_other_desk_with_the_persons_it_touched(location):
    with Desk.open(location) as mine, Desk.open(location) as other:
        case_id = _case(other)
        with mine.watch() as feed:
            added = other.persons.add(case_id, {"name": "Ama", "status": "rescued"}, author="op2")
            seen = Changes()
            while not seen.persons:
                changes = feed.wait(5)
                assert changes is not None
                seen |= changes
        assert seen.persons == added.persons and case_id in seen.cases


def test_a_rolled_back_change_reaches_no_feed(location):
    with Desk.open(location) as mine, Desk.open(location) as other, mine.watch() as feed:
        case_id = _case(other)
        assert feed.wait(5) is not None
        with pytest.raises(RuntimeError), other.transaction():
            other.log.append(case_id, "typed, then the desk lost power", author="op2")
            raise RuntimeError("power cut")
        assert feed.wait(0.3) is None
        assert [e.seq for e in mine.log.entries(case_id)] == [1]


def test_a_feed_closed_from_another_thread_stops_waiting(location):
    with Desk.open(location) as desk:
        feed = desk.watch()
        threading.Timer(0.2, feed.close).start()
        assert feed.wait(30) is None and feed.closed


def test_the_same_field_saved_on_two_desks_is_a_conflict_and_nothing_is_lost(location):
    with Desk.open(location) as a, Desk.open(location) as b:
        case_id = _case(a)
        shown_on_b = b.cases.get(case_id).pob  # b's form shows "unknown"
        a.cases.set_field(case_id, "pob", "4", author="op-a", expected=None)
        with pytest.raises(FieldConflict) as caught:
            b.cases.set_field(case_id, "pob", "5", author="op-b", expected=shown_on_b)
        conflict = caught.value
        assert (conflict.field, conflict.seen, conflict.current, conflict.yours) == (
            "pob", None, 4, 5)  # fmt: skip
        assert "Persons on board was changed to 4 by another desk" in str(conflict)
        assert b.cases.get(case_id).pob == 4  # nothing written by the refused save
        b.cases.set_field(case_id, "pob", 5, author="op-b", expected=conflict.current)
        fields = [e.data for e in a.log.entries(case_id) if e.kind.value == "field"]
        assert fields == [{"field": "pob", "old": None, "new": 4},
                          {"field": "pob", "old": 4, "new": 5}]  # fmt: skip
        # the same value saved on both is not a conflict; another field is not either
        assert not a.cases.set_field(case_id, "pob", 5, author="op-a", expected=4)
        a.cases.set_field(case_id, "vessel_name", "Marie-Jo", author="op-a", expected="")
        assert a.check().ok and b.check().ok


def test_phase_and_status_log_the_value_stored_when_another_desk_changed_it(location):
    """Two desks that read the case before either saved: each entry's old value is what the
    log had (read under the case's lock), so db check's replay stays clean."""
    with Desk.open(location) as a, Desk.open(location) as b:
        case_id = _case(a)
        b.cases.get(case_id)
        a.cases.set_phase(case_id, "ALERFA", author="op-a")
        b.cases.set_phase(case_id, "DETRESFA", author="op-b")
        a.cases.set_status(case_id, CaseStatus.CLOSED, author="op-a")
        assert not b.cases.set_status(case_id, CaseStatus.CLOSED, author="op-b")
        phases = [e.data["old"] for e in a.log.entries(case_id) if e.kind.value == "phase"]
        assert phases == ["INCERFA", "ALERFA"]
        assert a.check().ok


def test_a_desk_on_a_file_may_write(desk_path):
    with Desk.open(desk_path) as desk:
        assert (desk.access.role, desk.access.user, desk.read_only) == ("file", None, False)


def test_a_viewer_reads_the_cases_and_every_write_is_refused_in_one_line(pg_desk, pg_server):
    from sarapp.store.pg.location import connect
    from sarapp.store.pg.roles import create_roles

    with Desk.open(pg_desk) as owner:
        case_id = _case(owner)
        assert (owner.access.role, owner.read_only) == ("owner", False)
    with connect(pg_desk) as conn:
        roles = create_roles(conn)
        conn.execute("DROP ROLE IF EXISTS liaison_fr")
        conn.execute(f"CREATE ROLE liaison_fr LOGIN IN ROLE {roles.viewer}")
    with Desk.open(f"{pg_desk} user=liaison_fr") as viewer:
        assert viewer.access == type(viewer.access)("liaison_fr", "viewer", True)
        assert [c.id for c in viewer.cases.list()] == [case_id]
        with pytest.raises(ReadOnlyDesk, match="connected as liaison_fr, a viewer") as refused:
            viewer.log.append(case_id, "note from the liaison officer", author="fr")
        assert "\n" not in str(refused.value)
    with connect(pg_desk) as conn:
        conn.execute("DROP OWNED BY liaison_fr")
        conn.execute("DROP ROLE liaison_fr")
