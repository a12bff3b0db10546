"""Drift runs kept with their case; the forcing cache; reruns reproduce the stored result."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest

from sarapp.cli import main
from sarapp.drift.engine import run_drift
from sarapp.drift.forcing import WindAndCurrent
from sarapp.drift.params import DriftParams
from sarapp.drift.summary import summarise


def test_run_kept_with_its_case_reruns_to_the_same_datum(capsys, store, desk_path):
    (case_id,) = store.cases.create(title="PIW off Cap Corse", author="op").cases
    argv = [
        "--db", str(desk_path), "drift", "run", "--object", "1", "--lat", "43", "--lon", "9",
        "--start", "2026-11-26T14:30Z", "--hours", "6", "--wind=0,-10", "--current", "0.3,0",
        "--particles", "1000", "--seed", "42", "--case", case_id[:8], "--json",
    ]  # fmt: skip
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    (record,) = store.drift.runs(case_id)
    assert record.id == out["run_id"] and record.seed == 42
    assert record.summary["final"] == out["final"]
    entry = store.log.entries(case_id)[-1]
    assert entry.data == {"drift_run": record.id, "seed": 42}
    assert entry.text.startswith("Leeway drift: PIW-1") and "Seed 42." in entry.text
    # What is stored is enough to run it again bit for bit.
    params = DriftParams.from_dict(record.params)
    forcing = WindAndCurrent.from_dict(record.forcing)
    again = summarise(run_drift(params, forcing, np.random.default_rng(record.seed)))
    assert again.to_dict()["final"] == record.summary["final"]
    with pytest.raises(sqlite3.IntegrityError, match="kept as run"):
        store.conn.execute("DELETE FROM drift_runs")


def test_forcing_cache_keeps_answers_for_offline_reruns(store):
    cache = store.drift.forcing_cache()
    assert cache.get("open-meteo:forecast:43,9") is None
    cache.put("open-meteo:forecast:43,9", b'{"hourly": {}}')
    cache.put("open-meteo:forecast:43,9", b'{"hourly": {"time": []}}')
    assert cache.get("open-meteo:forecast:43,9") == b'{"hourly": {"time": []}}'


def test_drift_for_an_unknown_case_is_refused_before_anything_is_kept(capsys, desk_path):
    argv = [
        "--db", str(desk_path), "drift", "run", "--object", "1", "--lat", "43", "--lon", "9",
        "--start", "2026-11-26T14:30Z", "--hours", "1", "--particles", "10", "--case", "2020-9",
    ]  # fmt: skip
    assert main(argv) == 1
    assert "no case" in capsys.readouterr().err
