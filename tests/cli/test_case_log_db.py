"""The CLI's case, log and db commands, in-process and through the installed script."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sarapp.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def db(desk_path: Path) -> str:
    return str(desk_path)


def new_case(capsys, db: str, *extra: str) -> dict:
    return run_json(capsys, "--db", db, "case", "new", "--title", "FV Marie-Jo", *extra)


def test_case_new_prints_the_case_with_id_and_number(capsys, db):
    case = new_case(
        capsys,
        db,
        "--phase",
        "detresfa",
        "--lat",
        "43°12.345'N",
        "--lon",
        "005°06.789'E",
        "--time",
        "261430Z NOV 26",
        "--pob",
        "4",
        "--vessel",
        "Marie-Jo",
        "--mmsi",
        "227123456",
        "--imo",
        "9074729",
        "--call-sign",
        "fabc",
        "--flag",
        "FR",
        "--author",
        "Dupont",
    )
    assert len(case["id"]) == 36 and case["number"].endswith("-0001")
    assert case["phase"] == "DETRESFA" and case["pob"] == 4 and case["call_sign"] == "FABC"
    assert case["lkp"]["lat"] == pytest.approx(43.20575)
    assert case["lkp"]["time"] == "2026-11-26T14:30:00Z"


def test_case_list_show_set_phase_close(capsys, db):
    case = new_case(capsys, db)
    ref = case["number"]
    assert [c["id"] for c in run_json(capsys, "--db", db, "case", "list")] == [case["id"]]
    assert run_json(capsys, "case", "list", "--db", db, "--phase", "DETRESFA") == []
    shown = run_json(capsys, "--db", db, "case", "show", case["id"][:6])
    assert shown["number"] == ref and shown["positions"] == []
    assert run_json(capsys, "--db", db, "case", "set", ref, "pob", "7")["pob"] == 7
    assert run_json(capsys, "--db", db, "case", "phase", ref, "ALERFA")["phase"] == "ALERFA"
    assert run_json(capsys, "--db", db, "case", "close", ref, "--reason", "found")["status"] == (
        "closed"
    )
    kinds = [e["kind"] for e in run_json(capsys, "--db", db, "log", "list", ref)]
    assert kinds == ["created", "field", "phase", "status"]


def test_log_add_list_search(capsys, db):
    ref = new_case(capsys, db)["number"]
    entry = run_json(capsys, "--db", db, "log", "add", ref, "MAYDAY relayed", "--author", "Lee")
    assert set(entry) >= {"id", "case_id", "time", "author", "kind", "text"}
    assert (entry["author"], entry["kind"], entry["text"]) == ("Lee", "note", "MAYDAY relayed")
    fix = run_json(
        capsys, "--db", db, "log", "add", ref, "MAYDAY relay cancelled", "--corrects", entry["id"]
    )
    assert fix["kind"] == "correction" and fix["corrects"] == entry["id"]
    hits = run_json(capsys, "--db", db, "log", "search", "mayday")
    assert {h["id"] for h in hits} == {entry["id"], fix["id"]}
    assert all(h["case_id"] == entry["case_id"] for h in hits)


def test_log_add_run_again_with_its_id_stores_the_entry_once(capsys, db):
    ref = new_case(capsys, db)["number"]
    entry_id = "0F8FAD5B-D9CB-469F-A165-70867728950E"
    for _ in range(2):  # the first answer lost: the script runs the same command again
        entry = run_json(capsys, "--db", db, "log", "add", ref, "On scene", "--id", entry_id)
        assert entry["id"] == entry_id.lower() and entry["text"] == "On scene"
    texts = [e["text"] for e in run_json(capsys, "--db", db, "log", "list", ref)]
    assert texts.count("On scene") == 1
    note_id = "7d444840-9dc0-11d1-b245-5ffdce74fad2"
    for _ in range(2):
        entry = run_json(capsys, "--db", db, "log", "add", ref, "Wife called", "--personal",
                         "--id", note_id)  # fmt: skip
        assert entry["id"] == note_id and entry["personal"] == "Wife called"
    listed = run_json(capsys, "--db", db, "log", "list", ref)
    assert [e.get("personal") for e in listed].count("Wife called") == 1


def test_db_check_ok_then_names_the_tampered_entry(capsys, db):
    ref = new_case(capsys, db)["number"]
    run(capsys, "--db", db, "log", "add", ref, "one")
    code, out, err = run(capsys, "--db", db, "db", "check")
    assert (code, out.splitlines()[0], err) == (0, "ok", "")
    assert "note: no signed checkpoints" in out  # the CLI had no key: said, not failed
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER log_entries_append_only_update")
    conn.execute("UPDATE log_entries SET author = 'mallory' WHERE seq = 2")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "--db", db, "db", "check")
    assert code == 1 and out.startswith("note: ")  # problems on stderr, what was not checked
    lines = err.splitlines()
    assert "schema: trigger log_entries_append_only_update is missing" in lines[0]
    assert lines[1].startswith(f"case {ref} entry 2 ") and "hash" in lines[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["case", "new", "--title", "x", "--mmsi", "12345"], "MMSI"),
        (["case", "new", "--title", "x", "--lat", "91N", "--lon", "5E"], "latitude"),
        (["case", "new", "--title", "x", "--lat", "43N"], "--lat and --lon"),
        (["case", "new"], "title"),
        (["case", "show", "2020-0099"], "no case"),
        (["case", "set", "2020-0099", "pob", "3"], "no case"),
        (["log", "add", "2020-0099", "text"], "no case"),
    ],
)
def test_bad_input_is_one_clear_line(capsys, db, argv, message):
    code, out, err = run(capsys, "--db", db, *argv)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message.lower() in err.lower()


def test_a_foreign_file_is_refused_with_one_line(capsys, tmp_path):
    path = tmp_path / "other.sqlite"
    path.write_text("not a database at all" * 100)
    code, _, err = run(capsys, "--db", str(path), "case", "list")
    assert code == 1 and "not a SQLite database" in err


def test_installed_command_runs_without_traceback(tmp_path):
    exe = Path(sys.executable).with_name("sarapp")
    db = str(tmp_path / "d.sqlite")
    ok = subprocess.run(
        [exe, "--db", db, "case", "new", "--title", "Kayaker overdue", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["title"] == "Kayaker overdue"
    bad = subprocess.run(
        [exe, "--db", db, "case", "phase", "2020-0001", "ALERFA"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert (
        bad.stderr.strip() == "sarapp: no case '2020-0001' on this desk (give a case number or id)"
    )


def test_refused_new_case_creates_no_desk_file(capsys, tmp_path):
    path = tmp_path / "new.sqlite"
    code, _, err = run(capsys, "--db", str(path), "case", "new", "--title", "x", "--mmsi", "1")
    assert code == 1 and "MMSI" in err
    assert not path.exists()
