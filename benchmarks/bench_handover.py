"""Handover package speed and size for a large case: 10,000 log entries, 50 positions.

Run: ``.venv/bin/python benchmarks/bench_handover.py [ENTRIES]``. Prints the time to build
and sign the package from desk A, write it, read and verify it (signature, schema, hash
chain), plan its import into an empty desk B and back into desk A (must be empty: nothing
lost, nothing new), the package size, and whether every field survived the round trip.
The import that writes the plan is the store's (not measured here).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sarapp.exchange import keys
from sarapp.exchange.body import entries_from_json, positions_from_json
from sarapp.exchange.merge import plan_import
from sarapp.exchange.package import build_package, write_package
from sarapp.exchange.reader import read_package_file
from sarapp.model import AlertPhase, Position
from sarapp.store import Store


def _fill(store: Store, entries: int, positions: int) -> str:
    t0 = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    changes = store.create_case(
        title="Bench case", author="op", phase=AlertPhase.DETRESFA, values={"pob": "12"}
    )
    case_id = next(iter(changes.cases))
    with store.transaction():
        for i in range(positions):
            when = t0 + timedelta(minutes=10 * i)
            store.add_position(case_id, Position(47 + i / 1000, -3 + i / 1000, when), author="op")
        for i in range(entries - positions - 1):
            store.append(case_id, f"Log note {i}: SRU reports nothing sighted", author="op",
                         data={"n": i, "sweep_nm": 1.5})  # fmt: skip
    return case_id


def _timed(label: str, fn, figures: dict):
    start = time.perf_counter()
    result = fn()
    figures[label] = time.perf_counter() - start
    return result


def main(entries: int = 10_000, positions: int = 50) -> None:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        desk_keys = keys.set_identity(root / "keys-a", keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR"))
        with Store.open(root / "a.sqlite") as a, Store.open(root / "b.sqlite") as b:
            case_id = _fill(a, entries, positions)
            doc = _timed("build+sign s", lambda: build_package(
                a, case_id, keys=desk_keys, to=keys.Rcc("MRCC-FALMOUTH")), figures)  # fmt: skip
            path = root / "case.sarpkg"
            size = _timed("write s", lambda: write_package(path, doc), figures)
            read = _timed("read+verify s", lambda: read_package_file(
                path, keys_dir=root / "keys-a"), figures)  # fmt: skip
            plan_b = _timed("plan into B s", lambda: plan_import(b, read.body), figures)
            plan_a = _timed("plan into A s", lambda: plan_import(a, read.body), figures)
            intact = entries_from_json(case_id, read.body["log"]) == a.log(case_id) and (
                positions_from_json(read.body["positions"]) == a.positions(case_id)
            )
    print(f"entries {len(plan_b.new_entries)}, positions {len(plan_b.new_positions)}")
    print(f"package {size} bytes ({size / 1e6:.2f} MB), signature {read.signature.status}")
    for label, seconds in figures.items():
        print(f"{label:<16} {seconds:.3f}")
    print(f"every field intact: {intact}; plan back into A empty: {plan_a.is_empty}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
