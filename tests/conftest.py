"""Shared fixtures: one empty desk built once per session, copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sarapp.store import Store


@pytest.fixture(scope="session")
def empty_desk_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "desk.sqlite"
    Store.open(path).close()
    return path


@pytest.fixture
def desk_path(tmp_path: Path, empty_desk_file: Path) -> Path:
    """A fresh, migrated, empty desk file of this test's own."""
    path = tmp_path / "desk.sqlite"
    shutil.copyfile(empty_desk_file, path)
    return path


@pytest.fixture
def store(desk_path: Path):
    with Store.open(desk_path) as opened:
        yield opened
