"""Change notices: what one transaction changed, as a small versioned JSON text that another
desk turns back into the ``Changes`` value its views apply.

The same notices travel on both backends: PostgreSQL sends them with NOTIFY on the channel
``sarapp_changes`` at the commit (``sarapp.store.pg.notices``); a SQLite desk writes them into
its ``change_notices`` table in the same transaction, where another window or process on the
same file reads them (``sarapp.store.sqlite.watch``). One notice per case touched (and one
without a case for units or the trust list):

    {"v": 1, "case": "<uuid>" | null, "kinds": ["entries", "positions", …],
     "ids": {"entries": ["<uuid>", …], …}}

``kinds`` names the ``Changes`` fields that changed; ``ids`` lists what changed when it fits
(PostgreSQL caps a notice at 8,000 bytes: a big import sends the kinds without the ids, and a
desk then reloads the case).
"""

from __future__ import annotations

import json
from typing import Any

from sarapp.model import CaseId, Changes, EntryId, PositionId, UnitId

CHANNEL = "sarapp_changes"
VERSION = 1
MAX_PAYLOAD = 7900  # bytes; PostgreSQL refuses 8,000 and more
_ID_KINDS = ("entries", "positions", "drift_runs", "plans", "packages", "persons")


def payloads(changes: Changes) -> list[str]:
    """The notices that describe ``changes``: one per case, one for case-less changes."""
    if not changes:
        return []
    kinds = _kinds(changes)
    ids = {
        kind: [str(i) for i in getattr(changes, kind)]
        for kind in _ID_KINDS
        if getattr(changes, kind)
    }
    cases = sorted(changes.cases | changes.coordination)
    out = []
    for case in cases:
        case_kinds = [k for k in kinds if k not in ("units", "trust")]
        if case in changes.coordination:
            case_kinds = sorted({*case_kinds, "coordination"})
        out.append(_encode(case, case_kinds, ids))
    if changes.units or changes.trust or not cases:
        other = [k for k in kinds if k in ("units", "trust")]
        unit_ids = {"units": sorted(str(u) for u in changes.units)} if changes.units else {}
        out.append(_encode(None, other, unit_ids))
    return out


def _kinds(changes: Changes) -> list[str]:
    names = [*_ID_KINDS, "units", "coordination"]
    kinds = [name for name in names if getattr(changes, name)]
    kinds += [flag for flag in ("created", "trust") if getattr(changes, flag)]
    if changes.cases and not kinds:
        kinds.append("case")  # a change of the case row alone (phase, status, a field)
    return sorted(kinds)


def _encode(case: str | None, kinds: list[str], ids: dict[str, list[str]]) -> str:
    body: dict[str, Any] = {"v": VERSION, "case": case, "kinds": kinds}
    if ids:
        body["ids"] = ids
    text = json.dumps(body, separators=(",", ":"), sort_keys=True)
    if len(text.encode()) > MAX_PAYLOAD:
        body.pop("ids")
        text = json.dumps(body, separators=(",", ":"), sort_keys=True)
    return text


def changes_from_payload(payload: str) -> Changes:
    """The ``Changes`` a notice describes; an empty one for a notice this sarapp cannot
    read (a newer version, or not ours), which the listener skips."""
    try:
        body = json.loads(payload)
        if not isinstance(body, dict) or body.get("v") != VERSION:
            return Changes()
        case = body.get("case")
        kinds = set(body.get("kinds") or ())
        ids = body.get("ids") or {}
        cases = frozenset({CaseId(case)}) if case else frozenset()
        return Changes(
            cases=cases,
            entries=tuple(EntryId(i) for i in ids.get("entries", ())),
            positions=tuple(PositionId(i) for i in ids.get("positions", ())),
            created="created" in kinds,
            units=frozenset(UnitId(i) for i in ids.get("units", ())),
            drift_runs=tuple(ids.get("drift_runs", ())),
            trust="trust" in kinds,
            plans=tuple(ids.get("plans", ())),
            packages=tuple(ids.get("packages", ())),
            coordination=cases if "coordination" in kinds else frozenset(),
            persons=tuple(ids.get("persons", ())),
        )
    except (ValueError, TypeError, AttributeError):
        return Changes()


__all__ = ["CHANNEL", "MAX_PAYLOAD", "VERSION", "changes_from_payload", "payloads"]
