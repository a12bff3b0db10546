"""Review: the CLI refuses odd input from outside with one line on stderr, writing nothing."""

from __future__ import annotations

import pytest

from sarapp.cli import main
from sarapp.store import Store


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "desk.sqlite"
    assert main(["case", "new", "--db", str(path), "--title", "T", "--author", "op"]) == 0
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["log", "add", "2026-0001", "bad \udcff byte", "--author", "op"],
        ["case", "new", "--title", "\udcff", "--author", "op"],
        ["case", "set", "2026-0001", "nature", "fire \udce9", "--author", "op"],
        ["log", "search", "\udcff"],
        ["case", "list", "--text", "\udcff"],
    ],
)
def test_undecodable_argument_is_refused_in_one_line(db, capsys, argv) -> None:
    """A shell argument in another encoding arrives as lone surrogates (PEP 383)."""
    capsys.readouterr()
    assert main([*argv, "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("sarapp: ") and "UTF-8" in err and len(err.splitlines()) == 1
    with Store.open(db) as store:
        assert len(store.log("2026-0001")) == 1
        assert len(store.list_cases()) == 1
