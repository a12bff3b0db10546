"""Live change notices between the desks of a PostgreSQL desk database (LISTEN/NOTIFY).

Every transaction that changes something sends, at commit, one notice per case it touched
on the channel ``sarapp_changes`` (and one without a case for units or the trust list):

    {"v": 1, "case": "<uuid>" | null, "kinds": ["entries", "positions", …],
     "ids": {"entries": ["<uuid>", …], …}}

``kinds`` names the ``Changes`` fields that changed; ``ids`` lists what changed when it fits
(PostgreSQL caps a notice at 8,000 bytes: a big import sends the kinds without the ids, and
a desk then reloads the case). A listener on another connection turns notices back into the
``Changes`` value the faces already apply. A rolled-back transaction sends nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

import psycopg

from sarapp.model import CaseId, Changes, EntryId, PositionId, UnitId
from sarapp.store.pg.location import PgStoreError, connect

CHANNEL = "sarapp_changes"
VERSION = 1
MAX_PAYLOAD = 7900  # bytes; PostgreSQL refuses 8,000 and more
_ID_KINDS = ("entries", "positions", "drift_runs", "plans", "packages")


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


def notify(conn: psycopg.Connection, changes: Changes) -> None:
    """Queue the notices for ``changes`` in the current transaction (sent at commit)."""
    for payload in payloads(changes):
        conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))


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
        )
    except (ValueError, TypeError, AttributeError):
        return Changes()


class ChangeListener:
    """Listens on its own connection; ``wait`` returns what other desks changed.

    ``ignore_pids``: server process ids of this desk's own connections, whose changes the
    desk has applied already. Meant for a worker thread (or ``log follow``); close it to stop.
    """

    def __init__(self, location: str, *, ignore_pids: Iterable[int] = ()) -> None:
        self.conn = connect(location)
        self.ignore_pids = set(ignore_pids)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout_s: float) -> Changes:
        """The union of the changes noticed within ``timeout_s`` seconds (returns as soon as
        one notice arrives, with every notice already queued); empty if none came."""
        deadline = time.monotonic() + timeout_s
        merged = Changes()
        try:
            while not merged:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                for notice in self.conn.notifies(timeout=remaining, stop_after=1):
                    merged |= self._read(notice)
                for notice in self._queued():
                    merged |= self._read(notice)
        except psycopg.OperationalError as exc:
            raise PgStoreError(
                f"live updates stopped: the server connection was lost ({exc})"
            ) from None
        return merged

    def _queued(self) -> list[psycopg.Notify]:
        """Notices that already arrived, without waiting."""
        return list(self.conn.notifies(timeout=0))

    def _read(self, notice: psycopg.Notify) -> Changes:
        if notice.channel != CHANNEL or notice.pid in self.ignore_pids:
            return Changes()
        return changes_from_payload(notice.payload)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ChangeListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
