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
        for i in range(3):
            a.log.append(case_id, f"from a {i}", author="op-a")
            b.log.append(case_id, f"from b {i}", author="op-b")
        b.cases.set_field(case_id, "pob", "4", author="op-b")
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
