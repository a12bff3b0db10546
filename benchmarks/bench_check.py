"""``db check`` on a desk of 100,000 log entries over 1,000 cases, every entry signed.

The worst case for the checkpoints: each entry was its own commit, so the desk holds a signed
checkpoint per entry (100,000 of them) and its mirror file as many lines. Prints the time of
``Desk.check()`` (integrity, foreign keys, times, schema, search index rank=1, every hash
chain, the replay of every case, the checkpoint chain, the mirror and every signed head), and
of each of its parts.

    .venv/bin/python benchmarks/bench_check.py [--cases 1000] [--entries-per-case 100]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sarapp.model import AlertPhase, Position
from sarapp.store import Desk

sys.path.insert(0, str(Path(__file__).parent))
from bench_store import NAMES, PROBLEMS, log_line


class Signer:
    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.raw_public_key = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


def build(path: Path, signer: Signer, *, cases: int, per_case: int, rng: random.Random) -> None:
    """Every entry its own transaction (and checkpoint); durability off while building only."""
    with Desk.open(path, signer=signer) as store:
        store.conn.execute("PRAGMA synchronous = OFF")
        ids = []
        for i in range(cases):
            (case_id,) = store.cases.create(
                title=f"FV {rng.choice(NAMES)} {i}: {rng.choice(PROBLEMS)}",
                author="bench",
                phase=rng.choice(list(AlertPhase)),
                values={"pob": str(rng.randint(1, 30))},
            ).cases
            store.cases.add_position(
                case_id, Position(43.0, 7.0, source="reported"), author="bench"
            )
            ids.append(case_id)
        for _ in range(cases * (per_case - 2)):
            store.log.append(rng.choice(ids), log_line(rng), author="bench")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--entries-per-case", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(7)
    signer = Signer()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        t0 = time.perf_counter()
        build(path, signer, cases=args.cases, per_case=args.entries_per_case, rng=rng)
        built = time.perf_counter() - t0
        with Desk.open(path, signer=signer) as store:
            entries = store.conn.execute("SELECT COUNT(*) FROM log_entries").fetchone()[0]
            signed = store.conn.execute("SELECT COUNT(*) FROM checkpoints").fetchone()[0]
            print(
                f"built desk: {args.cases} cases, {entries} entries, {signed} checkpoints in "
                f"{built:.0f} s, {path.stat().st_size / 1e6:.1f} MB"
            )
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                report = store.check()
                times.append(time.perf_counter() - t0)
            assert report.ok and not report.notices, (report.problems, report.notices)
    best = min(times)
    print(f"db check: {best:.2f} s (best of 3: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"entries={entries} checkpoints={signed} check_s={best:.2f}")


if __name__ == "__main__":
    main()
