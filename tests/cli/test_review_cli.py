"""Review: the CLI refuses odd input from outside with one line on stderr, writing nothing."""

from __future__ import annotations

import pytest

from sarapp.cli import build_parser, main
from sarapp.store import Desk


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
    with Desk.open(db) as store:
        assert len(store.log.entries("2026-0001")) == 1
        assert len(store.cases.list()) == 1


def test_refused_alert_creates_no_desk(tmp_path, capsys) -> None:
    message = tmp_path / "garbage.txt"
    message.write_text("not a SIT 185 at all\r\n   \r\n", encoding="utf-8")
    db = tmp_path / "new.sqlite"
    assert main(["alert", "import", str(message), "--db", str(db), "--author", "op"]) == 1
    assert "SIT 185" in capsys.readouterr().err
    assert not db.exists()


def test_missing_ais_file_creates_no_desk(tmp_path, capsys) -> None:
    db = tmp_path / "new.sqlite"
    argv = ["ais", "import", str(tmp_path / "nope.nmea"), "--db", str(db), "--author", "op"]
    assert main(argv) == 1
    assert "cannot read" in capsys.readouterr().err
    assert not db.exists()


def test_negative_coordinates_as_option_values_and_positionals(db, capsys) -> None:
    argv = ["case", "position", "2026-0001", "--lat", "-33°30'", "--lon", "-005°30'"]
    assert main([*argv, "--db", str(db), "--author", "op"]) == 0
    assert main(["case", "position", "2026-0001", "-33.5,-151.25", "--db", str(db)]) == 0
    capsys.readouterr()
    with Desk.open(db) as store:
        assert [(p.lat, p.lon) for p in store.cases.positions("2026-0001")] == [
            (-33.5, -5.5),
            (-33.5, -151.25),
        ]


def test_negative_wind_and_current_components_reach_the_drift_command() -> None:
    argv = ["drift", "run", "--object", "1", "--lat", "-40", "--lon", "-179.9"]
    argv += [
        "--start",
        "2026-11-26T12:00",
        "--hours",
        "6",
        "--wind",
        "-5,3",
        "--current",
        "-.2,-0.1",
    ]
    args = build_parser(argv).parse_args(argv)
    assert (args.lat, args.lon, args.wind, args.current) == ("-40", "-179.9", "-5,3", "-.2,-0.1")
