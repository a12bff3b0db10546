"""``sarapp sync``: the centre gives a case to a laptop, the laptop syncs over a link (a desk
file here, a PostgreSQL centre too), a second run changes nothing, a case not given is refused
in one line; ``sync export/import`` carry the same exchange as a signed file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarapp.cli import main


@pytest.fixture(params=["sqlite", "postgresql"])
def centre(request, desk_path) -> str:
    return str(desk_path) if request.param == "sqlite" else request.getfixturevalue("pg_desk")


@pytest.fixture
def laptop(tmp_path) -> str:
    path = str(tmp_path / "laptop.sqlite")
    assert main(["--db", path, "keys", "rcc", "FIELD-1", "--name", "SAR team 1"]) == 0
    return path


def _json(capsys, argv: list[str]):
    capsys.readouterr()
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _texts(capsys, location: str, case: str) -> list[str]:
    return [e["text"] for e in _json(capsys, ["--db", location, "log", "list", case])]


def test_laptop_syncs_its_given_case_both_ways_and_a_second_run_changes_nothing(
    centre, laptop, capsys
):
    assert main(["--db", centre, "keys", "rcc", "MRCC-ETEL", "--name", "MRCC Etel"]) == 0
    assert main(["--db", centre, "case", "new", "--title", "FV Marie-Jo"]) == 0
    assert main(["--db", centre, "case", "new", "--title", "Kayaker overdue"]) == 0
    grants = _json(capsys, ["--db", centre, "sync", "give", "FIELD-1", "2026-0001"])
    assert [g["laptop"] for g in grants] == ["FIELD-1"]

    first = _json(capsys, ["--db", laptop, "sync", "--with", centre])
    assert [c["came"]["created"] for c in first["cases"]] == [True]
    number = first["cases"][0]["number"]

    assert main(["--db", laptop, "log", "add", number, "Team on scene", "--author", "t1"]) == 0
    assert main(["--db", centre, "log", "add", "2026-0001", "Dragon 13 tasked"]) == 0
    capsys.readouterr()
    assert main(["--db", laptop, "sync", "--with", centre]) == 0
    summary = capsys.readouterr().out
    assert "came from MRCC-ETEL: 1 entry" in summary and "went to MRCC-ETEL: 1 entry" in summary
    for location, case in ((laptop, number), (centre, "2026-0001")):
        texts = _texts(capsys, location, case)
        assert texts.count("Team on scene") == 1 and texts.count("Dragon 13 tasked") == 1

    again = _json(capsys, ["--db", laptop, "sync", "--with", centre])
    assert all(c["came"]["entries"] == c["went"]["entries"] == 0 for c in again["cases"])


def test_a_case_not_given_is_refused_in_one_line(centre, laptop, capsys):
    assert main(["--db", centre, "keys", "rcc", "MRCC-ETEL"]) == 0
    assert main(["--db", centre, "case", "new", "--title", "FV Marie-Jo"]) == 0
    capsys.readouterr()
    assert main(["--db", laptop, "sync", "--with", centre, "--case", "2026-0001"]) == 1
    err = capsys.readouterr().err.strip()
    assert "not given to laptop FIELD-1" in err and "\n" not in err


def test_sync_without_a_centre_says_where_to_point_it(laptop, capsys):
    assert main(["--db", laptop, "sync"]) == 1
    assert "sarapp sync --with" in capsys.readouterr().err


def test_sync_files_carry_a_case_to_a_laptop_and_back(desk_path, laptop, tmp_path, capsys):
    centre = str(desk_path)
    assert main(["--db", centre, "keys", "rcc", "MRCC-ETEL"]) == 0
    for here, there in ((centre, laptop), (laptop, centre)):
        key = tmp_path / f"{Path(here).stem}.key"
        assert main(["--db", here, "keys", "export", "-o", str(key)]) == 0
        capsys.readouterr()
        assert main(["--db", here, "keys", "show", "--json"]) == 0
        fingerprint = json.loads(capsys.readouterr().out)["fingerprint"]
        assert main(["--db", there, "keys", "trust", str(key), "--fingerprint", fingerprint]) == 0
    assert main(["--db", centre, "case", "new", "--title", "FV Marie-Jo"]) == 0
    assert main(["--db", centre, "sync", "give", "FIELD-1", "2026-0001"]) == 0
    out = tmp_path / "to-field.sarsync"
    assert main(["--db", centre, "sync", "export", "--to", "FIELD-1", "--out", str(out)]) == 0
    took = _json(capsys, ["--db", laptop, "sync", "import", str(out)])
    assert [c["created"] for c in took["cases"]] == [True]
    capsys.readouterr()
    assert main(["--db", laptop, "sync", "import", str(out)]) == 0
    assert "taken in already: nothing changed" in capsys.readouterr().out


def test_a_centre_that_is_not_there_is_refused_and_not_created(laptop, tmp_path, capsys):
    missing = tmp_path / "centre.sqlite"
    assert main(["--db", laptop, "sync", "--with", str(missing)]) == 1
    assert capsys.readouterr().err.strip() and not missing.exists()
