"""Sync between a field laptop and its centre over a link (issue 14), desk file to desk file:
both ways by UUID with nothing lost or doubled, conflicts held on both desks until an officer
decides, and a second run that changes nothing."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from sarapp.exchange.errors import SyncError
from sarapp.exchange.sync_conflicts import open_conflicts, resolve
from sarapp.model import Position, UnitPosition
from sarapp.store import Desk

from .conftest import T0, build_case
from .helpers import add_tasking
from .sync_helpers import ETEL, FIELD, dump, named_desk, same_cases, sync


@pytest.fixture
def centre(tmp_path: Path, desk_path: Path, keys_dir: Path):
    with named_desk(desk_path, ETEL, keys_dir) as desk:
        yield desk


@pytest.fixture
def laptop(tmp_path: Path, empty_desk_file: Path, keys_dir: Path):
    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(empty_desk_file, path)
    with named_desk(path, FIELD, keys_dir) as desk:
        yield desk


@pytest.fixture
def carried(centre: Desk, laptop: Desk) -> list[str]:
    """Two cases of the centre, the first with units, a drift run and plans, given to the
    laptop and taken on it by a first sync."""
    first = build_case(centre)
    add_tasking(centre, first)
    second = next(iter(centre.cases.create(title="Kayaker overdue", author="op1").cases))
    centre.sync.give(FIELD.id, [first, second], author="smc")
    sync(laptop, centre)
    return [first, second]


def test_cases_given_to_a_laptop_are_taken_whole_by_its_first_sync(centre, laptop, carried):
    same_cases(centre, laptop, carried)
    for case_id in carried:
        case = laptop.cases.get(case_id)
        assert case.origin_rcc == ETEL.id and case.origin_number == centre.cases.get(case_id).number
    assert laptop.check().ok and centre.check().ok


def test_a_sync_unites_both_sides_work_with_nothing_lost_or_doubled(centre, laptop, carried):
    first, second = carried
    plan = laptop.plans.for_case(first)[0]
    # In the field: notes, a position, a search reported done, a new drift run.
    for n in range(5):
        laptop.log.append(first, f"Team: sector {n} searched", author="team")
    laptop.cases.add_position(first, Position(47.6, -3.3, T0, source="sru"), author="team")
    laptop.plans.set_status(plan.id, "done", "team")
    laptop.drift.add(first, params={"object": "PIW-1"}, forcing={}, summary={"datum": []},
                     seed=9, author="team", text="Drift rerun")  # fmt: skip
    # At the centre meanwhile: notes, a field, the lifeboat's AIS track grows.
    centre.log.append(first, "Centre: MRCC Falmouth informed", author="smc")
    centre.cases.set_field(second, "nature", "kayak", author="smc")
    lifeboat = centre.units.get("SNS 061")
    centre.units.add_positions(
        [UnitPosition(lifeboat.id, 47.5, -3.4, T0 + timedelta(hours=1), "ais")]
    )

    report = sync(laptop, centre)

    same_cases(centre, laptop, carried)
    assert laptop.plans.get(plan.id).status == centre.plans.get(plan.id).status == "done"
    assert laptop.cases.get(second).nature == "kayak"
    came = {r.case_id: r.came for r in report.cases}
    went = {r.case_id: r.went for r in report.cases}
    assert went[first].entries == 8 and went[first].positions == 1 and went[first].drift_runs == 1
    assert came[first].entries == 2  # the centre's note, and its record of the search done
    assert came[first].unit_positions == 1
    assert came[second].updated_fields == ("nature",)
    assert laptop.check().ok and centre.check().ok


def test_a_second_sync_changes_nothing(centre, laptop, carried):
    laptop.log.append(carried[0], "Team: on scene", author="team")
    centre.log.append(carried[0], "Centre: noted", author="smc")
    sync(laptop, centre)
    before = dump(laptop), dump(centre)
    report = sync(laptop, centre)
    assert (dump(laptop), dump(centre)) == before
    assert all(r.came.is_empty and r.went.is_empty for r in report.cases)


def test_a_field_changed_on_both_sides_is_a_conflict_on_both_until_an_officer_decides(
    centre, laptop, carried
):
    case_id = carried[0]
    laptop.cases.set_field(case_id, "pob", "5", author="team")
    centre.cases.set_field(case_id, "pob", "6", author="smc")

    report = sync(laptop, centre)

    assert laptop.cases.get(case_id).pob == 5 and centre.cases.get(case_id).pob == 6  # kept
    (came,) = [r.came for r in report.cases if r.case_id == case_id]
    (conflict,) = came.conflicts
    assert (conflict["field"], conflict["local"], conflict["incoming"]) == ("pob", 5, 6)
    assert conflict["local_by"].startswith("team, ") and conflict["incoming_by"].startswith("smc, ")
    for desk, here, there in ((laptop, 5, 6), (centre, 6, 5)):
        (open_,) = open_conflicts(desk, case_id)
        assert (open_.field, open_.here, open_.there) == ("pob", here, there)
        logged = [e for e in desk.log.entries(case_id) if "import_conflict" in e.data]
        assert len(logged) == 2  # its own, and the other desk's (both ways, once each)
    same_cases(centre, laptop, carried, differ=("pob",))
    before = dump(laptop), dump(centre)
    sync(laptop, centre)  # nothing new: the conflict stays, logged once
    assert (dump(laptop), dump(centre)) == before

    resolve(centre, case_id, "pob", 6, author="smc")  # the officer keeps the centre's count
    sync(laptop, centre)
    assert laptop.cases.get(case_id).pob == centre.cases.get(case_id).pob == 6
    assert open_conflicts(laptop, case_id) == [] and open_conflicts(centre, case_id) == []
    same_cases(centre, laptop, carried)
    assert laptop.check().ok and centre.check().ok


def test_a_laptop_syncs_only_the_cases_it_was_given(centre, laptop, carried):
    other = next(iter(centre.cases.create(title="Not for the team", author="op1").cases))
    with pytest.raises(SyncError, match="not given to laptop FIELD-1"):
        sync(laptop, centre, cases=[other])
    centre.sync.withdraw(FIELD.id, [carried[1]], author="smc")
    laptop.log.append(carried[1], "Team: still looking", author="team")
    report = sync(laptop, centre)
    assert [r.case_id for r in report.cases] == [carried[0]]
    assert report.withdrawn == (carried[1],)
    assert "Team: still looking" not in [e.text for e in centre.log.entries(carried[1])]


def test_a_desk_without_a_name_cannot_sync(centre, tmp_path, empty_desk_file):
    path = tmp_path / "nameless.sqlite"
    shutil.copyfile(empty_desk_file, path)
    with Desk.open(path) as nameless, pytest.raises(SyncError, match="no name yet"):
        sync(nameless, centre)


def test_the_persons_the_team_logs_reach_the_centres_register(centre, laptop, carried):
    """The register is rebuilt from the merged log on the receiving desk, as after a handover
    import; the names and personal notes go with it (the team and its centre coordinate the
    same rescue), each side accounting for what it passed on."""
    first = carried[0]
    laptop.persons.set_counts(first, {"on_board": 3, "rescued": 2, "missing": 1}, author="team")
    for name, status in (("Touré", "rescued"), ("Diallo", "missing")):
        laptop.persons.add(first, {"name": name, "status": status}, author="team")
    (note,) = laptop.privacy.append_note(
        first, "Touré: hypothermic, wife in Dakar", author="team"
    ).entries
    sync(laptop, centre)
    here, there = laptop.persons.register(first), centre.persons.register(first)
    assert there.counts == here.counts
    assert [(p.id, p.status) for p in there.persons] == [(p.id, p.status) for p in here.persons]
    assert [p.personal for p in there.persons] == ["held", "held"]
    assert [p.personal_values()["name"] for p in there.persons] == ["Touré", "Diallo"]
    assert centre.privacy.content(note).text == "Touré: hypothermic, wife in Dakar"
    (sent,) = laptop.privacy.disclosures(first)
    assert (sent.kind, sent.purpose, sent.author) == (
        "export",
        "coordination",
        "opL",
    )  # who ran the sync
    assert set(sent.subjects) == {p.id for p in here.persons} | {f"entry:{note}"}
    assert "centre" in sent.recipient and not centre.privacy.disclosures(first)
    assert laptop.check().ok and centre.check().ok
    centre.privacy.append_note(first, "Diallo's brother called: phone +221 77 000 00 00",
                               author="smc")  # fmt: skip
    sync(laptop, centre)  # and back to the team, accounted for by the centre
    assert [d.recipient for d in centre.privacy.disclosures(first)] == ["laptop FIELD-1 (sync)"]
    held = [c.text for c in laptop.privacy.contents(first).values() if c.state == "held"]
    assert "Diallo's brother called: phone +221 77 000 00 00" in held
    before = dump(laptop), dump(centre)
    sync(laptop, centre)
    assert (dump(laptop), dump(centre)) == before
