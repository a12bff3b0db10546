"""HandoverStore: coordination history, packages, and import_case written from domain values."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from sarapp.model import EntryKind, LogEntry, Position, Unit, UnitId, UnitPosition, UnitType
from sarapp.model_exchange import FieldDifference, PackageRecord, TaskingImport
from sarapp.model_plans import PlanWaypoint, SearchPlanRecord
from sarapp.store import Desk, HandoverError, StoreError
from sarapp.store.chain_writer import original_entry

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _record(package_id: str = "p1", digest: str = "d" * 64) -> PackageRecord:
    return PackageRecord(package_id, "received", None, "information", "MRCC-X", "ab12", "ok",
                         digest, T0)  # fmt: skip


def _new_case(store: Desk) -> str:
    return next(iter(store.cases.create(title="Yacht aground", author="op", time=T0).cases))


def test_no_coordinator_until_one_is_recorded(store: Desk) -> None:
    case_id = _new_case(store)
    assert (
        store.coordination.coordinator(case_id) is None
        and store.coordination.history(case_id) == []
    )
    store.coordination.record(case_id, event="coordinating", rcc_id="MRCC-A", rcc_name="A",
                              time=T0, author="op", text="A coordinates")  # fmt: skip
    store.coordination.record(case_id, event="proposed", rcc_id="MRCC-B", package_id="p1",
                              time=T0 + timedelta(hours=1), author="op",
                              text="proposed to B")  # fmt: skip
    assert store.coordination.coordinator(case_id) == (
        "MRCC-A",
        "A",
        T0,
    )  # a proposal changes nothing
    later = T0 + timedelta(hours=2)
    store.coordination.record(case_id, event="declined", rcc_id="MRCC-B", time=later,
                              author="op", text="B declines")  # fmt: skip
    assert store.coordination.coordinator(case_id).rcc_id == "MRCC-A"
    store.coordination.record(case_id, event="accepted", rcc_id="MRCC-C", rcc_name="C",
                              time=later, author="op", text="C accepts")  # fmt: skip
    rcc_id, rcc_name, since = store.coordination.coordinator(case_id)
    assert (rcc_id, rcc_name, since) == ("MRCC-C", "C", later)
    history = store.coordination.history(case_id)
    assert [e.event for e in history] == ["coordinating", "proposed", "declined", "accepted"]
    assert store.log.entry(history[1].entry_id).data["coordination"]["package_id"] == "p1"
    assert store.check().ok


def test_unknown_events_and_empty_rcc_are_refused(store: Desk) -> None:
    case_id = _new_case(store)
    with pytest.raises(HandoverError, match="unknown coordination event"):
        store.coordination.record(case_id, event="stolen", rcc_id="X", author="op", text="t")
    with pytest.raises(HandoverError, match="RCC's id"):
        store.coordination.record(case_id, event="proposed", rcc_id=" ", author="op", text="t")
    assert len(store.log.entries(case_id)) == 1


def test_packages_are_recorded_once(store: Desk) -> None:
    assert store.packages.get("p1") is None
    store.packages.record(_record())
    assert store.packages.get("p1") == _record()
    with pytest.raises(StoreError):
        store.packages.record(_record())


def test_import_case_chains_verbatim_then_afresh(store: Desk, tmp_path) -> None:
    """Entries from another desk: the first fits this desk's chain exactly, after a local
    entry the next ones are re-chained with the sender's seq, prev_hash and hash kept."""
    with Desk.open(tmp_path / "sender.sqlite") as sender:
        case_id = _new_case(sender)
        sender.log.append(case_id, "first note", author="opX", data={"k": 1})
        sender.cases.add_position(
            case_id, Position(50.0, -1.0, T0, source="reported"), author="opX"
        )
        case, sent, positions = (sender.cases.get(case_id), sender.log.entries(case_id),
                                 sender.cases.positions(case_id))  # fmt: skip
    kinds = {e.id: e.kind.value for e in sent}
    result = store.packages.import_case(case=case, new_case=True, entries=sent[:2], kinds=kinds,
                               positions=positions, conflicts=(), package=_record(),
                               author="op", summary="Imported")  # fmt: skip
    assert result.created and result.rechained == 0 and store.log.entries(case_id)[:2] == sent[:2]
    assert store.cases.get(case_id).lkp == case.lkp and store.cases.get(case_id).number
    conflict = FieldDifference("pob", 3, 4)
    result = store.packages.import_case(case=case, new_case=False, entries=sent[2:], kinds=kinds,
                               positions=(), conflicts=(conflict,),
                               package=_record("p2", "e" * 64), author="op",
                               summary="Imported")  # fmt: skip
    assert result.rechained == 1 and result.conflicts == (conflict,)
    here = store.log.entry(sent[2].id)
    assert here.seq == 4 and here.hash != sent[2].hash  # after the first import's own line
    assert original_entry(here) == {"seq": 3, "prev_hash": sent[2].prev_hash,
                                    "hash": sent[2].hash, "kind": "position",
                                    "data": sent[2].data}  # fmt: skip
    assert store.log.entries(case_id)[-1].data["import_conflict"]["decision"] == "kept local value"
    assert store.check().ok


def test_a_package_id_reused_for_other_content_is_refused(store: Desk) -> None:
    store.packages.record(_record())
    case = store.cases.get(_new_case(store))
    before = len(store.log.entries(case.id))
    with pytest.raises(HandoverError, match="already received"):
        store.packages.import_case(case=case, new_case=False, entries=(), kinds={},
                                   positions=(), conflicts=(), package=_record(digest="f" * 64),
                                   author="op", summary="x")  # fmt: skip
    again = store.packages.import_case(case=case, new_case=False, entries=(), kinds={},
                                       positions=(), conflicts=(), package=_record(),
                                       author="op", summary="x")  # fmt: skip
    assert again.already_imported and len(store.log.entries(case.id)) == before


def test_a_failing_entry_rolls_the_whole_import_back(store: Desk) -> None:
    case = store.cases.get(_new_case(store))
    other = dataclasses.replace(case, id="00000000-0000-4000-8000-000000000001", number="x")
    bad = LogEntry("e1", other.id, 1, T0, "op", EntryKind.NOTE, "t", corrects="missing-entry")
    before = list(store.conn.iterdump())
    with pytest.raises(StoreError):  # the entry corrects an entry that does not exist
        store.packages.import_case(case=other, new_case=True, entries=(bad,), kinds={},
                                   positions=(), conflicts=(), package=_record(), author="op",
                                   summary="x")  # fmt: skip
    assert list(store.conn.iterdump()) == before


def test_import_case_writes_units_positions_plans_and_done_statuses(store: Desk) -> None:
    """Units keep their UUID, plans every field; a status only moves on from 'planned'; a plan
    id of another case rolls the whole import back."""
    case = store.cases.get(_new_case(store))
    unit = Unit(UnitId("00000000-0000-4000-8000-0000000000a1"), "Lifeboat X", UnitType.LIFEBOAT,
                mmsi="227006120", speed_kt=25.0, home_base="Etel")  # fmt: skip
    track = (UnitPosition(unit.id, 47.5, -3.4, T0, "ais", sog_kt=12.0),)
    plan = SearchPlanRecord("00000000-0000-4000-8000-0000000000b1", case.id, unit.id, unit.name,
                            "sector", {"radius_nm": 2.0}, (PlanWaypoint("CSP", 47.5, -3.4),),
                            T0, T0 + timedelta(hours=1), 0.6, None, "planned", T0,
                            "opX")  # fmt: skip
    tasking = TaskingImport(units=(unit,), unit_positions=track, plans=(plan,))
    result = store.packages.import_case(case=case, new_case=False, entries=(), kinds={},
                                        positions=(), conflicts=(), package=_record(),
                                        author="op", summary="Imported",
                                        tasking=tasking)  # fmt: skip
    assert result.added_units == (unit.id,) and result.added_plans == (plan.id,)
    assert store.units.get(unit.id) == unit and store.units.track(unit.id) == list(track)
    assert store.plans.for_case(case.id) == [plan]
    assert store.log.entries(case.id)[-1].data["handover"]["added_unit_positions"] == 1
    done = TaskingImport(plan_statuses=((plan.id, "done"),))
    store.packages.import_case(case=case, new_case=False, entries=(), kinds={}, positions=(),
                      conflicts=(), package=_record("p2", "e" * 64), author="op", summary="x",
                      tasking=done)  # fmt: skip
    back = TaskingImport(plan_statuses=((plan.id, "planned"),))
    store.packages.import_case(case=case, new_case=False, entries=(), kinds={}, positions=(),
                      conflicts=(), package=_record("p3", "c" * 64), author="op", summary="x",
                      tasking=back)  # fmt: skip
    assert store.plans.get(plan.id).status == "done"  # never back to planned
    other = store.cases.get(_new_case(store))
    clash = TaskingImport(units=(dataclasses.replace(unit, id="u2", name="Y", mmsi=""),),
                          plans=(dataclasses.replace(plan, case_id=other.id),))  # fmt: skip
    before = list(store.conn.iterdump())
    with pytest.raises(HandoverError, match="already exists here in another case"):
        store.packages.import_case(case=other, new_case=False, entries=(), kinds={}, positions=(),
                          conflicts=(), package=_record("p4", "a" * 64), author="op",
                          summary="x", tasking=clash)  # fmt: skip
    assert list(store.conn.iterdump()) == before
    assert store.check().ok
