"""Helpers of the sync tests: a centre and a field laptop with names and keys, a sync run to
its end, and the comparison of every table of two desks."""

from __future__ import annotations

from collections.abc import Generator, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from sarapp.exchange import keyring
from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.exchange.field_merge import entry_essence, field_value
from sarapp.exchange.merge import COMPARED_FIELDS
from sarapp.exchange.sync import SyncReport, sync_with_centre
from sarapp.model import Rcc
from sarapp.store import Desk
from sarapp.store.sync import is_receipt

ETEL = Rcc("MRCC-ETEL", "MRCC Etel", "FR")
FIELD = Rcc("FIELD-1", "SAR team 1 laptop", "FR")
TABLES = ("cases", "positions", "log_entries", "alerts", "units", "unit_positions",
          "drift_runs", "coordination", "packages", "search_plans", "trusted_keys",
          "desk_meta", "outbox", "checkpoints", "sync_grants", "sync_peers",
          "sync_marks", "persons", "person_counts", "log_personal", "disclosures")  # fmt: skip


def named_desk(location: str | Path, rcc: Rcc, keys_dir: Path) -> Desk:
    """A desk (file or server) that signs as ``rcc``, its key in ``keys_dir``; a desk file
    signs its checkpoints as the CLI's does."""
    desk = Desk.open(location)
    keyring.set_rcc(desk, rcc, keys_dir=keys_dir)
    if desk.path is not None:
        attach_checkpoint_signer(desk, keys_dir)
    return desk


def run(job: Generator[Any, None, SyncReport]) -> SyncReport:
    """Drive a sync to its end; its report."""
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value


def sync(laptop: Desk, centre: Desk, **options: Any) -> SyncReport:
    return run(sync_with_centre(laptop, centre, location="centre", author="opL", **options))


def dump(desk: Desk) -> list[str]:
    """Every row of every table, in a stable order: equal dumps mean nothing was written."""
    out = []
    for table in TABLES:
        rows = [
            tuple(str(v) for v in row) for row in desk.backend.execute(f"SELECT * FROM {table}")
        ]
        out += [f"{table}: {row}" for row in sorted(rows)]
    return out


def same_cases(a: Desk, b: Desk, case_ids: Iterable[str], *, differ: Iterable[str] = ()) -> None:
    """Both desks hold the same of each case (receipts of syncs aside, which each desk keeps
    for itself), every table compared: nothing lost, nothing twice. ``differ``: fields left
    different by an open conflict."""
    ids_a, ids_b = desk_ids(a), desk_ids(b)
    case_ids = list(case_ids)
    for case_id in case_ids:
        ca, cb = a.cases.get(case_id), b.cases.get(case_id)
        for name in ("created", "is_demo", *COMPARED_FIELDS):
            if name not in differ:
                assert field_value(ca, name) == field_value(cb, name), name
        ea = _entries(a, case_id, ids_a)
        eb = _entries(b, case_id, ids_b)
        assert ea.keys() == eb.keys()
        for entry_id in ea:
            assert ea[entry_id] == eb[entry_id], entry_id
        assert len(ea) == len(set(ea))
        assert _positions(a, case_id) == _positions(b, case_id)
        assert _runs(a, case_id) == _runs(b, case_id)
        assert _plans(a, case_id) == _plans(b, case_id)
        assert _alerts(a, case_id) == _alerts(b, case_id)
        assert _coordination(a, case_id) == _coordination(b, case_id)
    opened = min(a.cases.get(case_id).created for case_id in case_ids)
    assert _units(a, opened) == _units(b, opened)  # (reports older than the cases stay home)


def desk_ids(desk: Desk) -> str:
    return desk.trust.desk_id()


def _entries(desk: Desk, case_id: str, own: str) -> dict[str, tuple]:
    entries = desk.log.entries(case_id)
    kept = [e for e in entries if not is_receipt(e, own)]
    assert len({e.id for e in entries}) == len(entries)  # nothing twice
    return {e.id: entry_essence(e) for e in kept}


def _positions(desk: Desk, case_id: str) -> dict[str, tuple]:
    return {
        p.id: (p.lat, p.lon, p.time, p.source, p.accuracy_m) for p in desk.cases.positions(case_id)
    }


def _runs(desk: Desk, case_id: str) -> dict[str, tuple]:
    return {r.id: (r.created, r.author, r.label, r.seed, r.params, r.forcing, r.summary)
            for r in desk.drift.runs(case_id)}  # fmt: skip


def _plans(desk: Desk, case_id: str) -> dict[str, tuple]:
    return {p.id: (p.unit_id, p.unit_name, p.pattern, p.params, p.waypoints, p.start, p.end,
                   p.pod, p.drift_run_id, p.status, p.created, p.author)
            for p in desk.plans.for_case(case_id)}  # fmt: skip


def _units(desk: Desk, since: datetime) -> dict[str, tuple]:
    out = {}
    for unit in desk.units.all():
        track = sorted((p.time, p.source, p.lat, p.lon, p.sog_kt, p.cog_deg, p.heading_deg,
                        p.altitude_m) for p in desk.units.track(unit.id, since=since))  # fmt: skip
        out[unit.id] = (unit, track)
    return out


def _alerts(desk: Desk, case_id: str) -> set[tuple]:
    read = desk.values.read_id
    found = desk.backend.execute(
        "SELECT digest, source_key, kind, entry_id FROM alerts WHERE case_id = ?", (case_id,)
    )
    return {(d, s, k, read(e)) for d, s, k, e in found}


def _coordination(desk: Desk, case_id: str) -> list[tuple]:
    return [(c.event, c.rcc_id, c.rcc_name, c.package_id, c.time, c.entry_id)
            for c in desk.coordination.history(case_id)]  # fmt: skip
