"""A commit whose answer is lost on the way back: the server stored the entries, the desk
computer was told nothing. Its checkpoint must still vouch for them once it learns they are
there (issue 14's "left": the computer's signature of such a commit was dropped, and
``db check`` then called the entries "written without the desk's key").

The loss is real: the desk talks to the server through a socket relay that passes the COMMIT
on, waits for the server's answer, and cuts both connections instead of passing it back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.model import new_id
from sarapp.store import ConnectionLost, Desk


def _computer(location: str, keys: Path) -> Desk:
    keys.mkdir(exist_ok=True)
    desk = Desk.open(location)
    assert attach_checkpoint_signer(desk, keys) is not None
    return desk


def _unvouched(notices: list[str]) -> list[str]:
    return [n for n in notices if "written without the desk's key" in n]


def test_the_relay_loses_the_answer_of_a_commit_that_landed(relayed, pg_desk):
    location, relay = relayed
    with Desk.open(location) as desk:
        (case_id,) = desk.cases.create(title="FV Marie-Jo", author="op").cases
        relay.lose_next_commit_answer()
        with pytest.raises(ConnectionLost):
            desk.log.append(case_id, "Rescue 169 winching", author="op")
        assert relay.cut.is_set()
    with Desk.open(pg_desk) as direct:  # stored all the same
        assert [e.text for e in direct.log.entries(case_id)][-1] == "Rescue 169 winching"


@pytest.mark.parametrize("then", ["sent again", "written on", "closed"])
def test_a_commit_whose_answer_was_lost_is_signed_by_its_computer(relayed, tmp_path, then):
    location, relay = relayed
    with _computer(location, tmp_path / "keys") as desk:
        (case_id,) = desk.cases.create(title="FV Marie-Jo", author="op").cases
        desk.log.append(case_id, "Dragon 13 tasked", author="op")
        desk.sign_pending()
        entry_id = new_id()
        relay.lose_next_commit_answer()
        with pytest.raises(ConnectionLost):
            desk.log.append(case_id, "Rescue 169 winching", author="op", entry_id=entry_id)
        assert relay.cut.is_set()
        if then == "sent again":  # as the app does on Enter again: the server has it already
            again = desk.log.append(case_id, "Rescue 169 winching", author="op",
                                    entry_id=entry_id)  # fmt: skip
            assert not again.entries
            desk.sign_pending()
        elif then == "written on":
            desk.log.append(case_id, "Rescue 169 on scene", author="op")
            desk.sign_pending()
    with Desk.open(location) as desk:  # as the check runs, from any computer with the keys
        assert attach_checkpoint_signer(desk, tmp_path / "keys") is not None
        report = desk.check()
    assert report.ok, report.problems
    assert not _unvouched(report.notices), report.notices


def test_a_lost_commit_that_did_not_land_is_not_signed(relayed, pg_desk, tmp_path):
    """The other side: the answer was lost because the COMMIT never reached the server.
    What the computer believed it wrote is not signed, nor is the entry another desk stored
    next under the same number (that one is signed only later, by a key's full checkpoint)."""
    location, relay = relayed
    with _computer(location, tmp_path / "keys") as desk:
        (case_id,) = desk.cases.create(title="FV Marie-Jo", author="op").cases
        desk.sign_pending()
        relay.lose_next_commit()
        with pytest.raises(ConnectionLost):
            desk.log.append(case_id, "never stored", author="op")
        assert relay.cut.is_set()
        with Desk.open(pg_desk) as other:  # unsigned: another computer without a key
            other.log.append(case_id, "from a desk without its key", author="op2")
        desk.sign_pending()
    with Desk.open(pg_desk) as desk:
        texts = [e.text for e in desk.log.entries(case_id)]
        assert "never stored" not in texts and texts[-1] == "from a desk without its key"
        assert attach_checkpoint_signer(desk, tmp_path / "keys") is not None
        report = desk.check()
    assert report.ok, report.problems  # a head signed for "never stored" would be named
