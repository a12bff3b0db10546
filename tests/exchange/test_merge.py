"""The merge plan: new case, missing entries, conflicting fields; nothing is written."""

from __future__ import annotations

from pathlib import Path

from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.merge import plan_import
from sarapp.exchange.reader import read_package
from sarapp.model import Position
from sarapp.store import Desk

from .helpers import as_bytes, export


def _body(store: Desk, case_id: str, signer: DeskKeys) -> dict:
    return read_package(as_bytes(export(store, case_id, signer)), trust=None).body


def test_unknown_case_is_new_with_all_its_entries(desk, keys_a: DeskKeys, tmp_path: Path) -> None:
    store, case_id = desk
    body = _body(store, case_id, keys_a)
    with Desk.open(tmp_path / "b.sqlite") as other:
        plan = plan_import(other, body)
        assert other.cases.list() == []  # planning writes nothing
    assert plan.new_case and plan.case_id == case_id
    assert [e.id for e in plan.new_entries] == [e.id for e in store.log.entries(case_id)]
    assert len(plan.new_positions) == 3
    assert plan.conflicts == () and not plan.is_empty


def test_the_same_package_against_its_own_desk_changes_nothing(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    plan = plan_import(store, _body(store, case_id, keys_a))
    assert plan.is_empty and not plan.new_case


def test_entries_the_desk_lacks_and_differing_fields(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    old_body = _body(store, case_id, keys_a)
    store.log.append(case_id, "Helicopter on scene", author="op1")
    store.cases.add_position(case_id, Position(47.6, -3.4, source="sru"), author="op1")
    store.cases.set_field(case_id, "pob", "5", author="op1")
    newer = _body(store, case_id, keys_a)
    # An older view of the case coming back: this desk is ahead (its log holds the changes
    # the package lacks), so nothing is new and nothing is a conflict.
    plan = plan_import(store, old_body)
    assert plan.new_entries == () and plan.new_positions == ()
    assert plan.conflicts == () and plan.field_updates == () and plan.is_empty
    assert len(newer["log"]) == len(old_body["log"]) + 3


def test_an_entry_with_the_same_id_but_other_content_is_listed(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    body = _body(store, case_id, keys_a)
    body["log"][0]["text"] = "Case opened by someone else"
    body["positions"][0]["source"] = "ais"
    plan = plan_import(store, body)
    assert {(c.what, c.id) for c in plan.entry_conflicts} == {
        ("log entry", body["log"][0]["id"]),
        ("position", body["positions"][0]["id"]),
    }
