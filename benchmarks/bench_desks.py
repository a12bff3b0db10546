"""PostgreSQL desk figures (issue 13), on a private server on this machine with PostgreSQL's
durable settings (fsync, synchronous commit: an acknowledged entry survives a power cut, as
SQLite's synchronous=FULL).

Prints the time to append one entry through the Desk as its own transaction (case row lock,
chain head, hash, search words, change notice; this computer's checkpoint signed after the
commits, in batches of 32 or within a second), 4 desks
in 4 processes appending to one case at once (and to a case each: appends to one case are
serialised up to their durable commit), the delay
from one desk's commit to another desk's listener, and a search over 100,000 entries
(50 best ids; snippets are not built yet), and ``db copy`` of a desk file of as many entries
(written through the desk, as ``bench_store`` builds its desk) into an empty database.

    .venv/bin/python benchmarks/bench_desks.py [--cases 1000] [--entries-per-case 100]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sarapp.chain import entry_hash

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.store.pg.helpers

from bench_store import NAMES, PROBLEMS, Signer, build_desk, log_line, percentile

from sarapp.model import new_id, utc_now
from sarapp.store import Desk
from sarapp.store.copy import copy_desk
from sarapp.store.pg.desk import open_desk
from sarapp.store.pg.local_server import LocalServer
from sarapp.store.pg.location import connect
from sarapp.store.pg.notices import ChangeListener
from sarapp.store.pg.search import find_entries, search_vector
from sarapp.store.pg.values import jsonb
from tests.store.pg.helpers import note, open_case

QUERIES = ("dragon 13", "water ingress", "mayday relay", "capsized", "albatros",
           "survivors recovered", "sector search", "okafor")  # fmt: skip


def _desk(location: str) -> Desk:
    """The server desk as a desk computer opens it: with a key of its own signing the
    checkpoints of its commits (``sarapp.exchange.desk_signer``)."""
    desk = Desk.open(location)
    desk.attach_signer(Signer())
    return desk


def _new_case(desk: Desk) -> str:
    (case_id,) = desk.cases.create(title="FV Marie-Jo", author="bench").cases
    return case_id


def appends(location: str, count: int) -> list[float]:
    with _desk(location) as desk:
        case_id = _new_case(desk)
        out = []
        for i in range(count):
            t0 = time.perf_counter()
            desk.log.append(case_id, f"Dragon 13 on scene, report {i}", author="bench")
            out.append((time.perf_counter() - t0) * 1000)
    return out


def _worker(location: str, case_id: str, count: int, start: Any) -> None:
    with _desk(location) as desk:
        start.wait()
        for i in range(count):
            desk.log.append(case_id, f"concurrent entry {i}", author="bench")


def concurrent(location: str, per_process: int, *, one_case: bool) -> float:
    """Appends per second in total from 4 desks in 4 processes, to one case or to a case
    each, timed from the moment all four are open."""
    with Desk.open(location) as desk:
        cases = [_new_case(desk)] * 4 if one_case else [_new_case(desk) for _ in range(4)]
    context = multiprocessing.get_context("fork")
    start = context.Barrier(5)
    workers = [context.Process(target=_worker, args=(location, case_id, per_process, start))
               for case_id in cases]  # fmt: skip
    for process in workers:
        process.start()
    start.wait()
    t0 = time.perf_counter()
    for process in workers:
        process.join()
    return 4 * per_process / (time.perf_counter() - t0)


def notify_delays(location: str, count: int) -> list[float]:
    sent: dict[str, float] = {}
    seen: dict[str, float] = {}
    with connect(location) as conn, ChangeListener(location) as listener:
        case_id = open_case(conn)
        listener.wait(1)

        def listen() -> None:
            while len(seen) < count:
                changes = listener.wait(5)
                now = time.perf_counter()
                for entry_id in changes.entries:
                    seen[entry_id] = now
                if not changes:
                    return

        thread = threading.Thread(target=listen)
        thread.start()
        for i in range(count):
            entry_id = new_id()
            sent[entry_id] = time.perf_counter()
            note(conn, case_id, f"seen elsewhere {i}", entry_id=entry_id)
            time.sleep(0.01)
        thread.join()
    return [(seen[i] - sent[i]) * 1000 for i in sent if i in seen]


def load(location: str, *, cases: int, per_case: int, rng: random.Random) -> None:
    """Cases and chained entries written with COPY (what a copy between desks will do)."""
    start = utc_now() - timedelta(days=30)
    with connect(location) as conn, conn.transaction():
        for c in range(cases):
            open_case(conn, f"FV {rng.choice(NAMES)} {c}: {rng.choice(PROBLEMS)}")
        heads = conn.execute(
            "SELECT e.case_id, e.hash FROM log_entries e WHERE e.seq = 1 AND NOT EXISTS"
            " (SELECT 1 FROM log_entries f WHERE f.case_id = e.case_id AND f.seq = 2)"
        ).fetchall()
        with conn.cursor().copy(
            "COPY log_entries (id, case_id, seq, time, author, kind, text, data, prev_hash,"
            " hash, search) FROM STDIN"
        ) as copy:
            for case_uuid, prev in heads:
                case_id = str(case_uuid)
                for seq in range(2, per_case + 1):
                    text, when, entry_id = log_line(rng), start + timedelta(seconds=seq), new_id()
                    digest = entry_hash(entry_id=entry_id, case_id=case_id, seq=seq,
                        time=when, author="bench", kind="note", text=text, data={},
                        corrects=None, prev_hash=prev)  # fmt: skip
                    copy.write_row((entry_id, case_id, seq, when, "bench", "note", text,
                                    jsonb({}), prev, digest, search_vector(text)))  # fmt: skip
                    prev = digest
        conn.execute("ANALYZE")


def copy_seconds(server: LocalServer, *, cases: int, per_case: int) -> tuple[float, int]:
    """Seconds to ``db copy`` a desk file of ``cases`` x ``per_case`` entries into an empty
    database of the server, and the entries copied."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rcc.sqlite"
        build_desk(path, cases=cases, per_case=per_case, rng=random.Random(13))
        with connect(server.conninfo()) as admin:
            admin.execute("CREATE DATABASE copied")
        location = server.conninfo("copied")
        t0 = time.perf_counter()
        open_desk(location, create=True).close()  # what db copy does to an empty database
        with Desk.open(path, create=False) as source, Desk.open(location) as target:
            report = copy_desk(source, target)
        return time.perf_counter() - t0, report.rows["log_entries"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--entries-per-case", type=int, default=100)
    parser.add_argument("--appends", type=int, default=500)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on a kill too
    server = LocalServer.start(durable=True)
    try:
        with connect(server.conninfo()) as admin:
            admin.execute("CREATE DATABASE bench")
        location = server.conninfo("bench")
        open_desk(location, create=True).close()
        single = appends(location, args.appends)
        rate = concurrent(location, args.appends, one_case=True)
        rate_spread = concurrent(location, args.appends, one_case=False)
        delays = notify_delays(location, 100)
        t0 = time.perf_counter()
        load(location, cases=args.cases, per_case=args.entries_per_case, rng=random.Random(13))
        loaded = time.perf_counter() - t0
        with connect(location) as conn:
            total = conn.execute("SELECT count(*) FROM log_entries").fetchone()[0]
            searches = []
            for query in QUERIES * 5:
                t = time.perf_counter()
                assert find_entries(conn, query, limit=50), query
                searches.append((time.perf_counter() - t) * 1000)
        copy_s, copied = copy_seconds(server, cases=args.cases, per_case=args.entries_per_case)
    finally:
        server.stop()
    print(f"append: median {statistics.median(single):.3f} ms, p95 {percentile(single, 0.95):.3f}"
          f" ms (n={len(single)}, durable each, with its notice)")  # fmt: skip
    print(f"4 processes appending to one case: {rate:.0f} appends/s in total; to a case each:"
          f" {rate_spread:.0f} appends/s")  # fmt: skip
    print(f"notice seen by another desk: median {statistics.median(delays):.2f} ms,"
          f" max {max(delays):.2f} ms (n={len(delays)})")  # fmt: skip
    print(f"search 50 best ids over {total} entries: median {statistics.median(searches):.2f} ms,"
          f" max {max(searches):.2f} ms; loading them by COPY took {loaded:.1f} s")  # fmt: skip
    print(f"db copy of a desk file of {copied} entries into an empty database: {copy_s:.1f} s")
    print(
        f"pg_append_median_ms={statistics.median(single):.3f} "
        f"pg_append_p95_ms={percentile(single, 0.95):.3f} "
        f"concurrent_4_appends_per_s={rate:.0f} concurrent_4_cases_appends_per_s={rate_spread:.0f} "
        f"notify_median_ms={statistics.median(delays):.2f} "
        f"pg_search_ms={statistics.median(searches):.2f} copy_100k_s={copy_s:.1f}"
    )


if __name__ == "__main__":
    main()
