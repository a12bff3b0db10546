"""``sarapp plan task|done|cancel|pos|export`` on a real desk with a drift kept by the CLI."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import pytest

from sarapp.cli import main
from sarapp.store import Desk


@pytest.fixture
def desk(capsys, desk_path):
    """A desk holding case 1 with a 1,000-particle drift kept by ``sarapp drift run``."""
    with Desk.open(desk_path) as store:
        (case_id,) = store.cases.create(title="PIW off Cap Corse", author="op").cases
        number = store.cases.get(case_id).number
    argv = [
        "--db", str(desk_path), "drift", "run", "--object", "1", "--lat", "43", "--lon", "9",
        "--start", "2026-11-26T14:00Z", "--hours", "4", "--wind=0,-10", "--current", "0.2,0",
        "--particles", "1000", "--radius-m", "2000", "--seed", "7", "--case", number,
        "--no-stranding", "--json",
    ]  # fmt: skip
    assert main(argv) == 0
    datum = json.loads(capsys.readouterr().out)["final"]["centroid"]
    return str(desk_path), number, f"{datum['lat']},{datum['lon']}"


def _run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _task(capsys, db, number, csp, unit, *extra):
    code, out, err = _run(
        capsys, "--db", db, "plan", "task", number, "--unit", unit, "expanding-square",
        "--csp", csp, "--course", "0", "--spacing-nm", "0.5", "--legs", "8",
        "--start", "261700Z NOV 26", "--end", "261900Z NOV 26", "--json", *extra,
    )  # fmt: skip
    assert code == 0, err
    return json.loads(out)


def test_task_done_and_pos_track_cumulative_pos(capsys, desk):
    db, number, csp = desk
    first = _task(capsys, db, number, csp, "Rescue 22", "--pod", "0.7")
    second = _task(capsys, db, number, csp, "MV Nordic", "--sweep-width-nm", "0.4")
    assert first["log"].startswith("Rescue 22 tasked: expanding square search, CSP ")
    assert "from 261700Z NOV 26 to 261900Z NOV 26, POD 70%." in first["log"]
    # W = 0.4 NM over eight legs 0.5, 0.5, 1, 1 … 2 NM (10 NM) in a 2.5 × 2.5 NM square.
    assert second["params"]["coverage"] == pytest.approx(0.4 * 10 / 2.5**2, abs=1e-3)
    assert second["pod"] == pytest.approx(1 - math.exp(-second["params"]["coverage"]), abs=1e-4)
    code, out, _ = _run(capsys, "--db", db, "plan", "pos", number, "--json")
    assert code == 0
    before = json.loads(out)
    assert [p["unit"] for p in before["plans"]] == ["Rescue 22", "MV Nordic"]
    assert {p["status"] for p in before["plans"]} == {"planned"}
    assert before["cumulative_pos"] == 0.0 and before["planned_pos"] > 0
    for plan in before["plans"]:
        assert set(plan) >= {"plan_id", "unit", "pattern", "pod", "pos", "status"}
        assert plan["pattern"] == "expanding-square" and 0 < plan["pos"] < plan["pod"]

    code, out, _ = _run(capsys, "--db", db, "plan", "done", first["plan_id"][:8])
    assert code == 0 and "reported done, nothing found" in out
    code, out, _ = _run(capsys, "--db", db, "plan", "pos", number, "--json")
    after = json.loads(out)
    done, planned = after["plans"]
    assert done["status"] == "done" and done["pos"] == before["plans"][0]["pos"]
    assert after["cumulative_pos"] == done["pos"]
    # The second search looks where the first one already looked: less is left for it.
    assert planned["pos"] < before["plans"][1]["pos"]
    assert after["planned_pos"] == planned["pos"]
    expected = (1 - after["cumulative_pos"]) * (1 - after["planned_pos"])
    assert after["remaining_poc"] == pytest.approx(expected, abs=2e-6)

    code, out, _ = _run(capsys, "--db", db, "plan", "pos", number)
    assert code == 0 and "cumulative POS (done)" in out and "Rescue 22" in out


def test_export_of_a_stored_plan_parses_back(capsys, desk, tmp_path):
    db, number, csp = desk
    plan = _task(capsys, db, number, csp, "Rescue 22", "--pod", "0.7")
    target = tmp_path / "plan.rtz"
    code, _, err = _run(
        capsys, "--db", db, "plan", "export", plan["plan_id"], "--format", "rtz",
        "--output", str(target),
    )  # fmt: skip
    assert code == 0, err
    points = ET.parse(target).getroot().findall(".//{*}waypoint")
    assert len(points) == 9 and points[0].get("name") == "CSP"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan", "pos", "2020-0001"], "no case"),
        (["plan", "done", "nope"], "no search plan 'nope'"),
    ],
)
def test_bad_references_are_one_line_errors(capsys, desk, argv, message):
    db, _, _ = desk
    code, _, err = _run(capsys, "--db", db, *argv)
    assert code == 1 and message in err and "Traceback" not in err


def test_a_case_without_drift_and_a_twice_done_plan_are_refused(capsys, desk):
    db, number, csp = desk
    with Desk.open(db) as store:
        (other,) = store.cases.create(title="No drift", author="op").cases
        other_number = store.cases.get(other).number
    code, _, err = _run(capsys, "--db", db, "plan", "pos", other_number)
    assert code == 1 and "no kept drift run" in err
    plan = _task(capsys, db, number, csp, "Rescue 22", "--pod", "0.7")
    assert _run(capsys, "--db", db, "plan", "cancel", plan["plan_id"])[0] == 0
    code, _, err = _run(capsys, "--db", db, "plan", "done", plan["plan_id"])
    assert code == 1 and "already cancelled" in err
    code, _, err = _run(
        capsys, "--db", db, "plan", "task", number, "--unit", "X", "sector", "--csp", csp,
        "--course", "0",
    )  # fmt: skip
    assert code == 1 and "radius_nm" in err
