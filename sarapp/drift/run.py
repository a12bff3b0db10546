"""One drift run as both faces start it: the seed choice and the run-and-summarise job.

The CLI drives the job to its end; the app runs it in a worker with progress and cancel. Both
call these, so a run made on either face is the same run for the same inputs and seed.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass

import numpy as np

from sarapp.drift.engine import DriftRun, simulate
from sarapp.drift.forcing import Forcing, WindAndCurrent
from sarapp.drift.params import DriftParams
from sarapp.drift.summary import DriftSummary, summarise

# Seeds travel in handover packages as JSON integers, exact only below 2^53 (RFC 8259 §6,
# I-JSON): every seed drawn here fits, so every kept run can be sent.
SEED_LIMIT = 2**53


def draw_seed() -> int:
    """A fresh random seed in [0, 2^53) from the operating system's entropy."""
    return int(np.random.SeedSequence().entropy % SEED_LIMIT)


def drift_job(
    params: DriftParams, forcing: Forcing, seed: int
) -> Generator[float, None, tuple[DriftRun, DriftSummary]]:
    """Run the drift from ``seed``, yielding progress (0–1); return the run and its products."""
    result = None
    for progress in simulate(params, forcing, np.random.default_rng(seed)):
        yield progress.fraction
        result = progress.result
    assert result is not None
    return result, summarise(result)


@dataclass(frozen=True, eq=False)
class DriftOutcome:
    """A finished run, its products and the forcing it used (kept with the run)."""

    run: DriftRun
    summary: DriftSummary
    forcing: WindAndCurrent


def drift_outcome_job(
    params: DriftParams, forcing: WindAndCurrent | Callable[[], WindAndCurrent], seed: int
) -> Generator[float, None, DriftOutcome]:
    """``drift_job`` for a face: ``forcing`` may be a callable that fetches it first (the
    forecast, over the network: in the same worker, before the first progress)."""
    if callable(forcing):
        forcing = forcing()
        yield 0.0
    run, summary = yield from drift_job(params, forcing, seed)
    return DriftOutcome(run, summary, forcing)
