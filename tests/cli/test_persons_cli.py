"""``sarapp persons …``, ``case disembark``, ``case close --outcome``, ``log add --personal``
and ``sarapp privacy …``, each with ``--json``, on a desk file and on a server desk."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sarapp.cli import main
from sarapp.store import Desk


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, desk_path: Path) -> str:
    return str(desk_path) if request.param == "sqlite" else request.getfixturevalue("pg_desk")


@pytest.fixture
def case(capsys, db) -> str:
    return run_json(capsys, "--db", db, "case", "new", "--title", "Boat, 60 POB")["number"]


def test_persons_add_prints_the_person_with_its_id(capsys, db, case):
    person = run_json(capsys, "--db", db, "persons", "add", case, "--name", "Amina Diallo",
                      "--age", "9", "--sex", "f", "--nationality", "sn", "--status", "rescued",
                      "--unit", "SNS 061", "--medical")  # fmt: skip
    assert (person["label"], person["name"], person["age"], person["sex"]) == (
        "P1", "Amina Diallo", 9, "F")  # fmt: skip
    assert (person["nationality"], person["medical"], person["status"]) == ("SN", True, "rescued")
    with Desk.open(db) as store:
        assert store.persons.person(person["id"]).name == "Amina Diallo"
    code, out, _ = run(capsys, "--db", db, "persons", "add", case, "--name", "Ali")
    assert code == 0 and "P2" in out and "id: " in out


def test_persons_list_gives_records_and_counts(capsys, db, case):
    run_json(capsys, "--db", db, "persons", "counts", case, "--on-board", "60", "--rescued", "55",
             "--missing", "5")  # fmt: skip
    run_json(capsys, "--db", db, "persons", "add", case, "--name", "Ali", "--status", "missing")
    listed = run_json(capsys, "--db", db, "persons", "list", case)
    assert listed["counts"]["on_board"] == 60 and listed["counts"]["missing"] == 5
    assert listed["counted_by_hand"]["missing"] == 4
    assert [(p["label"], p["name"]) for p in listed["persons"]] == [("P1", "Ali")]
    # listing names is a processing of personal data: it is recorded
    with Desk.open(db) as store:
        (shown,) = store.privacy.disclosures(case)
    assert (shown.kind, shown.purpose, shown.subjects) == (
        "display", "coordination", (listed["persons"][0]["id"],))  # fmt: skip
    # for flag-state information: counts and statuses, no names, nothing recorded
    redacted = run_json(capsys, "--db", db, "persons", "list", case, "--purpose", "flag-state")
    assert redacted["persons"][0]["name"] == "" and redacted["persons"][0]["status"] == "missing"
    code, _, err = run(capsys, "--db", db, "persons", "list", case, "--purpose", "flag-state",
                       "--include-personal")  # fmt: skip
    assert code == 1 and "needs a reason" in err


def test_persons_set_changes_one_field(capsys, db, case):
    person = run_json(capsys, "--db", db, "persons", "add", case, "--name", "Ali")
    changed = run_json(capsys, "--db", db, "persons", "set", person["id"], "status", "dead")
    assert changed["status"] == "dead"
    changed = run_json(capsys, "--db", db, "persons", "set", "P1", "taken_to", "Valletta",
                       "--case", case)  # fmt: skip
    assert changed["taken_to"] == "Valletta"
    code, _, err = run(capsys, "--db", db, "persons", "set", person["id"], "age", "two")
    assert code == 1 and err.startswith("sarapp: Age: 'two' is not an age")


def write_csv(path: Path, rows: int, bad: int | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Age", "Sex", "Nationality", "Status", "Unit", "Taken to"])
        for i in range(rows):
            age = "forty" if i == bad else str(18 + i % 50)
            writer.writerow([f"Person {i:03d}", age, "MF"[i % 2], "ER", "rescued", "SAR 1",
                             "Lampedusa"])  # fmt: skip
    return path


def test_a_csv_of_500_with_a_bad_row_imports_nothing_and_names_the_row(capsys, db, case, tmp_path):
    path = write_csv(tmp_path / "boat.csv", 500, bad=249)
    code, out, err = run(capsys, "--db", db, "persons", "import", case, str(path))
    assert code == 1 and out == ""
    assert (
        err == "sarapp: boat.csv: line 251: Age: 'forty' is not an age in whole years (0 to 130)\n"
    )
    with Desk.open(db) as store:
        assert store.persons.register(case).persons == ()
        assert len(store.log.entries(case)) == 1  # only the opening


def test_a_csv_of_500_imports_in_one_logged_entry(capsys, db, case, tmp_path):
    path = write_csv(tmp_path / "boat.csv", 500)
    result = run_json(capsys, "--db", db, "persons", "import", case, str(path))
    assert result["imported"] == 500 and result["counts"]["rescued"] == 500
    assert (result["counts"]["women"], result["counts"]["men"]) == (250, 250)
    with Desk.open(db) as store:
        register = store.persons.register(case)
        last = store.log.entries(case)[-1]
        assert store.check().ok
    assert [p.label for p in register.persons][-1] == "P500"
    assert register.persons[499].taken_to == "Lampedusa"
    assert last.text == "500 persons added to the register from boat.csv"
    assert "Person 0" not in json.dumps(last.data)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "line 1 must name the columns"),
        (b"name,colour\nAli,red\n", "line 1: unknown column 'colour'"),
        (b"name,age\nAli\n", "line 2: 1 values, but line 1 names 2 columns"),
        (b"name\n", "no persons below the header line"),
        (b"name\n\xff\n", "not UTF-8 text (byte 5)"),
        (b"name;status\nAli;lost\n", "line 2: Status: 'lost' is not a status"),
    ],
)
def test_bad_persons_files_are_named(capsys, db, case, tmp_path, content, message):
    path = tmp_path / "p.csv"
    path.write_bytes(content)
    code, _, err = run(capsys, "--db", db, "persons", "import", case, str(path))
    assert code == 1 and message in err


def test_persons_status_sets_many_at_once(capsys, db, case):
    for _ in range(4):
        run_json(capsys, "--db", db, "persons", "add", case, "--status", "missing")
    result = run_json(capsys, "--db", db, "persons", "status", case, "rescued", "P1", "P3")
    assert len(result["changed"]) == 2 and result["counts"]["missing"] == 2
    result = run_json(capsys, "--db", db, "persons", "status", case, "dead", "--from", "missing")
    assert len(result["changed"]) == 2 and result["counts"]["dead"] == 2


def test_case_disembark_and_close_with_an_outcome(capsys, db, case):
    shown = run_json(capsys, "--db", db, "case", "disembark", case, "--requested", "Valletta",
                     "--assigned", "Pozzallo", "--authority", "IMRCC Rome", "--assigned-at",
                     "2026-11-28T10:00:00Z", "--unit", "CP 301", "--eta",
                     "2026-11-29T06:00:00Z")  # fmt: skip
    assert (shown["port_assigned"], shown["port_authority"], shown["disembark_unit"]) == (
        "Pozzallo", "IMRCC Rome", "CP 301")  # fmt: skip
    assert shown["port_assigned_at"] == "2026-11-28T10:00:00.000000Z"
    code, _, err = run(capsys, "--db", db, "case", "disembark", case, "--disembarked", "soon")
    assert code == 1 and "Disembarked at" in err
    closed = run_json(capsys, "--db", db, "case", "close", case, "--outcome", "false-alert")
    assert (closed["status"], closed["outcome"]) == ("closed", "false-alert")
    code, _, err = run(capsys, "--db", db, "case", "close", case, "--outcome", "fine")
    assert code == 1 and "unknown outcome 'fine' (one of: rescued, assisted, resolved" in err
    with Desk.open(db) as store:
        assert store.check().ok
        fields = [e.data.get("field") for e in store.log.entries(case)]
    assert fields.count("port_assigned") == 1 and fields.count("disembark_eta") == 1


def test_log_add_personal_and_the_purge_and_report(capsys, db, case):
    person = run_json(capsys, "--db", db, "persons", "add", case, "--name", "Yann Le Gall")
    entry = run_json(capsys, "--db", db, "log", "add", case, "Wife called: 06 12", "--personal")
    assert (entry["text"], entry["personal"]) == ("Personal note", "Wife called: 06 12")
    listed = run_json(capsys, "--db", db, "log", "list", case)
    assert listed[-1]["personal"] == "Wife called: 06 12"
    report = run_json(capsys, "--db", db, "privacy", "report", person["id"][:8])
    assert report["person"]["name"] == "Yann Le Gall"
    assert [d["kind"] for d in report["disclosures"]] == []  # the report itself is recorded:
    report = run_json(capsys, "--db", db, "privacy", "report", person["id"])
    assert [(d["kind"], d["purpose"]) for d in report["disclosures"]] == [
        ("access", "subject-access")]  # fmt: skip
    code, _, err = run(capsys, "--db", db, "privacy", "purge", "--older-than", "0", "--case", case)
    assert code == 1 and "is open" in err
    run_json(capsys, "--db", db, "case", "close", case)
    assert run_json(capsys, "--db", db, "privacy", "retention", "30") == {"retention_days": 30}
    assert run_json(capsys, "--db", db, "privacy", "purge")["cases"] == []  # closed just now
    dry = run_json(capsys, "--db", db, "privacy", "purge", "--older-than", "0", "--dry-run")
    assert dry["dry_run"] and [c["persons"] for c in dry["cases"]] == [1]
    done = run_json(capsys, "--db", db, "privacy", "purge", "--older-than", "0")
    assert not done["dry_run"] and [c["entries"] for c in done["cases"]] == [2]
    listed = run_json(capsys, "--db", db, "log", "list", case)
    (note,) = [e for e in listed if e["id"] == entry["id"]]
    assert note["personal"] == "[purged]" and "purged" in listed[-1]["text"]
    assert run_json(capsys, "--db", db, "privacy", "report", person["id"])["person"]["name"] == (
        "[purged]")  # fmt: skip
    code, out, _ = run(capsys, "--db", db, "db", "check")
    assert code == 0, out
