"""``drift run`` as a coordinator types it: the case's LKP, DDM and DTGs, wind in knots from a
direction, safe defaults (the app's), a series that ends, stranding told in text and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from sarapp.cli import main
from sarapp.drift.params import PARAM_SPECS
from sarapp.model import Position
from sarapp.store import Desk

RUN = ["drift", "run", "--object", "32", "--hours", "2", "--particles", "500", "--seed", "3"]
AT = ["--lat", "43 00.0N", "--lon", "005 00.0E", "--start", "010000Z JAN 26"]
NORWAY = ["--lat", "61 42.0N", "--lon", "004 42.0E", "--start", "031200Z DEC 26"]
ONSHORE = ["--wind-from", "270", "--wind-kn", "25", "--current-to", "90", "--current-kn", "0.3"]


def run_json(capsys, *argv):
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_ddm_and_dtg_are_accepted(capsys):
    out = run_json(capsys, *RUN, *AT, "--wind", "0,-10")
    assert out["params"]["lat"] == 43.0 and out["params"]["lon"] == 5.0
    assert out["params"]["start"] == "2026-01-01T00:00:00+00:00"


def test_wind_from_and_current_to_in_knots_equal_the_vectors(capsys):
    # 10 m/s from the north is 19.4384 kn from 000; 0.3 m/s east is 0.5832 kn towards 090
    knots = run_json(
        capsys, *RUN, *AT, "--wind-from", "0", "--wind-kn", str(10 / 0.514444),
        "--current-to", "90", "--current-kn", str(0.3 / 0.514444),
    )  # fmt: skip
    vectors = run_json(capsys, *RUN, *AT, "--wind", "0,-10", "--current", "0.3,0")
    assert knots["final"]["centroid"] == pytest.approx(vectors["final"]["centroid"], abs=1e-5)


def test_defaults_are_the_declared_ones_not_an_exact_start(capsys):
    """Before: 0 m position error and no current noise (a cloud 99 % sure of itself)."""
    out = run_json(capsys, *RUN, *AT, "--wind", "0,-10")
    assert out["params"]["radius_m"] == PARAM_SPECS["radius_m"].default > 0
    assert out["params"]["current_std_ms"] == PARAM_SPECS["current_std_ms"].default > 0


def test_case_gives_its_lkp_time_and_accuracy(capsys, desk_path):
    lkp_time = datetime(2026, 12, 3, 11, 40, tzinfo=UTC)
    with Desk.open(desk_path) as store:
        (case_id,) = store.cases.create(
            title="EPIRB", author="op", lkp=Position(61.7, 4.7, lkp_time, "gnss", 185.0)
        ).cases
    out = run_json(capsys, "--db", str(desk_path), *RUN, "--case", case_id, "--wind", "0,-10")
    assert (out["params"]["lat"], out["params"]["lon"]) == (61.7, 4.7)
    assert out["params"]["start"] == lkp_time.isoformat()
    assert out["params"]["radius_m"] == 185.0


def test_no_wind_is_refused_not_taken_for_a_calm(capsys):
    assert main([*RUN, *AT]) == 1
    assert "no wind" in capsys.readouterr().err


def test_a_series_is_refused_past_its_end_unless_held(capsys, tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text(
        "time,wind_from_deg,wind_speed_kn\n2026-01-01T00:00Z,0,20\n2026-01-01T01:00Z,0,20\n"
    )
    assert main([*RUN, *AT, "--wind-series", str(path)]) == 1
    assert "ends at 2026-01-01T01:00:00Z" in capsys.readouterr().err
    out = run_json(capsys, *RUN, *AT, "--wind-series", str(path), "--series-hold")
    assert out["final"]["centroid"]["lat"] < 43.0


def test_the_help_says_what_happens_past_the_series(capsys):
    with pytest.raises(SystemExit):
        main(["drift", "run", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "refused unless --series-hold" in help_text


def test_stranding_is_told_in_text_and_json(capsys):
    """A life raft off the Norwegian coast in an onshore gale: most go ashore."""
    assert main([*RUN, "--hours", "12", *NORWAY, *ONSHORE]) == 0
    text = capsys.readouterr().out
    assert "of the particles stranded" in text and "ashore around" in text
    out = run_json(capsys, *RUN, "--hours", "12", *NORWAY, *ONSHORE)
    assert out["final"]["stranded"]["fraction"] > 0.5
    assert any("stranded" in note for note in out["notes"])
