"""One case as a sync sends it: what the other desk lacks, in the handover package's own
encoding (``sarapp.exchange.body``, ``sarapp.exchange.tasking``).

A handover package carries a case whole; a sync carries only the log entries the other desk
lacks (``desk.sync.pending``) and what those entries record: the position reports they report
(and the case's last known position, so the case reads the same), the drift runs they record,
the search plans they task or report on, with the units those plans task. Units' positions
(AIS, reports) are no log entry's: those the sending desk stored since the other desk's last
cut (by the sender's own clock, less a margin for a transaction that committed late) go with
the units of the case's plans. The personal content of the entries sent (a personal note, the
names a register edit records) goes with them, as a coordination handover's does, recorded as
a disclosure on the sending desk. The receiving desk merges it with the handover import's
merge (``sarapp.exchange.merge.plan_import``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sarapp.exchange.body import case_to_json, drift_run_to_json, entry_to_json, position_to_json
from sarapp.exchange.persons_body import register_subjects
from sarapp.exchange.tasking import plan_to_json, unit_to_json
from sarapp.model import CaseId, Changes, LogEntry, Rcc
from sarapp.privacy import Disclosure, Purpose
from sarapp.store import Desk

# Unit positions stored up to this long before the other desk's last cut go again: a
# transaction on a server may commit a little after the time it wrote (the merge keeps each
# report once, so this costs only bytes).
UNIT_POSITIONS_MARGIN = timedelta(minutes=5)


@dataclass(frozen=True)
class Delta:
    """One case's part of a sync: ``body`` (``case``, ``log``, ``positions``, ``drift_runs``,
    ``units``, ``plans`` and, when there is any, ``personal`` as a package body writes them)
    is what the sender held up to its chain's seq ``cut_seq`` at ``cut_time`` (its clock,
    UTC) that the receiver lacked, counting the receiver as holding the sender's chain up to
    ``base_seq``."""

    case_id: CaseId
    base_seq: int
    cut_seq: int
    cut_time: datetime
    body: dict[str, Any]

    @property
    def has_content(self) -> bool:
        """Whether the receiver would find anything in it (entries, or units' positions)."""
        return bool(self.body["log"]) or any(u["positions"] for u in self.body["units"])


def case_delta(
    store: Desk,
    case_id: CaseId,
    pending: Sequence[LogEntry],
    *,
    base_seq: int,
    cut_seq: int,
    cut_time: datetime,
    peer_cut: datetime | None,
    sender: Rcc,
) -> Delta | None:
    """The delta of ``case_id`` carrying the entries ``pending`` (``desk.sync.pending``);
    ``peer_cut``: the sender's clock at the last cut the receiver took in (None: never, so
    every unit position of the case's time goes). None when there is nothing to send."""
    if not pending and not store.sync.head(case_id):
        return None  # the sender does not hold the case (yet)
    case = store.cases.get(case_id)
    tasking = _tasking(store, case_id, case.created, _members(pending, "search_plan"), peer_cut)
    if not pending and not tasking["units"]:
        return None
    case_json = case_to_json(case)
    if case_json["origin"] is None:  # opened on this desk: say so, as a package does
        case_json["origin"] = {"rcc": sender.id, "number": case_json["number"]}
    wanted = _members(pending, "position_id")
    if case.lkp is not None:
        wanted.add(case.lkp.id)
    positions = [position_to_json(p) for p in store.cases.positions(case.id) if p.id in wanted]
    run_entries = {
        e.data["drift_run"]: e.id for e in pending if isinstance(e.data.get("drift_run"), str)
    }
    runs = []
    if run_entries:
        runs = [drift_run_to_json(r, run_entries[r.id]) for r in store.drift.runs(case.id)
                if r.id in run_entries]  # fmt: skip
    body = {
        "case": case_json,
        "log": [entry_to_json(e) for e in pending],
        "positions": positions,
        "drift_runs": runs,
        **tasking,
    }
    personal = delta_personal(store, case.id, pending)
    if personal:  # the team and its centre coordinate the same rescue: it goes with them
        body["personal"] = personal
    return Delta(case.id, base_seq, cut_seq, cut_time, body)


def delta_personal(
    store: Desk, case_id: CaseId, entries: Sequence[LogEntry]
) -> list[dict[str, Any]]:
    """The held personal content of ``entries`` (a personal note, a register edit's names),
    as a package carries it: each checked by the receiver against its entry's commitment."""
    ids = {e.id for e in entries}
    return [item for item in store.privacy.package_contents(case_id) if item["entry_id"] in ids]


def delta_subjects(delta: Delta) -> list[str]:
    """Whose personal data the delta passes on: the persons a register edit names, else the
    personal note (``entry:<id>``), as a package's disclosure counts them."""
    carried = {item["entry_id"] for item in delta.body.get("personal", [])}
    subjects: list[str] = []
    for entry in delta.body["log"]:
        if entry["id"] not in carried:
            continue
        listed = register_subjects(entry["data"])
        subjects += listed if listed is not None else [f"entry:{entry['id']}"]
    return list(dict.fromkeys(subjects))


def record_disclosure(store: Desk, delta: Delta, *, recipient: str, kind: str, author: str
                      ) -> Changes:  # fmt: skip
    """Account for the personal data a delta took to the other desk (purpose: coordination of
    the rescue, the one purpose a laptop and its centre share)."""
    return store.privacy.record_disclosure(
        delta.case_id, disclosure=Disclosure(Purpose.COORDINATION, True), kind=kind,
        recipient=recipient, subjects=delta_subjects(delta), author=author,
    )  # fmt: skip


def _tasking(
    store: Desk,
    case_id: CaseId,
    opened: datetime,
    plan_ids: set[str],
    peer_cut: datetime | None,
) -> dict[str, Any]:
    """The plans the entries name, with their units, and the units of the case's other plans
    that have positions the receiver lacks."""
    every = store.plans.for_case(case_id)
    plans = [p for p in every if p.id in plan_ids]
    named = {p.unit_id for p in plans if p.unit_id is not None}
    after = peer_cut - UNIT_POSITIONS_MARGIN if peer_cut is not None else None
    units = []
    for unit_id in dict.fromkeys(p.unit_id for p in every if p.unit_id is not None):
        track = store.units.track(unit_id, since=opened, recorded_after=after)
        if track or unit_id in named:
            units.append(unit_to_json(store.units.get(unit_id), track))
    return {"units": units, "plans": [plan_to_json(p) for p in plans]}


def _members(entries: Sequence[LogEntry], key: str) -> set[str]:
    """The ids the entries' ``data[key]`` name (a position, a drift run, a search plan)."""
    return {e.data[key] for e in entries if isinstance(e.data.get(key), str)}


__all__ = ["UNIT_POSITIONS_MARGIN", "Delta", "case_delta"]
