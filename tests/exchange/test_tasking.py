"""Units and their tasks travel with the case (format v3): A → B → A loses nothing, units are
matched by UUID, MMSI or name and keep their local fields, unit positions are never doubled,
a search reported done on one desk is learnt by the other; refused packages write nothing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sarapp.exchange import keys
from sarapp.exchange.apply import import_package, preview_import
from sarapp.exchange.errors import PackageError
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.reader import read_package
from sarapp.exchange.tasking import tasking_body
from sarapp.exchange.tasking_merge import KEPT_FINAL, TOOK_INCOMING
from sarapp.exchange.workflow import send_case
from sarapp.model import UnitPosition
from sarapp.store import Desk, HandoverError

from .conftest import ETEL, FALMOUTH, T0, trusting
from .helpers import add_tasking, as_bytes, copy, export, resign


@pytest.fixture(autouse=True)
def _rccs_trust_each_other(keys_b: DeskKeys) -> None:
    """A and B have trusted each other's keys (``keys_b`` sets that up)."""


def dump(store: Desk) -> list[str]:
    return list(store.conn.iterdump())


def send(source: Desk, case_id: str, signer: DeskKeys, to: keys.Rcc) -> bytes:
    return send_case(source, case_id, keys=signer, to=to, author="op").content


def receive(target: Desk, content: bytes, receiver: DeskKeys):
    """Import into ``target`` (whose trust list, not ``receiver``, decides)."""
    return import_package(target, read_package(content, trust=desk_trust(target)), author="op")


def unit_map(a: Desk, b: Desk) -> dict[str, str]:
    """A's unit id → B's, matched as the import matches them (here: by name)."""
    return {u.id: b.units.get(u.name).id for u in a.units.all()}


def assert_same_tasking(a: Desk, b: Desk, case_id: str, skip_fields=("home_base",)) -> None:
    """Every field of every plan (unit ids through the match), of every unit the plans task
    (but ``skip_fields``, which differ on purpose), and every unit position since the case
    opened."""
    ids = unit_map(a, b)
    plans_a, plans_b = a.plans.for_case(case_id), b.plans.for_case(case_id)
    assert len(plans_a) == 3
    assert [dataclasses.replace(p, unit_id=ids.get(p.unit_id)) for p in plans_a] == plans_b
    since = datetime(2026, 11, 28, 12, tzinfo=UTC)
    for unit_a in a.units.all():
        unit_b = b.units.get(ids[unit_a.id])
        for field in dataclasses.fields(unit_a):
            if field.name not in ("id", *skip_fields):
                assert getattr(unit_a, field.name) == getattr(unit_b, field.name), field.name
        track_a = [dataclasses.replace(p, unit_id=unit_b.id)
                   for p in a.units.track(unit_a.id, since=since)]  # fmt: skip
        assert track_a == b.units.track(unit_b.id, since=since)


@pytest.fixture
def desk_b(tmp_path: Path, empty_desk_file: Path):
    """Desk B already knows the lifeboat: same MMSI, its own UUID, another home base."""
    path = tmp_path / "b.sqlite"
    path.write_bytes(empty_desk_file.read_bytes())
    with Desk.open(path) as opened:
        opened.units.add(name="sns 061", unit_type="lifeboat", mmsi="227006120", speed_kt=25.0,
                        endurance_h=10.0, home_base="Lorient")  # fmt: skip
        yield opened


def test_the_body_carries_the_plans_and_the_units_they_task(desk) -> None:
    store, case_id = desk
    ids = add_tasking(store, case_id)
    body = tasking_body(store, store.cases.get(case_id), until=T0 + timedelta(minutes=35))
    assert [p["id"] for p in body["plans"]] == [
        ids["plan_lifeboat"], ids["plan_helicopter"], ids["plan_by_name"]]  # fmt: skip
    lifeboat, helicopter = body["units"]  # the fishing vessel is tasked by name only
    assert lifeboat == {
        "id": ids["lifeboat"],
        "name": "SNS 061",
        "unit_type": "lifeboat",
        "call_sign": "",
        "mmsi": "227006120",
        "speed_kt": 25.0,
        "endurance_h": 10.0,
        "home_base": "Etel",
        "positions": [
            {
                "time": "2026-11-28T12:20:00.000000Z",
                "lat": 47.55,
                "lon": -3.3,
                "source": "ais",
                "sog_kt": 22.5,
                "cog_deg": 250.0,
                "heading_deg": 248.0,
                "altitude_m": None,
            }
        ],
    }  # fmt: skip  (before the case opened, or after `until`: not carried)
    assert helicopter["call_sign"] == "FDRAG" and helicopter["positions"][0]["altitude_m"] == 150
    plan = body["plans"][0]
    assert (plan["unit_id"], plan["drift_run_id"], plan["status"], plan["pod"]) == (
        ids["lifeboat"], ids["run"], "planned", 0.78)  # fmt: skip
    assert plan["waypoints"][0] == {"name": "CSP", "lat": 47.51, "lon": -3.47}
    assert plan["start"] == "2026-11-28T13:00:00.000000Z" and plan["params"]["legs"] == 12
    assert body["plans"][2]["unit_id"] is None and body["plans"][2]["start"] is None


def test_round_trip_a_b_a_with_units_and_plans(desk, desk_b, keys_a, keys_b) -> None:
    a, case_id = desk
    b = desk_b
    ids = add_tasking(a, case_id)
    lifeboat_b = b.units.get("SNS 061").id

    first = receive(b, send(a, case_id, keys_a, FALMOUTH), keys_b)
    assert first.added_units == (ids["helicopter"],)  # registered with its own UUID
    assert first.added_unit_positions == 3 and len(first.added_plans) == 3
    assert b.units.get("SNS 061").home_base == "Lorient" and b.units.get("SNS 061").id == lifeboat_b
    conflicts = {c.field: (c.local, c.incoming, c.decision) for c in first.conflicts}
    assert conflicts["unit sns 061 name"] == ("sns 061", "SNS 061", "kept local value")
    assert conflicts["unit sns 061 home_base"] == ("Lorient", "Etel", "kept local value")
    logged = [
        e.data["import_conflict"] for e in b.log.entries(case_id) if "import_conflict" in e.data
    ]
    assert {
        "field": "unit sns 061 home_base",
        "local": "Lorient",
        "incoming": "Etel",
        "decision": "kept local value",
        "package_id": logged[0]["package_id"],
    } in logged
    assert b.plans.get(ids["plan_lifeboat"]).unit_id == lifeboat_b  # the local unit
    assert b.plans.get(ids["plan_lifeboat"]).drift_run_id == ids["run"]
    assert_same_tasking(a, b, case_id, skip_fields=("home_base", "name"))

    b.plans.set_status(ids["plan_helicopter"], "done", author="opB")
    b.units.add_positions([UnitPosition(ids["helicopter"], 47.42, -3.2,
                                       T0 + timedelta(minutes=50), "reported")])  # fmt: skip
    back = receive(a, send(b, case_id, keys_b, ETEL), keys_a)
    assert back.added_units == () and back.added_plans == () and back.rechained == 0
    assert back.added_unit_positions == 1  # B's new report; the rest were A's already
    assert back.updated_plans == (ids["plan_helicopter"],)
    conflicts = {c.field: (c.local, c.incoming, c.decision) for c in back.conflicts}
    key = f"search plan {ids['plan_helicopter']} status"
    assert conflicts[key] == ("planned", "done", TOOK_INCOMING)
    assert conflicts["unit SNS 061 home_base"] == ("Etel", "Lorient", "kept local value")
    assert a.plans.get(ids["plan_helicopter"]).status == "done"
    assert a.units.get("SNS 061").home_base == "Etel"
    assert_same_tasking(a, b, case_id, skip_fields=("home_base", "name"))
    assert len(a.units.track(ids["lifeboat"])) == 3  # nothing doubled (one before the case)
    assert a.check().ok and b.check().ok


def test_reimport_changes_nothing_and_done_outranks_planned(desk, desk_b, keys_a, keys_b):
    a, case_id = desk
    b = desk_b
    ids = add_tasking(a, case_id)
    content = send(a, case_id, keys_a, FALMOUTH)
    receive(b, content, keys_b)
    before = dump(b)
    assert receive(b, content, keys_b).already_imported and dump(b) == before
    b.plans.set_status(ids["plan_lifeboat"], "done", author="opB")
    # A, still holding the plan as planned, sends again: B keeps "done" and says so.
    again = send(a, case_id, keys_a, FALMOUTH)
    plan = preview_import(b, read_package(again, trust=trusting(keys_a, keys_b)))
    assert plan.plan.tasking.is_empty  # no unit, position or plan to add, no status to set
    status = [c for c in plan.conflicts if c.field.endswith(" status")]
    assert [(c.local, c.incoming, c.decision) for c in status] == [
        ("done", "planned", KEPT_FINAL)]  # fmt: skip
    # A's own package back at A changes nothing.
    assert preview_import(a, read_package(content, trust=trusting(keys_a))).plan.is_empty


def test_units_match_by_uuid_then_mmsi_then_name(desk, desk_b, keys_a, keys_b) -> None:
    a, case_id = desk
    ids = add_tasking(a, case_id)
    b = desk_b
    b.units.add(name="DRAGON 56", unit_type="helicopter", call_sign="FDRAG", speed_kt=120,
               endurance_h=3.5, home_base="Lorient")  # fmt: skip
    result = receive(b, send(a, case_id, keys_a, FALMOUTH), keys_b)
    assert result.added_units == ()  # the lifeboat by MMSI, the helicopter by name
    assert b.plans.get(ids["plan_helicopter"]).unit_id == b.units.get("dragon 56").id
    assert {u.name for u in b.units.all()} == {"sns 061", "DRAGON 56"}


@pytest.mark.parametrize(
    ("alter", "message"),
    [
        (lambda d: d["body"]["units"][0].update(mmsi="12345"), "unit 'SNS 061'"),
        (lambda d: d["body"]["units"][0].update(speed_kt=0), "speed_kt must be positive"),
        (
            lambda d: d["body"]["plans"][0].update(unit_id=d["header"]["package_id"]),
            "its unit is not among the units",
        ),
        (lambda d: d["body"]["plans"].append(d["body"]["plans"][0]), "plan id appears twice"),
        (
            lambda d: d["body"]["plans"][2].update(
                end="2026-11-28T11:00:00Z", start="2026-11-28T12:00:00Z"
            ),
            "ends before",
        ),
        (lambda d: d["body"]["plans"][1].update(waypoints=[]), "commence-search point"),
        (lambda d: d["body"]["plans"][0].update(status="lost"), "status"),
        (
            lambda d: d["body"]["units"].append(
                {**d["body"]["units"][0], "id": d["header"]["package_id"]}
            ),
            "the same unit name appears twice",
        ),
    ],
)
def test_bad_units_or_plans_refuse_the_package(desk, desk_b, keys_a, alter, message) -> None:
    a, case_id = desk
    add_tasking(a, case_id)
    document = copy(export(a, case_id, keys_a))
    alter(document)
    before = dump(desk_b)
    with pytest.raises(PackageError, match=message):
        import_package(desk_b, read_package(resign(document, keys_a), trust=trusting(keys_a)),
                       author="op")  # fmt: skip
    assert dump(desk_b) == before


def test_a_plan_id_of_another_case_refuses_the_whole_import(desk, desk_b, keys_a) -> None:
    a, case_id = desk
    ids = add_tasking(a, case_id)
    other = next(iter(desk_b.cases.create(title="Other case", author="opB").cases))
    taken = desk_b.plans.add(other, unit="SNS 061", pattern="sector", params={},
                                   waypoints=[("CSP", 47.0, -3.0)], start=None, end=None,
                                   pod=None, drift_run_id=None, author="opB").plan_id  # fmt: skip
    document = copy(export(a, case_id, keys_a))
    document["body"]["plans"][2]["id"] = taken
    before = dump(desk_b)
    with pytest.raises(HandoverError, match=f"search plan {taken} already exists"):
        receive(desk_b, resign(document, keys_a), keys_a)
    assert dump(desk_b) == before and ids


def test_unsigned_change_to_a_plan_is_refused(desk, keys_a) -> None:
    a, case_id = desk
    add_tasking(a, case_id)
    document = copy(export(a, case_id, keys_a))
    document["body"]["plans"][0]["status"] = "done"
    read = read_package(as_bytes(document), trust=trusting(keys_a))
    assert read.signature.status.value == "invalid"
