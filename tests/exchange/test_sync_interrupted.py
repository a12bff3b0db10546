"""An interrupted sync (issue 14): the sync process killed with SIGKILL inside a transaction,
the link to the centre's server dropped mid-write. Each leaves both desks consistent (db check
clean, each case synced or not); running the sync again completes it, and once more changes
nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest

from sarapp.store import Desk, StoreError
from sarapp.store.pg.location import connect
from sarapp.store.sync import SyncState

from .conftest import build_case
from .sync_helpers import ETEL, FIELD, dump, named_desk, same_cases, sync

ROOT = Path(__file__).parents[2]

# The sync run in a process of its own, which kills itself with SIGKILL the moment the given
# desk's sync marks are written: inside that desk's import transaction, before its commit.
_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from sarapp.exchange.desk_signer import attach_checkpoint_signer
    from sarapp.exchange.sync import sync_with_centre
    from sarapp.store import Desk
    from sarapp.store.sync import SyncState

    laptop_path, centre_location, victim, after, keys = sys.argv[1:6]
    laptop, centre = Desk.open(laptop_path), Desk.open(centre_location)
    for desk in (laptop, centre):
        if desk.path is not None:
            attach_checkpoint_signer(desk, keys)
    target = laptop if victim == "laptop" else centre
    save, calls = SyncState.save_mark, []

    def killing_save(self, mark):
        save(self, mark)
        if self._desk is target:
            calls.append(mark)
            if len(calls) > int(after):
                os.kill(os.getpid(), signal.SIGKILL)

    SyncState.save_mark = killing_save
    for _ in sync_with_centre(laptop, centre, location="centre", author="opL"):
        pass
    sys.exit(3)  # never reached: the process was killed
    """
)


@pytest.fixture
def laptop_path(tmp_path: Path, empty_desk_file: Path, keys_dir: Path) -> Path:
    path = tmp_path / "laptop.sqlite"
    shutil.copyfile(empty_desk_file, path)
    named_desk(path, FIELD, keys_dir).close()
    return path


def _work(centre: Desk, laptop: Desk, cases: list[str]) -> None:
    """Both sides log in every case, and the centre changes a field of each."""
    for case_id in cases:
        for n in range(30):
            laptop.log.append(case_id, f"Team: leg {n}", author="team")
            centre.log.append(case_id, f"Centre: call {n}", author="smc")
        centre.cases.set_field(case_id, "nature", "overdue", author="smc")


def _setup(centre: Desk, laptop_path: Path, keys_dir: Path) -> list[str]:
    cases = [build_case(centre) for _ in range(3)]
    centre.sync.give(FIELD.id, cases, author="smc")
    with named_desk(laptop_path, FIELD, keys_dir) as laptop:
        sync(laptop, centre)
        _work(centre, laptop, cases)
    return cases


def _killed(laptop_path: Path, location: str, victim: str, after: int, keys_dir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(laptop_path), location, victim, str(after),
         str(keys_dir)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr


def _completes(centre: Desk, laptop_path: Path, keys_dir: Path, cases: list[str]) -> None:
    """db check clean on both sides; the sync run again completes; once more changes
    nothing."""
    with named_desk(laptop_path, FIELD, keys_dir) as laptop:
        assert laptop.check().ok, laptop.check().problems
        assert centre.check().ok, centre.check().problems
        sync(laptop, centre)
        same_cases(centre, laptop, cases)
        assert laptop.check().ok and centre.check().ok
        before = dump(laptop), dump(centre)
        sync(laptop, centre)
        assert (dump(laptop), dump(centre)) == before


@pytest.mark.parametrize(("victim", "after"), [("centre", 1), ("laptop", 1), ("centre", 0)])
def test_a_sync_killed_mid_write_is_completed_by_the_next(
    tmp_path, desk_path, laptop_path, keys_dir, victim, after
):
    with named_desk(desk_path, ETEL, keys_dir) as centre:
        cases = _setup(centre, laptop_path, keys_dir)
        with Desk.open(laptop_path) as laptop:
            before_laptop = dump(laptop)
        before_centre = dump(centre)
        _killed(laptop_path, str(desk_path), victim, after, keys_dir)
        with Desk.open(laptop_path) as laptop:
            moved = dump(laptop) != before_laptop or dump(centre) != before_centre
        assert moved  # some of it was synced before the kill, the rest was not
        _completes(centre, laptop_path, keys_dir, cases)


def test_a_sync_killed_against_a_server_is_completed_by_the_next(pg_desk, laptop_path, keys_dir):
    with named_desk(pg_desk, ETEL, keys_dir) as centre:
        cases = _setup(centre, laptop_path, keys_dir)
        _killed(laptop_path, pg_desk, "centre", 1, keys_dir)
        _completes(centre, laptop_path, keys_dir, cases)


def test_a_link_dropped_mid_write_leaves_both_desks_whole(
    pg_desk, laptop_path, keys_dir, monkeypatch
):
    """The centre's server ends the sync's connection inside its second import (as when
    the link drops): that case is not written there; the sync says so in one line."""
    with named_desk(pg_desk, ETEL, keys_dir) as centre:
        cases = _setup(centre, laptop_path, keys_dir)
        link = Desk.open(pg_desk)
        save, calls = SyncState.save_mark, []

        def dropping_save(self, mark):
            save(self, mark)
            if self._desk is link:
                calls.append(mark)
                if len(calls) == 2:
                    with connect(pg_desk) as admin:
                        admin.execute(
                            "SELECT pg_terminate_backend(%s)", (link.conn.info.backend_pid,)
                        )

        monkeypatch.setattr(SyncState, "save_mark", dropping_save)
        with named_desk(laptop_path, FIELD, keys_dir) as laptop:
            with pytest.raises(StoreError) as dropped:
                sync(laptop, link)
            assert "\n" not in str(dropped.value)
        monkeypatch.undo()
        with pytest.raises(psycopg.OperationalError):
            link.conn.execute("SELECT 1")
        link.close()
        _completes(centre, laptop_path, keys_dir, cases)
