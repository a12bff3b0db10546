"""``db check`` of a server desk: each desk computer signs its commits with its own key; the
chains, the replay of every case and every computer's checkpoints name what was changed
behind the desks' backs (by whoever administers the database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sarapp.exchange.desk_signer import SERVER_MIRROR_FILE, attach_checkpoint_signer
from sarapp.store import Desk
from sarapp.store.pg.location import connect


def _computer(location: str, keys: Path) -> Desk:
    """A desk computer: the server desk opened with its own keys folder."""
    keys.mkdir(exist_ok=True)
    desk = Desk.open(location)
    assert attach_checkpoint_signer(desk, keys) is not None
    return desk


def _two_computers_write(location: str, tmp_path: Path) -> tuple[str, Path]:
    with _computer(location, tmp_path / "a") as a, _computer(location, tmp_path / "b") as b:
        (case_id,) = a.cases.create(title="FV Marie-Jo", author="op-a").cases
        for i in range(3):  # each write signed at once (as a second later), a chain per key
            a.log.append(case_id, f"from a {i}", author="op-a")
            a.sign_pending()
            b.log.append(case_id, f"from b {i}", author="op-b")
            b.sign_pending()
        b.cases.set_field(case_id, "pob", "4", author="op-b")
        b.sign_pending()
        report = a.check()
        assert report.ok, report.problems
        assert any("signed by 2 desk computer key(s)" in n for n in report.notices)
    return case_id, tmp_path / "a"


def _as_owner(location: str, *statements: str) -> None:
    with connect(location) as conn:
        for statement in statements:
            conn.execute(statement)


def test_each_computer_signs_its_own_commits_and_the_check_is_clean(pg_desk, tmp_path):
    _two_computers_write(pg_desk, tmp_path)
    with connect(pg_desk) as conn:
        keys = conn.execute("SELECT count(DISTINCT public_key) FROM checkpoints").fetchone()[0]
        assert keys == 2
    assert len(list((tmp_path / "a").glob(f"*/{SERVER_MIRROR_FILE}"))) == 1


def test_a_case_field_changed_behind_the_desks_back_is_named(pg_desk, tmp_path):
    _two_computers_write(pg_desk, tmp_path)
    _as_owner(pg_desk, "UPDATE cases SET pob = 40")
    with Desk.open(pg_desk) as desk:
        (problem,) = desk.check().problems
    assert "persons on board is 40 but its log says 4" in problem


def test_a_recomputed_chain_is_named_by_the_checkpoints(pg_desk, tmp_path):
    """The owner rewrites an entry and recomputes every hash after it: the chain holds, the
    checkpoints the desk computers signed do not."""
    from sarapp.chain import entry_hash

    case_id, _ = _two_computers_write(pg_desk, tmp_path)
    with connect(pg_desk) as conn:
        conn.execute("ALTER TABLE log_entries DISABLE TRIGGER log_entries_append_only")
        rows = conn.execute(
            "SELECT id, seq, time, author, kind, text, data, corrects FROM log_entries"
            " WHERE case_id = %s ORDER BY seq",
            (case_id,),
        ).fetchall()
        prev = "0" * 64
        for entry_id, seq, when, author, kind, text, data, corrects in rows:
            text = "from a 0 (nothing to report)" if text == "from a 0" else text
            digest = entry_hash(entry_id=entry_id, case_id=case_id, seq=seq, time=when,
                                author=author, kind=kind, text=text, data=data,
                                corrects=corrects, prev_hash=prev)  # fmt: skip
            conn.execute(
                "UPDATE log_entries SET text = %s, prev_hash = %s, hash = %s WHERE id = %s",
                (text, prev, digest, entry_id),
            )
            prev = digest
    with Desk.open(pg_desk) as desk:
        problems = desk.check().problems
    assert any("no longer matches checkpoint" in p and "rewritten" in p for p in problems)


@pytest.mark.parametrize("which", ["first", "last"])
def test_a_deleted_checkpoint_is_named(pg_desk, tmp_path, which):
    """A checkpoint deleted inside a key's chain breaks it; the last one deleted shows against
    the copy the computer that signed it keeps."""
    _, keys_a = _two_computers_write(pg_desk, tmp_path)
    with connect(pg_desk) as conn:
        key_a = conn.execute("SELECT public_key FROM checkpoints ORDER BY seq LIMIT 1").fetchone()
        order = "ASC" if which == "first" else "DESC"
        (seq,) = conn.execute(
            f"SELECT seq FROM checkpoints WHERE public_key = %s ORDER BY seq {order} LIMIT 1",
            key_a,
        ).fetchone()
        conn.execute("ALTER TABLE checkpoints DISABLE TRIGGER checkpoints_append_only")
        conn.execute("DELETE FROM checkpoints WHERE seq = %s", (seq,))
    with _computer(pg_desk, keys_a) as a:
        problems = a.check().problems
    if which == "first":
        assert any("does not chain to that key's checkpoint before it" in p for p in problems)
    else:
        assert any(f"checkpoints {seq} signed by this computer" in p for p in problems)


def test_a_computer_signs_its_commits_in_batches_and_when_it_closes(pg_desk, tmp_path):
    """Signed after the commits (so appends to one case wait for commits only): every 32
    commits, a second after the first unsigned one (``sign_pending``, which the app calls
    every second), and when the desk closes."""
    from sarapp.store.checkpoint_keeper import SIGN_EVERY

    def count() -> int:
        with connect(pg_desk) as conn:
            return conn.execute("SELECT count(*) FROM checkpoints").fetchone()[0]

    with _computer(pg_desk, tmp_path / "a") as a:
        (case_id,) = a.cases.create(title="FV Marie-Jo", author="op-a").cases
        before = count()
        for i in range(SIGN_EVERY - 2):
            a.log.append(case_id, f"entry {i}", author="op-a")
        assert count() == before  # not yet: each commit waited for nothing but itself
        a.log.append(case_id, "the batch's last", author="op-a")
        assert count() == before + 1  # 32 commits since the last checkpoint
        a.log.append(case_id, "one more", author="op-a")
        a.sign_pending()
        assert count() == before + 2
        a.log.append(case_id, "the last before closing", author="op-a")
    assert count() == before + 3
    with _computer(pg_desk, tmp_path / "a") as a:
        report = a.check()
    assert report.ok, report.problems
    assert not [n for n in report.notices if "written without the desk's key" in n]


def test_heads_signed_out_of_commit_order_by_two_computers_check_clean(pg_desk, tmp_path):
    """Computer a commits entry 2 and signs it after computer b committed and signed entry 3:
    b's checkpoint comes first in number, a's holds the older head. Nothing was written
    without a key, and ``db check`` says so."""
    with _computer(pg_desk, tmp_path / "a") as a, _computer(pg_desk, tmp_path / "b") as b:
        (case_id,) = a.cases.create(title="FV Marie-Jo", author="op-a").cases
        a.sign_pending()
        a.log.append(case_id, "from a", author="op-a")  # entry 2, not signed yet
        b.log.append(case_id, "from b", author="op-b")  # entry 3
        b.sign_pending()
        a.sign_pending()
        report = a.check()
    assert report.ok, report.problems
    assert not [n for n in report.notices if "written without the desk's key" in n], report.notices
