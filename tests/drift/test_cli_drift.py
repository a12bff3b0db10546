import json

import pytest

from sarapp.cli import main

BASE = [
    "drift",
    "run",
    "--object",
    "32",
    "--lat",
    "43",
    "--lon",
    "5",
    "--start",
    "2026-01-01T00:00Z",
    "--hours",
    "3",
    "--step-min",
    "10",
    "--wind",
    "0,-10",
    "--current",
    "0.3,0",
    "--particles",
    "1000",
    "--seed",
    "5",
    "--radius-m",
    "1000",
    "--no-stranding",
]


def run_json(capsys, *extra):
    assert main([*BASE, *extra, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_run_prints_the_documented_json(capsys):
    out = run_json(capsys)
    assert [p["time"] for p in out["datum_track"]] == [f"2026-01-01T0{h}:00:00Z" for h in range(4)]
    assert out["final"]["centroid"]["lat"] < 43.0 and out["final"]["centroid"]["lon"] > 5.0
    assert out["final"]["std_m"]["east"] > out["final"]["std_m"]["north"] > 0
    assert out["area_90"]["type"] in {"Polygon", "MultiPolygon"}
    assert out["elapsed_s"] > 0 and out["seed"] == 5 and out["object"] == "AVIATION-1"


def test_same_seed_same_output(capsys):
    a, b = run_json(capsys), run_json(capsys)
    a.pop("elapsed_s"), b.pop("elapsed_s")
    assert a == b


def test_backtrack_goes_the_other_way(capsys):
    out = run_json(capsys, "--backtrack")
    assert out["final"]["centroid"]["lat"] > 43.0
    assert out["datum_track"][-1]["time"] == "2025-12-31T21:00:00Z"


def test_wind_series_file(capsys, tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(
        "time,wind_from_deg,wind_speed_kn\n2026-01-01T00:00Z,0,20\n2026-01-01T03:00Z,0,20\n"
    )
    out = run_json(capsys, "--wind-series", str(path))
    assert out["final"]["centroid"]["lat"] < 43.0


def test_series_too_short_is_one_line_error(capsys, tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(
        "time,wind_from_deg,wind_speed_kn\n2026-01-01T00:00Z,0,20\n2026-01-01T01:00Z,0,20\n"
    )
    assert main([*BASE, "--wind-series", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "wind series ends at 2026-01-01T01:00:00Z, before the run's last time" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--wind", "3;4"], "--wind '3;4'"),
        (["--object", "999"], "'999'"),
        (["--step-min", "7"], "step_min"),
    ],
)
def test_bad_input_is_one_line_error(capsys, extra, message):
    assert main([*BASE, *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sarapp: ") and message in err and err.count("\n") == 1


def test_human_output(capsys):
    assert main(BASE) == 0
    out = capsys.readouterr().out
    assert out.startswith("AVIATION-1: ") and "90 % area" in out and "seed 5" in out


def test_objects_lists_matching_categories(capsys):
    assert main(["drift", "objects", "kayak"]) == 0
    assert "PERSON-POWERED-VESSEL-1" in capsys.readouterr().out
    assert main(["drift", "objects", "PIW", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 6
