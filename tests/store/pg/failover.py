"""A primary and its synchronous standby, two writer processes, the primary killed mid-write
(``pg_ctl stop -m immediate``) and the standby promoted: what the test and
``benchmarks/bench_sync.py`` measure (issue 14, "A standby server").

Each writer appends numbered entries to one case through a ``Desk`` on a location naming both
servers (``target_session_attrs=read-write``) and writes a line for each entry once the desk
acknowledged it. On ``ConnectionLost`` it sends the entry again under the same entry id
(the commit may have reached the server before the answer was lost: the desk then stores
it once), then goes on. ``sarapp log follow`` follows the case throughout.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from sarapp.store import Desk
from sarapp.store.pg.desk import open_desk
from sarapp.store.pg.local_server import SUPERUSER, LocalServer

ROOT = Path(__file__).parents[3]

_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from sarapp.model import new_id
    from sarapp.store import ConnectionLost, Desk

    location, case, name, out, stop = sys.argv[1:6]
    desk = Desk.open(location)
    i, entry_id = 0, new_id()
    with open(out, "a", buffering=1) as acks:
        while not os.path.exists(stop):
            text = f"{name} #{i}"
            started = time.time()
            try:  # sent again under its id after a lost answer: stored once
                stored = desk.log.append(case, text, author=name, entry_id=entry_id).entries
                if stored:  # else an earlier attempt, begun before, had stored it
                    acks.write(f"{started:.6f} {time.time():.6f} {text}\\n")
                else:
                    acks.write(f"0 {time.time():.6f} {text}\\n")
                i, entry_id = i + 1, new_id()
            except ConnectionLost:
                time.sleep(0.05)
    desk.close()
    """
)


@dataclass
class Failover:
    """What came of it: entries acknowledged before and after the kill, those missing or
    twice on the promoted standby, seconds from the kill to the first entry stored on it, and
    the entries ``log follow`` printed after the kill."""

    acknowledged: list[str] = field(default_factory=list)
    after_kill: dict[str, int] = field(default_factory=dict)  # per writer
    lost: list[str] = field(default_factory=list)
    twice: list[str] = field(default_factory=list)
    failover_s: float = float("nan")
    followed_after_kill: int = 0
    check_ok: bool = False
    check_problems: list[str] = field(default_factory=list)


def _acks(path: Path) -> list[tuple[float, str]]:
    """(acknowledged at, text) of each entry a writer's desk acknowledged."""
    return [(done, text) for _, done, text in _attempts(path)]


def _attempts(path: Path) -> list[tuple[float, float, str]]:
    """(attempt started at, acknowledged at, text): an entry whose storing attempt started
    after the kill can only have been stored by the promoted standby."""
    if not path.exists():
        return []
    lines = [line.split(" ", 2) for line in path.read_text().splitlines() if line.count(" ") >= 2]
    return [(float(start), float(done), text) for start, done, text in lines]


def _wait(until, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not within {timeout_s} s")
        time.sleep(0.05)


def run_failover(folder: Path, *, writers: int = 2, before: int = 20, after: int = 20) -> Failover:
    """Set up both servers, write, kill the primary, promote the standby, count."""
    primary = LocalServer.start(durable=True)
    standby = None
    processes: list[subprocess.Popen] = []
    try:
        with psycopg.connect(primary.conninfo(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE sar")
        open_desk(primary.conninfo("sar"), create=True).close()
        with Desk.open(primary.conninfo("sar")) as desk:
            case_id = next(iter(desk.cases.create(title="FV Marie-Jo", author="smc").cases))
            number = desk.cases.get(case_id).number
        standby = LocalServer.standby_of(primary)
        location = (f"host={primary.folder},{standby.folder} dbname=sar user={SUPERUSER} "
                    "target_session_attrs=read-write connect_timeout=2")  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        stop = folder / "stop"
        follow_out = (folder / "follow.jsonl").open("w")
        follow = subprocess.Popen(
            [sys.executable, "-m", "sarapp.cli", "--db", location, "log", "follow", number,
             "--json"], stdout=follow_out, stderr=(folder / "follow.err").open("w"), env=env,
        )  # fmt: skip
        processes.append(follow)
        names = [f"w{n}" for n in range(1, writers + 1)]
        for name in names:
            processes.append(subprocess.Popen(
                [sys.executable, "-c", _WRITER, location, case_id, name,
                 str(folder / f"{name}.acks"), str(stop)], env=env,
            ))  # fmt: skip
        files = [folder / f"{name}.acks" for name in names]
        _wait(lambda: all(len(_acks(f)) >= before for f in files), 60, "writes before the kill")
        primary.crash()  # returns once the server is down
        killed = time.time()
        standby.promote()

        def carried_on() -> bool:
            return all(sum(t > killed for t, _ in _acks(f)) >= after for f in files)

        _wait(carried_on, 60, "writes after the kill")
        stop.touch()
        for process in processes[1:]:
            process.wait(timeout=30)
        acked = [(t, text) for f in files for t, text in _acks(f)]
        after_texts = {text for t, text in acked if t > killed}
        lines = folder / "follow.jsonl"

        def followed() -> int:
            return sum(json.loads(line)["text"] in after_texts
                       for line in lines.read_text().splitlines())  # fmt: skip

        with contextlib.suppress(TimeoutError):  # counted below: the test says if it was not
            _wait(lambda: followed() > 0, 20, "log follow after the kill")
        follow.send_signal(signal.SIGINT)
        follow.wait(timeout=30)
        follow_out.close()
        result = Failover()
        result.acknowledged = [text for _, text in acked]
        result.after_kill = {
            n: sum(t > killed for t, _ in _acks(f)) for n, f in zip(names, files, strict=True)
        }
        # not the first acknowledgement after the kill: a commit the primary made just before
        # it died may be acknowledged a moment after; the first entry whose attempt began
        # after the kill was stored on the promoted standby
        result.failover_s = (
            min(done for f in files for start, done, _ in _attempts(f) if start > killed) - killed
        )
        with Desk.open(standby.conninfo("sar")) as desk:
            stored = Counter(e.text for e in desk.log.entries(case_id))
            report = desk.check()
        result.check_ok, result.check_problems = report.ok, list(report.problems)
        result.lost = [text for text in result.acknowledged if not stored[text]]
        result.twice = [text for text, count in stored.items() if count > 1]
        result.followed_after_kill = followed()
        return result
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        if standby is not None:
            standby.stop()
        primary.stop()
