"""Live notices: one desk's change reaches another desk's listener as the same Changes."""

from __future__ import annotations

import pytest

from sarapp.model import CaseId, Changes, EntryId
from sarapp.store.pg.chain import append_entry
from sarapp.store.pg.location import connect
from sarapp.store.pg.notices import (
    MAX_PAYLOAD,
    ChangeListener,
    changes_from_payload,
    notify,
    payloads,
)

from .helpers import note, open_case


def test_another_desks_entry_reaches_the_listener_as_changes(pg_desk):
    with connect(pg_desk) as writer, ChangeListener(pg_desk) as listener:
        case_id = open_case(writer)
        opened = listener.wait(5)
        assert opened.cases == {case_id} and opened.created and len(opened.entries) == 1
        entry_id = note(writer, case_id, "Dragon 13 on scene")
        assert listener.wait(5) == Changes(cases=frozenset({case_id}), entries=(entry_id,))
        assert listener.wait(0.05) == Changes()  # nothing more came


def test_a_rolled_back_change_sends_nothing(pg_desk):
    with connect(pg_desk) as writer, ChangeListener(pg_desk) as listener:
        case_id = open_case(writer)
        listener.wait(5)
        with pytest.raises(RuntimeError), writer.transaction():
            link = append_entry(writer, case_id, kind="note", text="x", author="op", data={})
            notify(writer, Changes(cases=frozenset({case_id}), entries=(link.entry_id,)))
            raise RuntimeError("the officer's desk lost power")
        assert listener.wait(0.2) == Changes()


def test_a_desk_ignores_the_notices_of_its_own_connections(pg_desk):
    writer = connect(pg_desk)
    with writer, ChangeListener(pg_desk, ignore_pids={writer.info.backend_pid}) as own:
        open_case(writer)
        assert own.wait(0.2) == Changes()


def test_payload_round_trip_and_the_size_cap():
    case = CaseId("7d8e5c7e-3f1a-4c43-9d7e-2f5b3a9c1d00")
    changes = Changes(cases=frozenset({case}), entries=(EntryId("e1"),), plans=("p1",),
                      coordination=frozenset({case}))  # fmt: skip
    (payload,) = payloads(changes)
    assert changes_from_payload(payload) == changes
    many = Changes(cases=frozenset({case}), entries=tuple(EntryId(f"{i:036d}") for i in range(400)))
    (payload,) = payloads(many)
    assert len(payload.encode()) <= MAX_PAYLOAD
    assert changes_from_payload(payload).cases == {case}  # kinds without ids: reload the case
    assert changes_from_payload('{"v": 99}') == Changes() == changes_from_payload("not json")
