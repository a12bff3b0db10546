"""Seeds fit the handover format: JSON integers are exact only below 2^53, and a kept run's
seed travels in every package (issue 11: seeds were drawn up to 2^63, runs unsendable)."""

from __future__ import annotations

import json

import numpy as np

from sarapp.cli import main

BIG = 2**62 + 12345  # what the entropy pool may well give


class _BigEntropy:
    def __init__(self, *args, **kwargs) -> None:
        self.entropy = BIG


def test_the_cli_draws_its_seed_below_2_53(capsys, monkeypatch):
    monkeypatch.setattr(np.random, "SeedSequence", _BigEntropy)
    argv = [
        "drift", "run", "--object", "32", "--lat", "43", "--lon", "5",
        "--start", "2026-01-01T00:00Z", "--hours", "1", "--particles", "50",
        "--wind", "0,-10", "--no-stranding", "--json",
    ]  # fmt: skip
    assert main(argv) == 0
    seed = json.loads(capsys.readouterr().out)["seed"]
    assert 0 <= seed < 2**53


def test_the_core_seed_is_below_2_53_and_varies(monkeypatch):
    from sarapp.drift.run import SEED_LIMIT, draw_seed

    seeds = {draw_seed() for _ in range(50)}
    assert len(seeds) == 50 and all(0 <= s < SEED_LIMIT == 2**53 for s in seeds)
    monkeypatch.setattr(np.random, "SeedSequence", _BigEntropy)
    assert draw_seed() == BIG % 2**53
