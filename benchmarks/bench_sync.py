"""Sync figures (issue 14): a field laptop (SQLite desk file) and its centre (a PostgreSQL desk
on a private server on this machine, PostgreSQL's durable settings).

The laptop carries 3 cases; offline it logs 2,000 entries over them while the centre logs 500.
``sync_2000_s``: one sync that takes the 2,000 to the centre and the 500 to the laptop (both
ways, hash chains extended on both desks, marks written). ``resync_noop_s``: a sync run again
at once, which finds nothing to do.

``failover_s``: a primary with a synchronous standby (``synchronous_commit = remote_apply``),
two writer processes on the multi-host location, the primary killed (``pg_ctl stop -m
immediate``) and the standby promoted at once (``pg_ctl promote``): seconds from the
primary's death to the first entry a writer stored on the promoted standby. ``lost``: entries
a desk acknowledged that are not on the promoted standby (``tests/store/pg/failover.py``).

    .venv/bin/python benchmarks/bench_sync.py [--laptop-entries 2000] [--centre-entries 500]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.store.pg.failover

from sarapp.exchange import keyring
from sarapp.exchange.sync import SyncReport, sync_with_centre
from sarapp.model import Rcc
from sarapp.store import Desk
from sarapp.store.pg.desk import open_desk
from sarapp.store.pg.local_server import LocalServer
from sarapp.store.pg.location import connect
from tests.store.pg.failover import run_failover

CASES = 3


def run(laptop: Desk, centre: Desk) -> SyncReport:
    job = sync_with_centre(laptop, centre, location="centre", author="bench")
    while True:
        try:
            next(job)
        except StopIteration as stop:
            return stop.value


def log_offline(desk: Desk, cases: list[str], count: int, who: str) -> None:
    """``count`` entries spread over the cases, in transactions of 50 (a day's typing)."""
    for start in range(0, count, 50):
        with desk.transaction():
            for n in range(start, min(start + 50, count)):
                desk.log.append(cases[n % len(cases)], f"{who}: report {n}", author=who)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laptop-entries", type=int, default=2000)
    parser.add_argument("--centre-entries", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="noop syncs timed (median)")
    args = parser.parse_args()

    server = LocalServer.start(durable=True)
    folder = Path(tempfile.mkdtemp(prefix="sarapp-bench-sync-"))
    try:
        with connect(server.conninfo()) as admin:
            admin.execute("CREATE DATABASE centre")
        location = server.conninfo("centre")
        open_desk(location, create=True).close()
        keys = folder / "keys"
        keys.mkdir(mode=0o700)
        with Desk.open(location) as centre, Desk.open(folder / "laptop.sqlite") as laptop:
            keyring.set_rcc(centre, Rcc("MRCC-ETEL", "MRCC Etel"), keys_dir=keys)
            keyring.set_rcc(laptop, Rcc("FIELD-1", "SAR team 1"), keys_dir=keys)
            cases = [
                next(iter(centre.cases.create(title=f"Case {n}", author="smc").cases))
                for n in range(CASES)
            ]
            centre.sync.give("FIELD-1", cases, author="smc")
            run(laptop, centre)  # the team takes the cases on before leaving

            log_offline(laptop, cases, args.laptop_entries, "team")
            log_offline(centre, cases, args.centre_entries, "smc")
            t0 = time.perf_counter()
            report = run(laptop, centre)
            sync_s = time.perf_counter() - t0
            went = sum(c.went.entries for c in report.cases)
            came = sum(c.came.entries for c in report.cases)
            print(f"sync: {went} entries to the centre, {came} to the laptop in {sync_s:.2f} s")
            assert went == args.laptop_entries and came == args.centre_entries, (went, came)

            noop = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                again = run(laptop, centre)
                noop.append(time.perf_counter() - t0)
                assert all(c.came.is_empty and c.went.is_empty for c in again.cases)
            resync_s = statistics.median(noop)
            print(f"resync with nothing to do: median {resync_s * 1000:.0f} ms of {args.repeat}")
            assert laptop.check().ok and centre.check().ok
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)

    folder = Path(tempfile.mkdtemp(prefix="sarapp-bench-failover-"))
    try:
        failover = run_failover(folder, writers=2, before=50, after=50)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"failover: {len(failover.acknowledged)} entries acknowledged, "
          f"{sum(failover.after_kill.values())} after the kill, {len(failover.twice)} twice, "
          f"log follow printed {failover.followed_after_kill} after it")  # fmt: skip
    print(
        f"sync_2000_s={sync_s:.2f} resync_noop_s={resync_s:.3f} "
        f"failover_s={failover.failover_s:.2f} lost={len(failover.lost)}"
    )


if __name__ == "__main__":
    main()
