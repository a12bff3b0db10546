"""Store figures on a desk of 100,000 log entries over 1,000 cases.

Prints the time to append one entry as its own durable transaction (WAL, synchronous=FULL,
with the hash chain, the full-text index and, unless --no-checkpoints, the signed checkpoint
and its mirror line), a full-text search returning the 50 best entries with snippets,
loading the case list, db check of the whole desk, and the app's cold start to a usable
window.

    .venv/bin/python benchmarks/bench_store.py [--cases 1000] [--entries-per-case 100]
        [--no-checkpoints]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sarapp.model import AlertPhase
from sarapp.store import Desk

# Log lines as RCC watch officers write them: templates filled with varied names and
# figures, so word frequencies look like a real desk's (a handful of words everywhere,
# names and numbers rare), not a 60-word soup where every query matches a fifth of the log.
TEMPLATES = (
    "{unit} tasked to {vessel}, ETA {hhmm}Z",
    "{vessel} reports {problem}, {pob} POB, requests {need}",
    "Position {lat} {lon} from {source}",
    "Weather on scene: wind {dir}/{kt} kt, sea state {sea}, visibility {vis} NM",
    "Called {vessel} on VHF {ch}, no answer",
    "{unit} on scene, commencing {pattern} search, track spacing {ts} NM",
    "MAYDAY RELAY for {vessel} broadcast via {station}",
    "{mcc} alert received, beacon {hexid}, {vessel}",
    "{unit} returning to {base}, fuel {fuel} %",
    "Spoke with {person}, owner of {vessel}: {problem}",
    "{count} survivors recovered by {unit}, transferred to {place} hospital",
    "SITREP {n} sent to {station}",
)
PROBLEMS = (
    "water ingress",
    "engine failure",
    "fire in engine room",
    "steering failure",
    "crew member injured",
    "capsized",
    "dismasted",
    "aground",
    "overdue",
    "man overboard",
)
NAMES = [
    a + b
    for a in ("Mar", "Alb", "Bel", "Kest", "Orca", "Sea", "Nord", "Cap", "Lun", "Sol")
    for b in ("ina", "atros", "le Isle", "rel", "star", "wind", "kap", "rice", "aire", "o")
]
UNITS = [
    f"{kind} {n}"
    for kind in ("Dragon", "Rescue", "SNS", "Lifeboat", "Coastguard")
    for n in range(1, 40)
]
PLACES = ("Bastia", "Calvi", "Ajaccio", "Nice", "Toulon", "Marseille", "Genova", "Livorno")
PEOPLE = ("Mr Rossi", "Ms Dubois", "Mr Okafor", "Ms Larsen", "Mr Silva", "Ms Novak")


def log_line(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        unit=rng.choice(UNITS),
        vessel=f"FV {rng.choice(NAMES)} {rng.randint(1, 99)}",
        hhmm=f"{rng.randint(0, 23):02d}{rng.randint(0, 59):02d}",
        problem=rng.choice(PROBLEMS),
        pob=rng.randint(1, 30),
        need=rng.choice(("tow", "pump", "medevac", "escort", "assistance")),
        lat=f"{rng.randint(38, 44)}{rng.uniform(0, 60):06.3f}N",
        lon=f"{rng.randint(3, 11):03d}{rng.uniform(0, 60):06.3f}E",
        source=rng.choice(("AIS", "skipper", "EPIRB", "SRU", "aircraft")),
        dir=rng.randint(0, 35) * 10,
        kt=rng.randint(0, 45),
        sea=rng.randint(0, 8),
        vis=rng.randint(1, 20),
        ch=rng.choice((16, 67, 72, 73)),
        pattern=rng.choice(("expanding square", "sector", "parallel track", "creeping line")),
        ts=rng.choice((0.5, 1, 1.5, 2, 3)),
        station=rng.choice(("CROSS Med", "MRCC Roma", "Monaco Radio", "JRCC Toulon")),
        mcc=rng.choice(("FMCC", "ITMCC", "SPMCC", "UKMCC")),
        hexid=f"{rng.getrandbits(60):015X}",
        base=rng.choice(PLACES),
        fuel=rng.randint(10, 90),
        person=rng.choice(PEOPLE),
        count=rng.randint(1, 12),
        place=rng.choice(PLACES),
        n=rng.randint(1, 20),
    )


def build_desk(path: Path, *, cases: int, per_case: int, rng: random.Random) -> None:
    with Desk.open(path) as store, store.transaction():
        for i in range(cases):
            (case_id,) = store.cases.create(
                title=f"FV {rng.choice(NAMES)} {i}: {rng.choice(PROBLEMS)}",
                author="bench",
                phase=rng.choice(list(AlertPhase)),
            ).cases
            for _ in range(per_case - 1):
                store.log.append(
                    case_id, log_line(rng), author=rng.choice(("Lee", "Dupont", "Okafor"))
                )


class Signer:
    """An Ed25519 key made here, signing as the desk's own key would."""

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.raw_public_key = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


def checkpoint_cost(
    path: Path, signer: Signer, rng: random.Random, n: int
) -> tuple[float, float, float]:
    """Median append (ms) with and without checkpoints, interleaved one by one on the same
    desk: both see the same disk, so the difference is the checkpoint's cost even when other
    work makes each fsync slower or faster; and the difference of their mean CPU time (ms),
    which other processes on a shared machine barely move."""
    with Desk.open(path, signer=signer) as signed, Desk.open(path) as plain:
        case_ids = [c.id for c in plain.cases.list()]
        on, off, cpu_on, cpu_off = [], [], [], []
        for i in range(2 * n):
            store, out, cpu = (signed, on, cpu_on) if i % 2 else (plain, off, cpu_off)
            t0, c0 = time.perf_counter(), time.process_time()
            store.log.append(
                rng.choice(case_ids), "SRU on scene, commencing search", author="bench"
            )
            out.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    cpu_added = statistics.mean(cpu_on) - statistics.mean(cpu_off)
    return statistics.median(on), statistics.median(off), cpu_added


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


COLD_START = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
from sarapp.store import Desk
from sarapp.ui.main_window import MainWindow
app = QApplication(sys.argv[:1])
window = MainWindow(Desk.open(sys.argv[1]))
window.show()
app.processEvents()
print("ready", flush=True)
"""


def cold_start_s(db: Path, runs: int = 3) -> float:
    """Process start to a shown, filled main window (offscreen), median of ``runs``."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", COLD_START, str(db)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert "ready" in out.stdout, out.stderr
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--entries-per-case", type=int, default=100)
    parser.add_argument("--appends", type=int, default=1000)
    parser.add_argument("--no-checkpoints", action="store_true", help="open without a key")
    args = parser.parse_args()
    signer = None if args.no_checkpoints else Signer()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        t0 = time.perf_counter()
        build_desk(path, cases=args.cases, per_case=args.entries_per_case, rng=rng)
        print(
            f"built desk: {args.cases} cases, {args.cases * args.entries_per_case} entries "
            f"in {time.perf_counter() - t0:.1f} s, {path.stat().st_size / 1e6:.1f} MB"
        )
        with Desk.open(path, signer=signer) as store:
            case_ids = [c.id for c in store.cases.list()]
            appends = timed(
                lambda: store.log.append(
                    rng.choice(case_ids), "SRU on scene, commencing search", author="bench"
                ),
                args.appends,
            )
            queries = [
                "dragon 13",
                "water ingress",
                "mayday relay",
                "capsized",
                "albatros",
                "survivors recovered",
                "sector search",
                "okafor",
                "medevac",
                "FMCC",
            ]
            searches = []
            for query in queries * 5:
                t = time.perf_counter()
                hits = store.log.search(query, limit=50)
                searches.append((time.perf_counter() - t) * 1000)
                assert hits, query
            lists = timed(store.cases.list, 30)
            t = time.perf_counter()
            assert store.check().ok
            check_s = time.perf_counter() - t
        print(
            f"append: median {statistics.median(appends):.3f} ms, "
            f"p95 {percentile(appends, 0.95):.3f} ms (n={len(appends)}, durable each)"
        )
        print(
            f"search 50 best with snippets: median {statistics.median(searches):.2f} ms, "
            f"max {max(searches):.2f} ms"
        )
        print(f"case list ({len(case_ids)} cases): median {statistics.median(lists):.2f} ms")
        total = args.cases * args.entries_per_case + args.appends
        print(f"db check ({total} entries): {check_s:.2f} s")
        on_ms, off_ms, cpu_ms = checkpoint_cost(path, signer or Signer(), rng, args.appends)
        print(
            f"append interleaved, with / without checkpoints: {on_ms:.3f} / {off_ms:.3f} ms "
            f"(checkpoint adds {on_ms - off_ms:.3f} ms; {cpu_ms:.3f} ms of CPU time)"
        )
        cold = cold_start_s(path)
        print(f"cold start to usable window: median {cold:.2f} s")
        print(
            f"append_median_ms={statistics.median(appends):.3f} "
            f"append_p95_ms={percentile(appends, 0.95):.3f} "
            f"search_ms={statistics.median(searches):.2f} "
            f"case_list_ms={statistics.median(lists):.2f} check_s={check_s:.2f} "
            f"checkpoint_added_ms={on_ms - off_ms:.3f} checkpoint_cpu_ms={cpu_ms:.3f} "
            f"cold_start_s={cold:.2f} checkpoints={'off' if signer is None else 'on'}"
        )


if __name__ == "__main__":
    main()
