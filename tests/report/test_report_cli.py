"""``sarapp report annual``: JSON where every figure names the cases it counted, CSV tables,
one-line errors."""

from __future__ import annotations

import csv
import json
import re

import pytest

from sarapp.cli import main

from . import expected as x
from .synthetic_desk import YEAR

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
TIME_KEYS = ("opened", "closed", "first_alert", "first_tasked", "first_on_scene", "tasked")


def _json(capsys, path, *extra):
    assert main(["--db", str(path), "report", "annual", "--year", str(YEAR), *extra, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _figures(node, where=""):
    """Every figure of a JSON subtree: (path, dict with "cases")."""
    if isinstance(node, dict):
        if "cases" in node and isinstance(node["cases"], list):
            yield where, node
        for key, value in node.items():
            if key not in ("cases", "not_known"):
                yield from _figures(value, f"{where}.{key}")


def test_every_figure_names_cases_the_report_lists(capsys, synthetic):
    path, specs = synthetic
    out = _json(capsys, path)
    listed = {c["number"] for c in out["cases"]}
    start, end = x.bounds(YEAR)
    assert listed == {s.number for s in x.opened_in(specs, start, end)} | {
        s.number for s in x.closed_in(specs, start, end)
    }
    figures = [f for scope in ("total", "by_month", "by_rcc") for f in _figures(out[scope], scope)]
    assert len(figures) > 500
    for where, figure in figures:
        assert set(figure["cases"]) <= listed, where
        if figure.get("not_known"):
            assert set(figure["not_known"]["cases"]) <= listed, where
    cases = out["total"]["cases"]
    assert cases["opened"]["value"] == len(cases["opened"]["cases"])
    for phase, figure in cases["by_phase"].items():
        assert figure["value"] == len(figure["cases"])
        assert all(
            next(c for c in out["cases"] if c["number"] == n)["phase_highest"] == phase
            for n in figure["cases"]
        )
    tasking = out["total"]["times"]["alert_to_tasking"]
    by_number = {c["number"]: c for c in out["cases"]}
    assert tasking["values_s"] == [by_number[n]["alert_to_tasking_s"] for n in tasking["cases"]]


def test_json_times_are_iso_utc_and_sources_are_named(capsys, synthetic):
    path, _ = synthetic
    out = _json(capsys, path)
    assert ISO.match(out["generated"]) and out["period"]["start"] == f"{YEAR}-01-01T00:00:00Z"
    for case in out["cases"]:
        for key in TIME_KEYS:
            assert case.get(key) is None or ISO.match(case[key]), (case["number"], key)
        for plan in case["plans"]:
            assert ISO.match(plan["tasked"])
        assert case["persons"]["source"] in ("case field 'Persons on board' (pob)",
                                             "persons register")  # fmt: skip
    people = out["total"]["people"]
    assert (
        people["in_distress"]["source"] == "case field 'Persons on board' (pob); persons register"
    )
    assert people["rescued"]["source"] == "persons register"
    assert people["rescued"]["not_known"]["reason"]  # the cases without a register
    assert people["assisted"]["value"] and people["assisted"]["not_known"]["reason"]


def test_csv_tables(synthetic, tmp_path, capsys):
    path, _ = synthetic
    folder = tmp_path / "tables"
    assert (
        main(["--db", str(path), "report", "annual", "--year", str(YEAR), "--csv", str(folder)])
        == 0
    )
    written = capsys.readouterr().out.split()
    names = {p.rsplit("/", 1)[-1] for p in written}
    assert {"summary.csv", "cases_by_month.csv", "response_times.csv", "cases.csv"} <= names
    with (folder / "cases.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = _json(capsys, path)
    assert [r["Case"] for r in rows] == [c["number"] for c in out["cases"]]
    assert all(ISO.match(r["Opened"]) for r in rows)
    with (folder / "cases_by_month.csv").open(encoding="utf-8") as f:
        months = list(csv.DictReader(f))
    assert [m["Month"] for m in months] == [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    assert sum(int(m["Opened"]) for m in months) == out["total"]["cases"]["opened"]["value"]
    with (folder / "summary.csv").open(encoding="utf-8") as f:
        summary = {r["Figure"]: r["Value"] for r in csv.DictReader(f)}
    assert summary["Persons in distress"] == str(out["total"]["people"]["in_distress"]["value"])
    assert summary["Persons rescued"] == str(out["total"]["people"]["rescued"]["value"])
    assert summary["Persons assisted"] == str(out["total"]["people"]["assisted"]["value"])
    assert summary["False alerts"] == str(out["total"]["cases"]["false_alerts"]["value"])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--rcc", "MRCC-NOWHERE"], "no case of 2025 has the responsible RCC 'MRCC-NOWHERE'"),
        (["--pdf", "/no/such/folder/r.pdf"], "the folder /no/such/folder does not exist"),
        (["--json", "--pdf", "r.pdf"], "give one of --json, --csv DIR or --pdf FILE"),
    ],
)
def test_errors_are_one_line(capsys, synthetic, extra, message):
    path, _ = synthetic
    assert main(["--db", str(path), "report", "annual", "--year", str(YEAR), *extra]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_csv_into_a_file_is_refused(capsys, synthetic, tmp_path):
    path, _ = synthetic
    target = tmp_path / "taken"
    target.write_text("mine")
    assert (
        main(["--db", str(path), "report", "annual", "--year", "2025", "--csv", str(target)]) == 1
    )
    assert "is a file" in capsys.readouterr().err and target.read_text() == "mine"


def test_summary_for_people(capsys, synthetic):
    path, _ = synthetic
    assert main(["--db", str(path), "report", "annual", "--year", str(YEAR)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Annual report {YEAR}, every responsible RCC (MRCC-ETEL")
    assert "cases opened 301" in out
