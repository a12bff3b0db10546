"""Round trips between two desks that both keep writing: no false "Import conflict" (issue 11).

Entries are matched by UUID only: the same entry filed at another seq (re-chained on the other
desk) is the same entry. A case field changed on one desk only is taken by the other (its
change is in the log that comes with it); only a field both desks changed is a conflict, and
the same conflict is logged once, not again with every further package.
"""

from __future__ import annotations

import pytest

from sarapp.exchange.apply import import_package
from sarapp.exchange.keyring import desk_trust
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.reader import read_package
from sarapp.exchange.workflow import send_case
from sarapp.model import Position
from sarapp.store import Desk

from .conftest import ETEL, FALMOUTH


@pytest.fixture
def trusting(keys_a: DeskKeys, keys_b: DeskKeys) -> tuple[DeskKeys, DeskKeys]:
    """Desk A (MRCC-ETEL) and desk B (MRCC-FALMOUTH) trust each other's key."""
    return keys_a, keys_b


def _send(source: Desk, target: Desk, case_id: str, signer: DeskKeys, *_: object):
    to = FALMOUTH if signer.rcc == ETEL else ETEL
    sent = send_case(source, case_id, keys=signer, to=to, author="op")
    read = read_package(sent.content, trust=desk_trust(target))
    return import_package(target, read, author="op")


def _conflict_entries(store: Desk, case_id: str) -> list[str]:
    return [e.text for e in store.log.entries(case_id) if "import_conflict" in e.data]


def test_diverged_round_trips_report_no_conflict(desk, desk_b, trusting) -> None:
    store, case_id = desk
    ka, kb = trusting
    _send(store, desk_b, case_id, ka, kb)
    results = []
    for turn in range(3):  # both desks write between exchanges, so each import re-chains
        store.log.append(case_id, f"A: note {turn}", author="opA")
        desk_b.log.append(case_id, f"B: note {turn}", author="opB")
        results.append(_send(desk_b, store, case_id, kb, ka))
        results.append(_send(store, desk_b, case_id, ka, kb))
    assert any(r.rechained for r in results)  # the logs did diverge
    assert [r.conflicts for r in results] == [()] * 6
    assert _conflict_entries(store, case_id) == _conflict_entries(desk_b, case_id) == []
    ids_a, ids_b = (
        {e.id for e in store.log.entries(case_id)},
        {e.id for e in desk_b.log.entries(case_id)},
    )
    assert ids_a < ids_b and len(ids_b - ids_a) == 1  # all but B's line of the last import
    assert store.check().ok and desk_b.check().ok


def test_a_field_changed_on_one_desk_only_is_taken_by_the_other(desk, desk_b, trusting) -> None:
    store, case_id = desk
    ka, kb = trusting
    _send(store, desk_b, case_id, ka, kb)
    desk_b.cases.set_field(case_id, "pob", "6", author="opB")
    desk_b.cases.add_position(case_id, Position(47.6, -3.4, source="sru"), author="opB")
    result = _send(desk_b, store, case_id, kb, ka)
    assert result.conflicts == ()
    assert set(result.updated_fields) == {"pob", "lkp_id"}
    assert store.cases.get(case_id).pob == 6
    assert store.cases.get(case_id).lkp == desk_b.cases.get(case_id).lkp
    line = next(e for e in reversed(store.log.entries(case_id)) if "handover" in e.data)
    assert "taken from the package: Persons on board, last known position" in line.text
    # And the desk that is ahead keeps its value without a word when an older view comes in.
    store.cases.set_field(case_id, "pob", "7", author="opA")
    desk_b.log.append(case_id, "B: nothing new", author="opB")
    again = _send(desk_b, store, case_id, kb, ka)
    assert again.conflicts == () and store.cases.get(case_id).pob == 7


def test_a_field_changed_on_both_desks_is_one_conflict_logged_once(desk, desk_b, trusting) -> None:
    store, case_id = desk
    ka, kb = trusting
    _send(store, desk_b, case_id, ka, kb)
    store.cases.set_field(case_id, "pob", "5", author="opA")
    desk_b.cases.set_field(case_id, "pob", "6", author="opB")
    first = _send(desk_b, store, case_id, kb, ka)
    assert [(c.field, c.local, c.incoming) for c in first.conflicts] == [("pob", 5, 6)]
    assert store.cases.get(case_id).pob == 5
    desk_b.log.append(case_id, "B: still 6 on board", author="opB")
    second = _send(desk_b, store, case_id, kb, ka)  # the same difference again
    assert second.conflicts == () and store.cases.get(case_id).pob == 5
    assert len(_conflict_entries(store, case_id)) == 1  # not copied on with each package
    # B then sees A's decision with A's log (both changes and the conflict) and follows it.
    back = _send(store, desk_b, case_id, ka, kb)
    assert back.conflicts == () and desk_b.cases.get(case_id).pob == 5
    assert len(_conflict_entries(desk_b, case_id)) == 1  # A's record, nothing of B's own


def test_the_log_is_shown_in_the_order_of_the_events_times(desk, desk_b, trusting, capsys) -> None:
    """An imported entry keeps its own time and author: shown where it happened, not where
    it was filed on this desk."""
    from sarapp.cli import main

    store, case_id = desk
    ka, kb = trusting
    _send(store, desk_b, case_id, ka, kb)
    desk_b.log.append(case_id, "B: lifeboat launched", author="opB")  # happens first…
    store.log.append(case_id, "A: owner called", author="opA")  # …filed first on A
    _send(desk_b, store, case_id, kb, ka)
    capsys.readouterr()
    assert main(["--db", str(store.path), "log", "list", case_id]) == 0
    out = capsys.readouterr().out
    assert out.index("B: lifeboat launched") < out.index("A: owner called")
    (line,) = [line for line in out.splitlines() if "B: lifeboat launched" in line]
    assert "opB" in line  # its own author, not the importing operator
    timeline = [e.text for e in store.log.timeline(case_id)]
    assert timeline.index("B: lifeboat launched") < timeline.index("A: owner called")
    assert [e.time for e in store.log.timeline(case_id)] == sorted(
        e.time for e in store.log.entries(case_id)
    )


def test_an_entry_re_chained_elsewhere_is_the_same_entry(desk, keys_a: DeskKeys) -> None:
    from sarapp.exchange.merge import plan_import

    from .helpers import as_bytes, export

    store, case_id = desk
    body = read_package(as_bytes(export(store, case_id, keys_a)), trust=None).body
    body["log"][0]["hash"] = "f" * 64  # another place in another chain, same words
    body["log"][1]["data"] = {**body["log"][1]["data"], "_origin": {"seq": 9, "hash": "0" * 64}}
    assert plan_import(store, body).entry_conflicts == ()
