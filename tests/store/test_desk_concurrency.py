"""Many desks at once on one database, through the Desk as the app and the CLI use it: four
processes appending to one case (each a desk computer signing its own checkpoints on a
server), four creating cases at once (numbers unique and gapless per year), and, on a
server, a connection lost between two operations (opened again, nothing lost or doubled)."""

from __future__ import annotations

import itertools
import multiprocessing
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sarapp.store import Desk

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
WRITERS = 4


class _Signer:
    """This process's own key, as each desk computer has one for a server's checkpoints."""

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.raw_public_key = self.key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


def _append_many(location: str, case_id: str, count: int, worker: int) -> None:
    with Desk.open(location, busy_timeout_ms=60000) as desk:
        if desk.path is None:
            desk.attach_signer(_Signer())
        for i in range(count):
            desk.log.append(case_id, f"worker {worker} entry {i}", author=f"op{worker}")


def _create_many(location: str, count: int, worker: int) -> None:
    with Desk.open(location, busy_timeout_ms=60000) as desk:
        for i in range(count):
            desk.cases.create(title=f"desk {worker} case {i}", author=f"op{worker}", time=T0)


def _run(target, args_per_worker) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=target, args=args) for args in args_per_worker]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=300)
    assert [p.exitcode for p in workers] == [0] * len(workers)


def test_four_desks_appending_1000_each_to_one_case_keep_one_straight_chain(pg_desk):
    with Desk.open(pg_desk) as desk:
        (case_id,) = desk.cases.create(title="FV Marie-Jo", author="op", time=T0).cases
    _run(_append_many, [(pg_desk, case_id, 1000, w) for w in range(WRITERS)])
    with Desk.open(pg_desk) as desk:
        log = desk.log.entries(case_id)
        assert [e.seq for e in log] == list(range(1, 1000 * WRITERS + 2))
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(log))
        assert {e.text for e in log[1:]} == {
            f"worker {w} entry {i}" for w in range(WRITERS) for i in range(1000)}  # fmt: skip
        report = desk.check()
        assert report.ok, report.problems
        assert report.entries == 1000 * WRITERS + 1
        assert f"signed by {WRITERS} desk computer key(s)" in " ".join(report.notices)


def test_desks_appending_to_one_case_on_a_file_keep_one_straight_chain(desk_path):
    location = str(desk_path)
    with Desk.open(location) as desk:
        (case_id,) = desk.cases.create(title="FV Marie-Jo", author="op", time=T0).cases
    _run(_append_many, [(location, case_id, 100, w) for w in range(WRITERS)])
    with Desk.open(location) as desk:
        assert [e.seq for e in desk.log.entries(case_id)] == list(range(1, 100 * WRITERS + 2))
        assert desk.check().ok


def test_cases_created_at_once_on_four_desks_are_numbered_uniquely_without_gaps(location):
    _run(_create_many, [(location, 25, w) for w in range(WRITERS)])
    with Desk.open(location) as desk:
        numbers = sorted(c.number for c in desk.cases.list())
        assert numbers == [f"2026-{n:04d}" for n in range(1, 25 * WRITERS + 1)]
        assert desk.check().ok


def test_a_connection_lost_between_operations_is_opened_again_and_nothing_is_lost(pg_desk):
    """The loss shows on the operation's first read, before its transaction: the read is
    safe to send again on a new connection, and the append goes through once."""
    import psycopg

    with Desk.open(pg_desk) as desk:
        (case_id,) = desk.cases.create(title="FV Marie-Jo", author="op", time=T0).cases
        desk.log.append(case_id, "before the cut", author="op")
        with psycopg.connect(pg_desk, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (desk.conn.info.backend_pid,))
        desk.log.append(case_id, "typed while the server was away", author="op")
        assert desk.backend.reconnects == 1
        assert [e.text for e in desk.log.entries(case_id)][1:] == [
            "before the cut", "typed while the server was away"]  # fmt: skip
        assert desk.check().ok
