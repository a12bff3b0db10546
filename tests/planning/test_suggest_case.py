"""Suggested sub-areas for a case's units, tasked as plans, agree with the plans' POS."""

from __future__ import annotations

import json

import pytest

from sarapp.cli import main

WORKSHEET = {
    "datum_type": "point",
    "conditions": "normal",
    "search_object": "PIW",
    "visibility_nm": 10,
    "wind_kt": 12,
    "sea_ft": 3,
    "X_nm": 1,
    "Y_nm": 0.5,
    "drift_distance_nm": 5,
    "Zrc_previous": 0,
    "units": [
        {"name": "Rescue 22", "type": "helicopter", "speed_kt": 90,
         "on_scene_endurance_h": 2, "altitude_ft": 500},
        {"name": "SNS 061", "type": "boat_eye_8ft", "speed_kt": 15, "on_scene_endurance_h": 6},
    ],
}  # fmt: skip


def run(capsys, *argv):
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_suggest_task_and_pos_agree(capsys, desk_path, tmp_path):
    db = str(desk_path)
    sheet = tmp_path / "ws.json"
    sheet.write_text(json.dumps(WORKSHEET))
    case = run(capsys, "--db", db, "case", "new", "--title", "PIW", "--lat", "43", "--lon", "9")
    number = case["number"]
    run(capsys, "--db", db, "drift", "run", "--object", "1", "--lat", "43", "--lon", "9",
        "--start", "2026-11-26T14:00Z", "--hours", "6", "--wind=0,-8", "--current", "0.2,0",
        "--particles", "5000", "--seed", "1", "--case", number)  # fmt: skip
    window = ["--start", "261800Z NOV 26", "--end", "262000Z NOV 26"]
    out = run(capsys, "--db", db, "plan", "suggest", number, "--worksheet", str(sheet),
              "--task", *window)  # fmt: skip
    assert len(out["plan_ids"]) == 2 and 0 < out["pos"] < 1
    assert [u["name"] for u in out["units"]] == ["Rescue 22", "SNS 061"]
    assert all(u["track_spacing_nm"] >= 0.1 for u in out["units"])
    pos = run(capsys, "--db", db, "plan", "pos", number)
    assert {p["plan_id"] for p in pos["plans"]} == set(out["plan_ids"])
    # The tasked parallel tracks search what was suggested: same POS within a few per cent
    # (the stored pattern's rectangle is laid from the CSP, not snapped to the grid).
    assert pos["planned_pos"] == pytest.approx(out["pos"], abs=0.05)


def test_suggest_needs_a_kept_drift(capsys, desk_path, tmp_path):
    sheet = tmp_path / "ws.json"
    sheet.write_text(json.dumps(WORKSHEET))
    number = run(capsys, "--db", str(desk_path), "case", "new", "--title", "PIW")["number"]
    code = main(["--db", str(desk_path), "plan", "suggest", number, "--worksheet", str(sheet)])
    assert code == 1 and "drift" in capsys.readouterr().err
