"""The synthetic desk, built once per module: a seeded year of cases written through the
desk's own operations (see ``synthetic_desk``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .synthetic_desk import plan_desk, write_desk

YEAR = 2025
SEED = 17
CASES = 300


@pytest.fixture(scope="session")
def synthetic_template(tmp_path_factory: pytest.TempPathFactory):
    specs = plan_desk(SEED, year=YEAR, cases=CASES)
    path = tmp_path_factory.mktemp("synthetic") / "desk.sqlite"
    write_desk(path, specs)
    return path, specs


@pytest.fixture
def synthetic(synthetic_template, tmp_path: Path):
    """A copy of the synthetic desk of this test's own, and its specs (read-only)."""
    template, specs = synthetic_template
    path = tmp_path / "synthetic.sqlite"
    shutil.copyfile(template, path)
    return path, specs
