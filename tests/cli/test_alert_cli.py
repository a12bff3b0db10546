from __future__ import annotations

import json
from pathlib import Path

from sarapp.cli import main

DATA = Path(__file__).resolve().parent.parent / "data"


def test_alert_import_prints_case_created_and_positions(capsys, desk_path):
    argv = ["--db", str(desk_path), "alert", "import", str(DATA / "sit185" / "initial_doppler.txt")]
    assert main([*argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["created"] is True and len(out["case_id"]) == 36
    assert [(p["source"], p["time"]) for p in out["positions"]] == [
        ("doppler-A", "2026-03-14T03:42:00Z"),
        ("doppler-B", "2026-03-14T03:42:00Z"),
    ]
    assert main([*argv, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["created"] is False and again["duplicate"] is True and again["positions"] == []


def test_alert_import_refuses_what_is_not_a_sit185(capsys, desk_path, tmp_path):
    bad = tmp_path / "mail.txt"
    bad.write_text("Hello, this is not an alert.")
    assert main(["--db", str(desk_path), "alert", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SIT 185" in err


def test_ais_import_reports_counts(capsys, desk_path):
    argv = ["--db", str(desk_path), "ais", "import", str(DATA / "ais" / "sample.nmea"), "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sentences"] == 13 and out["errors"] == 2 and out["alerts_opened"] == 2
    assert main(["--db", str(desk_path), "ais", "import", "/no/such.nmea"]) == 1
    assert "cannot read" in capsys.readouterr().err
