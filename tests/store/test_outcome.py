"""The closing outcome: chosen with the closing, logged with it, cleared on reopening, and
replayed by ``db check`` like every other field of the case row."""

from __future__ import annotations

import sqlite3

import pytest

from sarapp.outcomes import OutcomeError


def test_the_outcome_is_logged_with_the_closing_and_cleared_on_reopening(store):
    (case_id,) = store.cases.create(title="EPIRB, no distress", author="op").cases
    store.cases.set_status(case_id, "closed", author="op", reason="owner aboard, ok",
                           outcome="False-Alert")  # fmt: skip
    closing = store.log.entries(case_id)[-1]
    assert closing.text == "Case closed (false alert): owner aboard, ok"
    assert closing.data == {"old": "open", "new": "closed", "reason": "owner aboard, ok",
                            "outcome": "false-alert"}  # fmt: skip
    assert store.cases.get(case_id).outcome == "false-alert"
    store.cases.set_status(case_id, "open", author="op")
    assert store.cases.get(case_id).outcome == ""
    with pytest.raises(OutcomeError, match="unknown outcome 'fine'"):
        store.cases.set_status(case_id, "closed", author="op", outcome="fine")
    assert store.cases.get(case_id).is_open and store.check().ok


def test_db_check_names_an_outcome_changed_behind_the_desk(store, desk_path):
    (case_id,) = store.cases.create(title="Yacht overdue", author="op").cases
    store.cases.set_status(case_id, "closed", author="op", outcome="resolved")
    conn = sqlite3.connect(desk_path)
    conn.execute("UPDATE cases SET outcome = 'hoax'")
    conn.commit()
    conn.close()
    (problem,) = store.check().problems
    assert problem.startswith("case 2026-0001: closing outcome is 'hoax' but its log says "
                              "'resolved'")  # fmt: skip
