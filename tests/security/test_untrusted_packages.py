"""Only packages signed by a key in the desk's trust list change the desk (issue 10).

Each attack here was reproduced on main: a package signed by a key nobody trusts was imported
by ``handover import``, by the watched folder and by the app; a trusted key could speak for
another RCC; a package could make up who coordinates a case; an old package replayed after a
newer one added false conflicts.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sarapp.exchange.desk_signer import attach_checkpoint_signer
from sarapp.model import AlertPhase
from sarapp.store import Desk

from .conftest import (
    Rccs,
    append_entry,
    dump,
    forge,
    key_fingerprint,
    ok,
    run,
    send_a_to_b,
    tamper,
)


def _forged_stand_down(capsys, r: Rccs) -> tuple[Path, Ed25519PrivateKey]:
    """The attack of the issue: A's genuine package, with "all crew rescued, stand down all
    units" added and a made-up RCC set to coordinate, re-signed with a fresh key that still
    claims to be MRCC-ETEL."""
    document = json.loads(send_a_to_b(capsys, r, "genuine.sarpkg").read_bytes())
    append_entry(document, "All crew rescued, stand down all units")
    append_entry(
        document,
        "Coordination accepted by MRCC-NOWHERE",
        {"coordination": {"event": "accepted", "rcc_id": "MRCC-NOWHERE", "rcc_name": "",
                          "package_id": None, "time": document["body"]["log"][-1]["time"]}},
    )  # fmt: skip
    attacker = Ed25519PrivateKey.generate()
    path = r.tmp / "forged.sarpkg"
    path.write_bytes(forge(document, attacker))
    return path, attacker


def _from_brest(capsys, r: Rccs) -> tuple[Path, Ed25519PrivateKey]:
    """A genuine-looking package from a third RCC, MRCC Brest, that B does not know yet."""
    brest_key = Ed25519PrivateKey.generate()
    document = json.loads(send_a_to_b(capsys, r, "to-copy.sarpkg").read_bytes())
    document["header"]["from"] = {"id": "MRCC-BREST", "name": "MRCC Brest", "country": "FR"}
    package = r.tmp / "brest.sarpkg"
    package.write_bytes(forge(document, brest_key))
    return package, brest_key


def _b_has_the_case(capsys, r: Rccs) -> None:
    ok(capsys, *r.on_b("handover", "import", str(send_a_to_b(capsys, r, "first.sarpkg"))))


def test_cli_import_quarantines_a_package_from_an_unknown_key(capsys, rccs: Rccs) -> None:
    r = rccs
    _b_has_the_case(capsys, r)
    forged, attacker = _forged_stand_down(capsys, r)
    before = dump(r.b)
    code, _, err = run(capsys, *r.on_b("handover", "import", str(forged)))
    assert code == 1
    (line,) = err.splitlines()  # one line: the fingerprint and what to do
    assert "quarantined" in line and key_fingerprint(attacker) in line
    assert f"sarapp --db {r.b} keys trust" in line and "MRCC-ETEL" in line
    assert dump(r.b) == before  # written nowhere in the desk's tables
    log = ok(capsys, "--db", str(r.b), "log", "list", r.case_id)
    assert "stand down" not in log
    assert "ok" in ok(capsys, "--db", str(r.b), "db", "check")
    kept = [p for p in r.tmp.iterdir() if p.is_dir() and "quarantine" in p.name]
    assert len(kept) == 1 and kept[0].parent == r.b.parent  # kept aside, beside the desk
    assert [f.read_bytes() for f in kept[0].iterdir()] == [forged.read_bytes()]


def test_cli_import_json_says_quarantined(capsys, rccs: Rccs) -> None:
    r = rccs
    forged, attacker = _forged_stand_down(capsys, r)
    code, out, _ = run(capsys, *r.on_b("handover", "import", str(forged), "--json"))
    answer = json.loads(out)
    assert code == 1 and answer["status"] == "quarantined"
    assert answer["fingerprint"] == key_fingerprint(attacker)
    assert answer["claimed_sender"]["id"] == "MRCC-ETEL"
    with Desk.open(r.b, create=False) as b:
        assert b.cases.list() == []


def test_the_watched_folder_quarantines_an_unknown_signer(capsys, rccs: Rccs) -> None:
    r = rccs
    _b_has_the_case(capsys, r)
    forged, _ = _forged_stand_down(capsys, r)
    drop = r.tmp / "usb"
    drop.mkdir()
    shutil.copyfile(forged, drop / "forged.sarpkg")
    before = dump(r.b)
    code, out, _ = run(capsys, *r.on_b("inbox", "watch", str(drop), "--once", "--json"))
    (handled,) = json.loads(out)
    assert handled["imported"] is False and handled["quarantined"] is True
    assert code == 1 and dump(r.b) == before
    assert not (drop / "forged.sarpkg").exists()  # taken out of the drop folder


def test_an_officer_trusts_a_quarantined_key_after_checking_it_then_imports(
    capsys, rccs: Rccs
) -> None:
    """A third RCC unknown to B: quarantined, listed with its claimed sender and fingerprint,
    importable once the officer has trusted the key with the fingerprint read to them."""
    r = rccs
    package, brest_key = _from_brest(capsys, r)
    assert run(capsys, *r.on_b("handover", "import", str(package)))[0] == 1
    (item,) = json.loads(ok(capsys, *r.on_b("handover", "quarantine", "--json")))
    assert item["claimed_sender"]["id"] == "MRCC-BREST"
    assert item["fingerprint"] == key_fingerprint(brest_key)
    wrong = "0000 " * 15 + "0000"
    code, _, err = run(capsys, *r.on_b("keys", "trust", item["file"], "--fingerprint", wrong))
    assert code == 1 and "does not match" in err
    ok(capsys, *r.on_b("keys", "trust", item["file"], "--fingerprint", item["fingerprint"]))
    shown = json.loads(ok(capsys, *r.on_b("keys", "show", "--json")))
    assert "MRCC-BREST" in [p["rcc"]["id"] for p in shown["trusted"]]
    result = json.loads(
        ok(capsys, *r.on_b("handover", "import", "--quarantined", item["package_id"], "--json"))
    )
    assert result["created"] is True and result["signer"] == "MRCC-BREST"
    assert json.loads(ok(capsys, *r.on_b("handover", "quarantine", "--json"))) == []


def test_a_trusted_key_signing_for_another_rcc_is_refused(capsys, rccs: Rccs) -> None:
    r = rccs
    ok(capsys, *r.on_a("keys", "rcc", "MRCC-BREST"))  # A's key, trusted by B as MRCC-ETEL
    package = send_a_to_b(capsys, r)
    before = dump(r.b)
    code, _, err = run(capsys, *r.on_b("handover", "import", str(package)))
    assert code == 1 and "MRCC-ETEL" in err and "MRCC-BREST" in err
    assert dump(r.b) == before


def test_coordination_records_naming_an_rcc_that_did_not_sign_them_are_refused(
    capsys, rccs: Rccs
) -> None:
    r = rccs
    with Desk.open(r.a) as a:
        a.coordination.record(r.case_id, event="accepted", rcc_id="MRCC-NOWHERE", author="op",
                              text="Coordination accepted by MRCC-NOWHERE")  # fmt: skip
    package = send_a_to_b(capsys, r)
    before = dump(r.b)
    code, _, err = run(capsys, *r.on_b("handover", "import", str(package)))
    assert code == 1 and "MRCC-NOWHERE" in err
    assert dump(r.b) == before


def test_an_older_package_after_a_newer_one_changes_nothing(capsys, rccs: Rccs) -> None:
    r = rccs
    older = send_a_to_b(capsys, r, "older.sarpkg")
    with Desk.open(r.a) as a:
        a.cases.set_phase(r.case_id, AlertPhase.ALERFA, author="op", reason="vessel located")
    newer = send_a_to_b(capsys, r, "newer.sarpkg")
    ok(capsys, *r.on_b("handover", "import", str(newer)))
    before = dump(r.b)
    out = ok(capsys, *r.on_b("handover", "import", str(older)))
    assert "older" in out and "nothing changed" in out
    assert dump(r.b) == before  # no conflict entries, nothing at all
    answer = json.loads(ok(capsys, *r.on_b("handover", "import", str(older), "--json")))
    assert answer["replay_of"] == json.loads(newer.read_bytes())["header"]["package_id"]
    assert answer["conflicts"] == [] and answer["added_entries"] == 0


def test_an_older_package_is_known_by_the_signed_log_even_without_the_packages_table(
    capsys, rccs: Rccs
) -> None:
    """The packages table, on which the replay check rested, is outside the checkpoints: an
    intruder who emptied it made an old genuine package look new, and its import logged a
    false "MRCC-ETEL's copy of the case was cut". The import notes in the signed log keep the
    newer package's checkpoint: the older one is a replay all the same."""
    r = rccs
    older = send_a_to_b(capsys, r, "older.sarpkg")
    with Desk.open(r.a) as a:
        a.log.append(r.case_id, "Lifeboat on scene", author="op")
    newer = send_a_to_b(capsys, r, "newer.sarpkg")
    ok(capsys, *r.on_b("handover", "import", str(newer)))
    tamper(r.b, "DELETE FROM packages")
    before = dump(r.b)
    answer = json.loads(ok(capsys, *r.on_b("handover", "import", str(older), "--json")))
    assert answer["replay_of"] == json.loads(newer.read_bytes())["header"]["package_id"]
    assert dump(r.b) == before  # no false "copy was cut", nothing at all
    assert "was cut" not in ok(capsys, "--db", str(r.b), "log", "list", r.case_id)


def test_the_app_quarantines_then_imports_once_the_key_is_trusted(qtbot, capsys, rccs) -> None:
    from sarapp.ui.handover_dialog import HandoverDialog

    r = rccs
    package, brest_key = _from_brest(capsys, r)
    with Desk.open(r.b) as b:
        assert attach_checkpoint_signer(b, r.keys_b) is not None  # as the app opens its desk
        dialog = HandoverDialog(b, None, keys_dir=r.keys_b)
        qtbot.addWidget(dialog)
        importer = dialog.importer  # reads, verifies and imports in a worker
        with qtbot.waitSignal(importer.preview_shown, timeout=10000) as shown:
            importer.load_package(package)
        assert shown.args[0] is not None  # the preview is shown, nothing written
        assert importer.import_button.text() == "Put in quarantine"
        with qtbot.waitSignal(importer.quarantined, timeout=10000):
            importer.import_now()  # quarantined, not imported
        assert b.cases.list() == []
        assert "quarantined" in importer.summary_label.text().lower()
        page = dialog.quarantine
        assert page.table.rowCount() == 1
        shown = " ".join(page.table.item(0, c).text() for c in range(page.table.columnCount()))
        assert "MRCC-BREST" in shown and key_fingerprint(brest_key) in shown
        page.table.selectRow(0)
        assert not page.import_selected()  # the key is not trusted yet: still nothing written
        assert b.cases.list() == []
        assert not page.trust_selected("1234 5678")  # not the fingerprint: not trusted
        assert "MRCC-BREST" not in [p.rcc.id for p in b.trust.peers()]
        assert page.trust_selected(key_fingerprint(brest_key))
        assert page.import_selected()
        assert [c.id for c in b.cases.list()] == [r.case_id]
        assert page.table.rowCount() == 0


def test_a_dry_run_says_the_package_would_be_quarantined(capsys, rccs: Rccs) -> None:
    r = rccs
    forged, attacker = _forged_stand_down(capsys, r)
    before = dump(r.b)
    code, out, _ = run(capsys, *r.on_b("handover", "import", str(forged), "--dry-run"))
    assert code == 0 and "would be quarantined" in out and key_fingerprint(attacker) in out
    assert dump(r.b) == before


def test_the_commands_the_quarantine_prints_work_on_the_officers_desk_as_printed(
    capsys, rccs: Rccs
) -> None:
    """They named no desk: run as printed after ``sarapp --db b.sqlite handover import``,
    they went to the user's default desk ("no desk database", or, for an officer who has
    one, the key trusted in the wrong desk)."""
    r = rccs
    package, _ = _from_brest(capsys, r)
    code, _, err = run(capsys, *r.on_b("handover", "import", str(package)))
    assert code == 1
    commands = err.split("then run: ", 1)[1].strip().split(" and sarapp ")
    trust, load = shlex.split(commands[0]), ["sarapp", *shlex.split(commands[1])]
    assert trust[0] == load[0] == "sarapp"
    ok(capsys, *trust[1:])
    shown = json.loads(ok(capsys, *r.on_b("keys", "show", "--json")))
    assert "MRCC-BREST" in [p["rcc"]["id"] for p in shown["trusted"]]
    ok(capsys, *load[1:])
    assert json.loads(ok(capsys, *r.on_b("handover", "quarantine", "--json"))) == []
