"""Signed checkpoints: what the hash chain alone cannot show.

An attacker with the desk file but not its key could, before, cut the last entries of a case,
delete a whole case, or edit an entry and recompute the chain (and rebuild the search index),
and ``db check`` said ``ok``. The desk's key now signs the head of every case chain at each
commit; each of these no longer matches a signature.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sarapp.model import AlertPhase, Position
from sarapp.store import Desk
from sarapp.store.checkpoints import mirror_path

from .conftest import KeySigner, drop_append_only_triggers, tamper
from .test_tamper import _rewrite

T = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _two_cases(store: Desk) -> tuple[str, str]:
    (a,) = store.cases.create(title="FV Marie fire", author="op1", phase=AlertPhase.ALERFA).cases
    store.cases.add_position(a, Position(47.5, -3.5, T, "reported"), author="op1")
    store.log.append(a, "Lifeboat tasked", author="op1")
    store.log.append(a, "All crew rescued", author="op1")
    (b,) = store.cases.create(title="Yacht Albatros overdue", author="op1").cases
    store.log.append(b, "Harbour master called", author="op1")
    return store.cases.get(a).number, store.cases.get(b).number


def _check(path: Path, signer: KeySigner | None):
    with Desk.open(path, signer=signer) as store:
        return store.check()


def test_every_commit_is_signed_and_mirrored(desk_path: Path, signer: KeySigner) -> None:
    with Desk.open(desk_path, signer=signer) as store:
        _two_cases(store)
        rows = store.conn.execute("SELECT COUNT(*) FROM checkpoints").fetchone()[0]
        report = store.check()
    assert rows == 6  # one per commit that added entries
    assert report.ok and report.notices == ()
    lines = mirror_path(desk_path).read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3, 4, 5, 6]


def test_cutting_the_last_entries_of_a_case_is_named(desk_path: Path, signer: KeySigner):
    with Desk.open(desk_path, signer=signer) as store:
        a, _ = _two_cases(store)
    drop_append_only_triggers(desk_path)
    tamper(
        desk_path,  # the last two entries go, and the case's last-change time with them
        "DELETE FROM log_entries WHERE seq > 3 AND text <> 'Harbour master called'",
        "UPDATE cases SET updated = (SELECT time FROM log_entries e WHERE e.case_id = cases.id"
        " ORDER BY seq DESC LIMIT 1)",
        "INSERT INTO log_search (log_search) VALUES ('rebuild')",
    )
    problems = _check(desk_path, signer).problems
    assert any(f"case {a}: its log ends at entry 3" in p and "was cut" in p for p in problems)


def test_deleting_a_whole_case_is_named(desk_path: Path, signer: KeySigner) -> None:
    with Desk.open(desk_path, signer=signer) as store:
        _, b = _two_cases(store)
        b_id = store.cases.resolve(b)
    drop_append_only_triggers(desk_path)
    tamper(
        desk_path,
        f"DELETE FROM log_entries WHERE case_id = '{b_id}'",
        f"DELETE FROM cases WHERE id = '{b_id}'",
        "INSERT INTO log_search (log_search) VALUES ('rebuild')",
    )
    problems = _check(desk_path, signer).problems
    assert any(f"case {b_id} was deleted: checkpoint" in p for p in problems), problems


def test_an_entry_edited_with_its_chain_recomputed_is_named(desk_path: Path, signer):
    with Desk.open(desk_path, signer=signer) as store:
        a, _ = _two_cases(store)
    drop_append_only_triggers(desk_path)
    _rewrite(desk_path, "All crew rescued", "Crew not found, search suspended")
    tamper(desk_path, "INSERT INTO log_search (log_search) VALUES ('rebuild')")
    problems = _check(desk_path, signer).problems
    assert any(f"case {a}: entry" in p and "no longer matches checkpoint" in p for p in problems)


def test_cutting_the_checkpoints_too_is_caught_by_the_mirror(desk_path: Path, signer) -> None:
    with Desk.open(desk_path, signer=signer) as store:
        a, _ = _two_cases(store)
        a_id = store.cases.resolve(a)
    drop_append_only_triggers(desk_path)
    tamper(
        desk_path,  # roll the desk back to before "All crew rescued", checkpoints included
        f"DELETE FROM log_entries WHERE case_id = '{a_id}' AND seq = 4",
        "DELETE FROM checkpoints WHERE seq >= 4",
        "INSERT INTO log_search (log_search) VALUES ('rebuild')",
    )
    problems = "\n".join(_check(desk_path, None).problems)  # a viewer without the key
    assert "checkpoints 4–6 are in the mirror desk.sqlite.checkpoints but not in the desk" in (
        problems
    )
    assert f"case {a}: its log ends at entry 3" in problems


def test_a_chain_signed_again_with_another_key_is_named(desk_path: Path, signer) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with Desk.open(desk_path, signer=signer) as store:
        _two_cases(store)
    mallory = KeySigner(Ed25519PrivateKey.generate())
    drop_append_only_triggers(desk_path)
    tamper(desk_path, "DELETE FROM checkpoints")
    mirror_path(desk_path).unlink()
    with Desk.open(desk_path, signer=mallory) as store:  # a full checkpoint by mallory
        assert store.conn.execute("SELECT COUNT(*) FROM checkpoints").fetchone()[0] == 1
    with Desk.open(desk_path, signer=signer) as store:
        store.log.append(store.cases.list()[0].id, "Next entry", author="op1")
        assert store.conn.execute("SELECT COUNT(*) FROM checkpoints").fetchone()[0] == 1
        problems = store.check().problems
    assert any("not by this desk's key" in p for p in problems), problems


def test_a_desk_without_its_key_works_and_says_checkpoints_lag(desk_path: Path, signer):
    with Desk.open(desk_path, signer=signer) as store:
        a, _ = _two_cases(store)
    with Desk.open(desk_path) as viewer:  # no key: a read-only viewer, a CLI without keys
        viewer.log.append(a, "Weather improving", author="op2")
        report = viewer.check()
    assert report.ok
    assert any("could not be extended over 1 entries of 1 cases" in n for n in report.notices)
    assert any("open the desk with its key" in n for n in report.notices)
    report = _check(desk_path, signer)  # opening with the key signs what was written without
    assert report.ok
    assert report.notices == (
        "1 entries of 1 cases were written without the desk's key and signed only later, so "
        f"nothing vouches for them before: case {a} entries 5–5 (checkpoint 7)",
    )


def test_an_entry_slipped_in_behind_the_desk_s_back_stays_named(desk_path: Path, signer):
    """Appended in SQL with a correct chain after the last checkpoint, then signed over by
    the next change made with the key: db check still says it was not signed when written."""
    import sqlite3

    with Desk.open(desk_path, signer=signer) as store:
        a, _ = _two_cases(store)
        case_id = store.cases.resolve(a)
        head = store.log.entries(case_id)[-1]
    row = {"id": "22222222-2222-4222-8222-222222222222", "case_id": case_id, "seq": 5,
           "time": "2026-12-01T10:00:00.000000Z", "author": "op1", "kind": "note",
           "text": "Stand down all units", "data": "{}", "corrects": None,
           "prev_hash": head.hash}  # fmt: skip
    from sarapp.chain import content_hash

    row["hash"] = content_hash(row)
    conn = sqlite3.connect(desk_path)
    conn.execute(
        "INSERT INTO log_entries (id, case_id, seq, time, author, kind, text, data, corrects,"
        " prev_hash, hash) VALUES (:id, :case_id, :seq, :time, :author, :kind, :text, :data,"
        " :corrects, :prev_hash, :hash)",
        row,
    )
    conn.execute("UPDATE cases SET updated = :time WHERE id = :case_id", row)
    conn.commit()
    conn.close()
    with Desk.open(desk_path, signer=signer) as store:
        store.log.append(case_id, "Lifeboat returning", author="op1")  # signs over entry 5
        report = store.check()
    assert any(f"case {a} entries 5–5" in n for n in report.notices), report.notices


def test_a_later_full_checkpoint_does_not_launder_a_cut(desk_path: Path, signer) -> None:
    with Desk.open(desk_path, signer=signer) as store:
        a, _ = _two_cases(store)
    drop_append_only_triggers(desk_path)
    tamper(
        desk_path,
        "DELETE FROM log_entries WHERE seq = 4 AND text = 'All crew rescued'",
        "INSERT INTO desk_meta (key, value) VALUES ('checkpoints_behind', '1')",
        "INSERT INTO log_search (log_search) VALUES ('rebuild')",
    )
    with Desk.open(desk_path, signer=signer) as store:  # signs every head as it is now
        assert json.loads(
            store.conn.execute("SELECT body FROM checkpoints ORDER BY seq DESC LIMIT 1").fetchone()[
                0
            ]
        )["full"]
        problems = store.check().problems  # fmt: skip
    assert any(f"case {a}: its log ends at entry 3" in p for p in problems), problems


def test_checkpoints_are_append_only_and_their_mirror_must_agree(desk_path: Path, signer):
    with Desk.open(desk_path, signer=signer) as store:
        _two_cases(store)
    conn = sqlite3.connect(desk_path)
    for sql in ("DELETE FROM checkpoints", "UPDATE checkpoints SET time = time"):
        try:
            conn.execute(sql)
            raise AssertionError(f"{sql} was allowed")
        except sqlite3.IntegrityError as exc:
            assert "append-only" in str(exc)
    conn.close()
    mirror = mirror_path(desk_path)
    lines = mirror.read_text().splitlines()
    lines[1] = lines[1].replace('"signature":"', '"signature":"A')
    mirror.write_text("\n".join(lines) + "\n")
    problems = _check(desk_path, signer).problems
    assert any("checkpoint 2 differs between the desk and its mirror" in p for p in problems)
    mirror.unlink()
    problems = _check(desk_path, None).problems
    assert any("mirror desk.sqlite.checkpoints is missing" in p for p in problems), problems


# The CLI and the app sign with the desk's own key (sarapp.exchange.desk_signer).


def test_a_desk_the_cli_creates_signs_with_its_own_key(capsys, tmp_path: Path) -> None:
    from .conftest import run

    db = str(tmp_path / "new.sqlite")
    code, out, err = run(capsys, "--db", db, "case", "new", "--title", "FV Marie", "--json")
    assert code == 0, err
    number = json.loads(out)["number"]
    assert run(capsys, "--db", db, "log", "add", number, "Lifeboat tasked")[0] == 0
    code, out, err = run(capsys, "--db", db, "db", "check")
    assert (code, out, err) == (0, "ok\n", "")  # signed throughout: nothing to note
    with Desk.open(db) as store:
        # the desk's trust (its new key) as the desk was made, then one per commit
        assert store.conn.execute("SELECT COUNT(*) FROM checkpoints").fetchone()[0] == 3
    keys = list(Path(os.environ["XDG_DATA_HOME"]).glob("sarapp/keys/*/desk.key"))
    assert len(keys) == 1 and keys[0].stat().st_mode & 0o077 == 0


def test_without_its_key_the_cli_still_works_and_db_check_says_so(capsys, tmp_path: Path):
    from .conftest import run

    db = str(tmp_path / "new.sqlite")
    code, out, _ = run(capsys, "--db", db, "case", "new", "--title", "FV Marie", "--json")
    number = json.loads(out)["number"]
    for key in Path(os.environ["XDG_DATA_HOME"]).glob("sarapp/keys/*/desk.key"):
        key.unlink()  # the private key is not here (another machine, a viewer's account)
    code, _, err = run(capsys, "--db", db, "log", "add", number, "Weather fair")
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "db", "check")
    assert code == 0 and out.startswith("ok\n"), err
    assert "checkpoints could not be extended over 1 entries of 1 cases" in out
    assert "the key this desk records" in out


def test_the_app_signs_with_the_desk_key(qtbot, tmp_path: Path) -> None:
    from sarapp.ui.app import open_desk

    store = open_desk(tmp_path / "app.sqlite")  # a new desk: made with its key, demo case in
    assert store is not None
    try:
        assert store.checkpoints.signer is not None
        assert store.conn.execute("SELECT COUNT(*) FROM checkpoints").fetchone()[0] >= 1
        report = store.check()
        assert report.ok and report.notices == (), (report.problems, report.notices)
    finally:
        store.close()
