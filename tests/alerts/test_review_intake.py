"""Review: the same SIT 185 from a file saved with a byte-order mark is still the same."""

from __future__ import annotations

from pathlib import Path

from sarapp.alerts.intake import import_sit185
from sarapp.cli import main
from sarapp.store import Desk

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "sit185"


def test_message_with_a_bom_and_crlf_is_the_same_message(tmp_path, capsys) -> None:
    text = (SAMPLES / "initial_doppler.txt").read_text(encoding="utf-8")
    db = tmp_path / "desk.sqlite"
    with Desk.open(db) as store:
        first = import_sit185(store, text, author="op")
        entries = len(store.log.entries(first.case_id))
    saved = tmp_path / "saved.txt"
    saved.write_bytes(
        b"\xef\xbb\xbf" + "\r\n".join(f"{line}  " for line in text.split("\n")).encode()
    )
    assert main(["alert", "import", str(saved), "--db", str(db), "--author", "op"]) == 0
    assert "already received" in capsys.readouterr().out
    with Desk.open(db) as store:
        assert len(store.log.entries(first.case_id)) == entries
