"""One Desk, two backends: the repositories' operations give the same results on a SQLite
file and on a PostgreSQL database (skipped where no PostgreSQL server can be started), and
the same case read out of either gives the same canonical handover bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sarapp.exchange.body import case_body
from sarapp.exchange.canonical import canonical_bytes
from sarapp.model import AlertPhase, CaseStatus, EntryKind, Position, Rcc, UnitPosition
from sarapp.model_exchange import FieldDifference, PackageRecord
from sarapp.model_report import PlanAreaQuery
from sarapp.store import Desk, DuplicateError, UnitError

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request, desk_path: Path):
    """An empty desk on each backend."""
    location = str(desk_path) if request.param == "sqlite" else request.getfixturevalue("pg_desk")
    with Desk.open(location) as opened:
        assert opened.backend.kind == request.param
        yield opened


def _case(desk: Desk, title: str = "FV Marie-Jo taking water") -> str:
    (case_id,) = desk.cases.create(title=title, author="op1", time=T0).cases
    return case_id


def test_cases_fields_positions_and_log(desk: Desk) -> None:
    case_id = _case(desk)
    case = desk.cases.get(case_id)
    assert (case.number, case.phase, case.created) == ("2026-0001", AlertPhase.INCERFA, T0)
    assert desk.cases.resolve(case.number) == case_id == desk.cases.resolve(case_id[:8].upper())
    desk.cases.set_field(case_id, "pob", "4", author="op1")
    desk.cases.set_phase(case_id, "alerfa", author="op1", reason="overdue")
    lkp = Position(47.5, -3.5, T0 + timedelta(minutes=5), source="reported", accuracy_m=500.0)
    desk.cases.add_position(case_id, lkp, author="op1")
    desk.cases.add_position(case_id, Position(47.6, -3.4), author="op1", as_lkp=False)
    first = desk.log.append(case_id, "Called on VHF 16, no answer", author="op2").entries[0]
    desk.log.append(case_id, "Called on VHF 16, answered", author="op2", corrects=first)
    desk.cases.set_status(case_id, CaseStatus.CLOSED, author="op1", reason="towed in")
    case = desk.cases.get(case_id)
    assert (case.pob, case.phase, case.status, case.lkp) == (
        4, AlertPhase.ALERFA, CaseStatus.CLOSED, lkp)  # fmt: skip
    assert desk.cases.positions(case_id)[0].id == lkp.id  # the report without a time last
    log = desk.log.entries(case_id)
    assert [e.kind for e in log] == [EntryKind.CREATED, EntryKind.FIELD, EntryKind.PHASE,
                                     EntryKind.POSITION, EntryKind.POSITION, EntryKind.NOTE,
                                     EntryKind.CORRECTION, EntryKind.STATUS]  # fmt: skip
    assert log[6].corrects == first and desk.log.entry(first).text.startswith("Called")
    assert [e.seq for e in desk.log.since(case_id, 6)] == [7, 8]
    assert log[1].data == {"field": "pob", "old": None, "new": 4}
    assert desk.cases.list(status=CaseStatus.CLOSED, text="marie-JO") == [case]
    assert desk.cases.list(phase=AlertPhase.DETRESFA) == []
    assert desk.check().ok


def test_search_finds_every_word_with_a_snippet(desk: Desk) -> None:
    case_id = _case(desk)
    desk.log.append(case_id, "Lifeboat Dragon 13 tasked, ETA 40 min", author="op1")
    desk.log.append(case_id, "Dragon 13 on scene", author="op1")
    hits = desk.log.search("dragon tasked")
    assert [h.entry.text for h in hits] == ["Lifeboat Dragon 13 tasked, ETA 40 min"]
    assert "[Dragon]" in hits[0].snippet and hits[0].case_number == "2026-0001"
    assert len(desk.log.search("drag*", case_ref=case_id)) == 2
    assert desk.log.search('" OR *') == []


def test_units_plans_and_drift_runs(desk: Desk) -> None:
    case_id = _case(desk)
    desk.units.add(name="SNS 061", unit_type="lifeboat", mmsi="227006120", speed_kt=25.0)
    with pytest.raises(UnitError, match="exists"):
        desk.units.add(name="SNS 061", unit_type="lifeboat")
    unit = desk.units.get("227006120")
    fix = UnitPosition(unit.id, 47.5, -3.4, T0, "ais", sog_kt=12.0)
    desk.units.add_positions([fix, fix])  # the same report twice is kept once
    assert desk.units.track(unit.id, since=T0) == [fix] and desk.units.mmsis() == {
        "227006120": unit.id}  # fmt: skip
    assert desk.units.track(unit.id, since=T0 + timedelta(seconds=1)) == []
    changes = desk.drift.add(case_id, params={"particles": 500}, forcing={"wind": [1.5, 0.25]},
                             summary={"radius_m": [800.0, 2150.5]}, seed=7, author="op1",
                             text="Drift run kept")  # fmt: skip
    (run,) = desk.drift.runs(case_id)
    assert (run.id, run.seed, run.summary) == (
        changes.drift_runs[0],
        7,
        {"radius_m": [800.0, 2150.5]},
    )
    cache = desk.drift.forcing_cache()
    cache.put("k", b"one")
    cache.put("k", b"two")
    assert cache.get("k") == b"two" and cache.get("other") is None
    tasked = desk.plans.add(case_id, unit="SNS 061", pattern="sector",
                            params={"radius_nm": 2.0}, waypoints=[("CSP", 47.5, -3.4)],
                            start=T0, end=T0 + timedelta(hours=2), pod=0.6, drift_run_id=run.id,
                            author="op1")  # fmt: skip
    (plan,) = desk.plans.for_case(case_id)
    assert (plan.id, plan.unit_id, plan.end, plan.drift_run_id) == (
        tasked.plan_id, unit.id, T0 + timedelta(hours=2), run.id)  # fmt: skip
    desk.plans.set_status(tasked.plan_id[:8], "done", "op1")
    assert desk.plans.get(tasked.plan_id).status == "done"
    assert desk.check().ok


def test_alerts_coordination_trust_and_outbox(desk: Desk) -> None:
    case_id = _case(desk)
    desk.alerts.record(case_id, digest="d1", source_key="beacon:ABC", kind="sit185",
                       text="SIT 185 …", author="op1", data={"hex_id": "ABC"})  # fmt: skip
    assert desk.alerts.seen("d1") == case_id and desk.alerts.seen("d2") is None
    assert desk.alerts.case_of("beacon:ABC") == (case_id, CaseStatus.OPEN)
    desk.coordination.record(case_id, event="coordinating", rcc_id="MRCC-ETEL", time=T0,
                             author="op1", text="MRCC Etel coordinates")  # fmt: skip
    assert desk.coordination.coordinator(case_id) == ("MRCC-ETEL", "", T0)
    assert [e.event for e in desk.coordination.history(case_id)] == ["coordinating"]
    desk_id = desk.trust.desk_id()
    assert desk.trust.desk_id() == desk_id
    desk.trust.set_rcc(Rcc("MRCC-ETEL", "MRCC Etel", "fr"))
    assert desk.trust.identity().rcc == Rcc("MRCC-ETEL", "MRCC Etel", "FR")
    record = PackageRecord("00000000-0000-4000-8000-0000000000c1", "sent", case_id,
                           "information", "MRCC-FALMOUTH", "", "", "ab" * 32, T0)  # fmt: skip
    desk.packages.record(record)
    assert desk.packages.get(record.id) == record
    desk.outbox.queue(package_id=record.id, case_id=case_id, peer_rcc="MRCC-FALMOUTH",
                      url="https://falmouth.example/inbox", content=b"{}")  # fmt: skip
    desk.outbox.record_delivery(record.id, delivered=False, detail="timed out", author="op1")
    (item,) = desk.outbox.items(case_id, pending=True)
    assert (item.state, item.attempts, item.size) == ("failed", 1, 2)
    assert desk.outbox.content(record.id) == b"{}"
    assert desk.check().ok


def test_an_import_and_the_same_canonical_bytes_on_both(desk: Desk, tmp_path: Path) -> None:
    """A case sent by a SQLite desk, taken into this one, reads out as the sender's bytes."""
    with Desk.open(tmp_path / "sender.sqlite") as sender:
        case_id = _case(sender)
        sender.log.append(case_id, "first note", author="opX", data={"k": 1, "f": 2.5})
        sender.cases.add_position(case_id, Position(50.0, -1.0, T0, "reported"), author="opX")
        case = sender.cases.get(case_id)
        sent, positions = sender.log.entries(case_id), sender.cases.positions(case_id)
        body = case_body(sender, case_id)
    record = PackageRecord("00000000-0000-4000-8000-0000000000d1", "received", case.id,
                           "information", "MRCC-ETEL", "", "valid", "cd" * 32, T0)  # fmt: skip
    conflict = FieldDifference("vessel_name", "A", "B")
    result = desk.packages.import_case(case=case, new_case=True, entries=sent, kinds={},
                                       positions=positions, conflicts=[conflict],
                                       package=record, author="op", summary="Imported",
                                       sender_checkpoint={"key": "K", "seq": 3})  # fmt: skip
    assert result.created and result.rechained == 0
    assert desk.packages.sender_checkpoints(case.id, "K") == [{"key": "K", "seq": 3}]
    again = dict(case=case, new_case=False, entries=(), kinds={}, positions=(), author="op",
                 summary="Again", conflicts=[conflict])  # fmt: skip
    record_2 = PackageRecord(**{**record.__dict__, "id": record.id[:-1] + "2"})
    desk.packages.import_case(package=record_2, **again)  # the conflict is not logged twice
    assert sum("import_conflict" in e.data for e in desk.log.entries(case.id)) == 1
    kept = case_body(desk, case.id)
    assert canonical_bytes(kept["log"][: len(sent)]) == canonical_bytes(body["log"])
    assert canonical_bytes(kept["positions"]) == canonical_bytes(body["positions"])
    local = ("number", "updated")
    assert canonical_bytes({k: v for k, v in kept["case"].items() if k not in local}) == (
        canonical_bytes({k: v for k, v in body["case"].items() if k not in local}))  # fmt: skip
    assert desk.check().ok


def test_report_rows(desk: Desk) -> None:
    case_id = _case(desk)
    desk.cases.set_phase(case_id, "DETRESFA", author="op1")
    desk.trust.set_rcc(Rcc("MRCC-ETEL", "MRCC Etel", "FR"))
    desk.units.add(name="Dragon 56", unit_type="helicopter")
    unit = desk.units.get("Dragon 56")
    desk.units.add_positions([UnitPosition(unit.id, 47.5, -3.4, T0 + timedelta(minutes=30))])
    tasked = desk.plans.add(case_id, unit=unit.name, pattern="track-line", params={},
                            waypoints=[("CSP", 47.4, -3.5), ("WP1", 47.6, -3.3)], start=T0,
                            end=T0 + timedelta(hours=1), pod=None, drift_run_id=None,
                            author="op1")  # fmt: skip
    with desk.reports.period(T0 - timedelta(days=1), T0 + timedelta(days=400)) as period:
        (row,) = desk.reports.cases(period)
        events = desk.reports.events(period)
        (plan,) = desk.reports.plans(period)
    assert (row.id, row.number, row.created) == (case_id, "2026-0001", T0)
    assert [(e.kind, e.data["new"]) for e in events] == [("phase", "DETRESFA")]
    assert (plan.id, plan.unit_type, plan.waypoints) == (
        tasked.plan_id, "helicopter", ((47.4, -3.5), (47.6, -3.3)))  # fmt: skip
    area = PlanAreaQuery(plan.id, unit.id, 47.0, -4.0, 48.0, -3.0, T0, T0 + timedelta(hours=1))
    assert [(f.plan_id, f.lat) for f in desk.reports.unit_fixes([area])] == [(plan.id, 47.5)]
    assert [r.rcc_id for r in desk.reports.rccs()] == ["MRCC-ETEL"]


def test_a_repeated_unique_value_is_a_duplicate_error(desk: Desk) -> None:
    record = PackageRecord("00000000-0000-4000-8000-0000000000e1", "sent", None, "sitrep", "",
                           "", "", "ef" * 32, T0)  # fmt: skip
    desk.packages.record(record)
    with pytest.raises(DuplicateError):
        desk.packages.record(record)


def test_the_persons_register_and_its_purge_on_either_backend(desk: Desk) -> None:
    """The register's SQL is written once: counts, records (a time of recovery), a bulk
    status, personal content beside the log, a disclosure, the purge, on both backends."""
    from sarapp.privacy import Disclosure, Purpose
    from sarapp.store.purge import purge

    case_id = _case(desk, "Boat, 40 POB")
    desk.persons.set_counts(case_id, {"on_board": 40, "rescued": 30}, author="op1")
    desk.persons.add(case_id, {"name": "Ama Owusu", "sex": "F", "age": "12",
                               "status": "missing", "recovered": "2026-11-28T10:00:00Z"},
                     author="op1")  # fmt: skip
    desk.persons.add(case_id, {"name": "Kofi", "status": "rescued"}, author="op1")
    desk.persons.set_status(case_id, ["P1"], "rescued", author="op1")
    desk.privacy.append_note(case_id, "Ama's mother called", author="op1")
    register = desk.persons.register(case_id)
    assert [(p.label, p.name, p.status) for p in register.persons] == [
        ("P1", "Ama Owusu", "rescued"), ("P2", "Kofi", "rescued")]  # fmt: skip
    assert register.persons[0].recovered == "2026-11-28T10:00:00.000000Z"
    assert (register.counts.total["rescued"], register.counts.total["minors"]) == (31, 1)
    person = desk.persons.person(register.persons[0].id[:8])
    desk.privacy.record_disclosure(case_id, disclosure=Disclosure(Purpose.MEDICAL, True),
                                   kind="export", recipient="Hospital", subjects=[person.id],
                                   author="op1")  # fmt: skip
    assert [d.recipient for d in desk.privacy.disclosures(subject=person.id)] == ["Hospital"]
    desk.cases.set_status(case_id, CaseStatus.CLOSED, author="op1", outcome="rescued")
    assert desk.cases.get(case_id).outcome == "rescued"
    (purged,) = purge(desk.persons, author="op1", older_than_days=0).cases
    assert (purged.persons, purged.entries) == (2, 3)
    after = desk.persons.register(case_id)
    assert {(p.name, p.personal) for p in after.persons} == {("[purged]", "purged")}
    assert after.counts.total == register.counts.total
    assert {c.state for c in desk.privacy.contents(case_id).values()} == {"purged"}
