"""Handover packages carry the sender's signed checkpoint of the case (format version 5), so
the receiver can tell later if the sender's copy was cut or rewritten.

Before, a sender whose desk lost the last entries of a case (deleted behind its back, or
rolled back) sent the shorter log and the receiver merged it without a word: merging by UUID
keeps the receiver's entries, but nothing said that the sender's own copy no longer held them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from sarapp.chain import GENESIS_HASH, content_hash
from sarapp.store import Desk

from .conftest import Rccs, drop_append_only_triggers, ok, run, send_a_to_b


def _import_on_b(capsys, r: Rccs, path: Path) -> dict:
    return json.loads(ok(capsys, *r.on_b("handover", "import", str(path), "--json")))


def _grow_a(capsys, r: Rccs, *texts: str) -> None:
    """Entries typed on A, whose key the CLI finds through $SARAPP_KEYS_DIR."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SARAPP_KEYS_DIR", str(r.keys_a))
        for text in texts:
            ok(capsys, "--db", str(r.a), "log", "add", r.case_id, text)


def _signed_by_a(r: Rccs, document: dict, path: Path) -> Path:
    """``document`` signed by A's own key again, as it stands (its checkpoint untouched)."""
    from sarapp.exchange import keyring
    from sarapp.exchange.package import package_bytes, sign_package

    with Desk.open(r.a) as a:
        path.write_bytes(package_bytes(sign_package(document, keyring.desk_keys(a, r.keys_a))))
    return path


def test_a_package_carries_the_case_checkpoint_signed_by_its_key(capsys, rccs: Rccs) -> None:
    r = rccs
    document = json.loads(send_a_to_b(capsys, r).read_bytes())
    checkpoint = document["body"]["checkpoint"]
    last = document["body"]["log"][-1]
    assert document["format_version"] >= 5  # the checkpoint exists since format 5
    assert (checkpoint["case_id"], checkpoint["seq"], checkpoint["hash"]) == (
        r.case_id, last["seq"], last["hash"])  # fmt: skip
    assert checkpoint["key"] == document["signature"]["public_key"]
    assert checkpoint["desk_checkpoint"]["case_seq"] >= 1  # A's own chain signed the case
    _import_on_b(capsys, r, send_a_to_b(capsys, r, "again.sarpkg"))
    with Desk.open(r.b) as b:
        notes = [
            e for e in b.log.entries(r.case_id) if "sender_checkpoint" in e.data.get("handover", {})
        ]
    assert notes and notes[-1].data["handover"]["sender_checkpoint"]["seq"] >= last["seq"]


def test_the_receiver_tells_when_the_sender_s_copy_was_cut(capsys, rccs: Rccs) -> None:
    r = rccs
    _grow_a(capsys, r, "Lifeboat on scene", "All four crew recovered")
    first = json.loads(send_a_to_b(capsys, r, "first.sarpkg").read_bytes())
    _import_on_b(capsys, r, r.tmp / "first.sarpkg")
    signed = first["body"]["checkpoint"]["seq"]
    drop_append_only_triggers(r.a)  # A's desk loses its last entries behind its back
    conn = sqlite3.connect(r.a)
    conn.execute("DELETE FROM log_entries WHERE seq > 2")
    conn.commit()
    conn.close()
    result = _import_on_b(capsys, r, send_a_to_b(capsys, r, "second.sarpkg"))
    (warning,) = result["warnings"]
    assert warning.startswith(
        f"MRCC-ETEL's copy of the case was cut: it signed {signed} log entries at "
    ) and warning.endswith("this package holds 3")
    with Desk.open(r.b) as b:
        assert b.log.entries(r.case_id)[-1].text == warning  # in B's log for good
        assert b.check().ok  # B's own copy is whole: nothing lost by merging
    out = ok(capsys, *r.on_b("handover", "import", str(r.tmp / "second.sarpkg")))
    assert "was imported before" in out


def test_the_receiver_tells_when_the_sender_s_copy_was_rewritten(capsys, rccs: Rccs) -> None:
    r = rccs
    _grow_a(capsys, r, "All four crew recovered")
    _import_on_b(capsys, r, send_a_to_b(capsys, r, "first.sarpkg"))
    drop_append_only_triggers(r.a)
    conn = sqlite3.connect(r.a)
    conn.row_factory = sqlite3.Row
    conn.execute("UPDATE log_entries SET text = 'Crew not found' WHERE text LIKE 'All four%'")
    previous = GENESIS_HASH
    for row in conn.execute("SELECT * FROM log_entries WHERE case_id = ? ORDER BY seq",
                            (r.case_id,)):  # fmt: skip
        values = {**dict(row), "prev_hash": previous}
        values["hash"] = content_hash(values)
        conn.execute("UPDATE log_entries SET prev_hash = ?, hash = ? WHERE id = ?",
                     (previous, values["hash"], row["id"]))  # fmt: skip
        previous = values["hash"]
    conn.commit()
    conn.close()
    out = ok(capsys, *r.on_b("handover", "import", str(send_a_to_b(capsys, r, "second.sarpkg"))))
    assert "warning: MRCC-ETEL's copy of the case was rewritten: its entry " in out


def test_a_checkpoint_that_does_not_name_the_log_s_head_is_refused(capsys, rccs: Rccs) -> None:
    r = rccs
    document = json.loads(send_a_to_b(capsys, r).read_bytes())
    document["body"]["checkpoint"]["seq"] = 1  # claims a shorter log than it carries
    path = _signed_by_a(r, document, r.tmp / "odd.sarpkg")
    code, _, err = run(capsys, *r.on_b("handover", "import", str(path)))
    assert code == 1 and "checkpoint" in err and err.count("\n") == 1


def test_a_checkpoint_with_a_forged_signature_is_refused(capsys, rccs: Rccs) -> None:
    r = rccs
    document = json.loads(send_a_to_b(capsys, r).read_bytes())
    sig = document["body"]["checkpoint"]["signature"]
    document["body"]["checkpoint"]["signature"] = ("B" if sig[0] != "B" else "C") + sig[1:]
    path = _signed_by_a(r, document, r.tmp / "forged-checkpoint.sarpkg")
    code, _, err = run(capsys, *r.on_b("handover", "verify", str(path)))
    assert code == 1 and "checkpoint" in err
