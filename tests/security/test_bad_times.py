"""Times outside the sane window: refused at every edge, and a desk already holding one opens.

A year before 1000 used to be stored as ``999-11-26T…`` (strftime does not pad the year),
which no reader of the desk could parse again: case list, case show, SITREP, export and the
app's start all failed afterwards, and such a time could arrive in a package.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sarapp.errors import SarappError
from sarapp.exchange import keyring, keys
from sarapp.exchange.apply import import_package
from sarapp.exchange.body import case_body
from sarapp.exchange.errors import PackageError
from sarapp.exchange.package import build_package, package_bytes, sign_package
from sarapp.exchange.reader import read_package
from sarapp.exchange.sitrep import sitrep_text
from sarapp.geo import GeoError, parse_dtg
from sarapp.model import Position, UnitPosition, utc_now
from sarapp.store import Desk
from sarapp.store.sqlite.values import time_from_text, time_to_text

from .conftest import run, tamper

YEAR_999 = datetime(999, 11, 26, 14, 30, tzinfo=UTC)
REF = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)


def _readable(store: Desk, case_id: str) -> None:
    """Everything that used to fail on such a desk."""
    store.cases.list()
    case = store.cases.get(case_id)
    positions = store.cases.positions(case_id)
    sitrep_text(
        case, positions=positions, log=store.log.entries(case_id), sender="MRCC X", to=["Y"]
    )
    case_body(store, case_id)


def test_times_are_stored_fixed_width_whatever_the_year() -> None:
    assert time_to_text(YEAR_999) == "0999-11-26T14:30:00.000000Z"
    assert time_from_text(time_to_text(YEAR_999)) == YEAR_999


def test_a_position_in_year_999_is_refused_and_the_desk_stays_readable(store: Desk) -> None:
    (case_id,) = store.cases.create(title="FV Marie", author="op").cases
    with pytest.raises(SarappError, match=r"0999-11-26 14:30Z is before 1970"):
        store.cases.add_position(case_id, Position(43.2, 5.1, time=YEAR_999), author="op")
    assert store.cases.positions(case_id) == []
    _readable(store, case_id)


def test_a_position_more_than_a_day_ahead_is_refused(store: Desk) -> None:
    (case_id,) = store.cases.create(title="FV Marie", author="op").cases
    later = utc_now() + timedelta(days=2)
    with pytest.raises(SarappError, match="more than a day ahead"):
        store.cases.add_position(case_id, Position(43.2, 5.1, time=later), author="op")
    store.cases.add_position(
        case_id, Position(43.2, 5.1, time=utc_now() + timedelta(hours=20)), author="op"
    )


def test_a_case_opened_in_year_999_and_a_unit_fix_in_year_999_are_refused(store: Desk) -> None:
    with pytest.raises(SarappError, match="before 1970"):
        store.cases.create(title="FV Marie", author="op", time=YEAR_999)
    (unit_id,) = store.units.add(name="SNS 061", unit_type="lifeboat").units
    with pytest.raises(SarappError, match="before 1970"):
        store.units.add_positions([UnitPosition(unit_id, 43.0, 5.0, YEAR_999)])
    assert store.units.track(unit_id) == []


def test_cli_refuses_dtg_year_0999_in_one_line_and_lists_after(capsys, desk_path: Path) -> None:
    db = str(desk_path)
    code, out, _ = run(capsys, "--db", db, "case", "new", "--title", "FV Marie", "--json")
    number = json.loads(out)["number"]
    code, out, err = run(
        capsys, "--db", db, "case", "position", number, "43N 5E", "--time", "261430Z NOV 0999"
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "before 1970" in err
    for argv in (
        ["case", "list"],
        ["case", "show", number],
        ["sitrep", number, "--from", "MRCC X"],
    ):
        code, _, err = run(capsys, "--db", db, *argv)
        assert code == 0, err


def test_a_desk_already_holding_year_999_opens_and_check_names_it(capsys, desk_path: Path):
    """What an older sarapp wrote: the position's time without its leading zero."""
    with Desk.open(desk_path) as store:
        (case_id,) = store.cases.create(title="FV Marie", author="op").cases
        store.cases.add_position(case_id, Position(43.2, 5.1, time=REF), author="op")
        position_id = store.cases.positions(case_id)[0].id
    tamper(
        desk_path,
        "DROP TRIGGER positions_append_only_update",
        f"UPDATE positions SET time = '999-11-26T14:30:00.000000Z' WHERE id = '{position_id}'",
    )
    with Desk.open(desk_path) as store:
        _readable(store, case_id)
        assert store.cases.positions(case_id)[0].time == YEAR_999
        report = store.check()
    assert any(
        position_id in p and "999-11-26T14:30:00.000000Z" in p and "before 1970" in p
        for p in report.problems
    ), report.problems
    code, _, err = run(capsys, "--db", str(desk_path), "case", "list")
    assert code == 0, err


def test_the_app_starts_on_a_desk_holding_year_999(qtbot, desk_path: Path) -> None:
    from sarapp.ui.main_window import MainWindow

    with Desk.open(desk_path) as store:
        (case_id,) = store.cases.create(title="FV Marie", author="op").cases
        store.cases.add_position(case_id, Position(43.2, 5.1, time=REF), author="op")
    tamper(
        desk_path,
        "DROP TRIGGER positions_append_only_update",
        "UPDATE positions SET time = '999-11-26T14:30:00.000000Z'",
    )
    window = MainWindow(Desk.open(desk_path))
    qtbot.addWidget(window)
    window.show()
    assert window.isVisible()


def _signed_by_own_key(receiver: Desk, tmp_path: Path) -> keys.DeskKeys:
    """The receiver's own key (trusted by its desk): the package passes the trust gate, so
    only the times can refuse it."""
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    signer, _ = keyring.set_rcc(receiver, keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR"), keys_dir=folder)
    return signer


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("position", "0999-11-26T14:30:00.000000Z"),
        ("position", "2999-11-26T14:30:00.000000Z"),
        ("case", "0999-11-26T14:30:00.000000Z"),
    ],
)
def test_a_package_carrying_an_impossible_time_is_refused(
    store: Desk, tmp_path: Path, where: str, value: str
) -> None:
    (case_id,) = store.cases.create(title="FV Marie", author="op").cases
    store.cases.add_position(case_id, Position(43.2, 5.1, time=REF), author="op")
    with Desk.open(tmp_path / "b.sqlite") as receiver:
        signer = _signed_by_own_key(receiver, tmp_path)
        document = build_package(store, case_id, keys=signer, to=keys.Rcc("MRCC-FALMOUTH"))
        if where == "position":
            document["body"]["positions"][0]["time"] = value
        else:
            document["body"]["case"]["created"] = value
        forged = package_bytes(sign_package(document, signer))
        with pytest.raises(PackageError, match=r"before 1970|more than a day ahead"):
            read = read_package(forged, trust=keyring.desk_trust(receiver))
            import_package(receiver, read, author="b")
        assert receiver.cases.list() == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("261430Z NOV 26", datetime(2026, 11, 26, 14, 30, tzinfo=UTC)),
        ("261430Z NOV 25", datetime(2025, 11, 26, 14, 30, tzinfo=UTC)),  # last year
        ("261430Z NOV 2026", datetime(2026, 11, 26, 14, 30, tzinfo=UTC)),
        ("261430Z NOV 1999", datetime(1999, 11, 26, 14, 30, tzinfo=UTC)),  # four digits: as said
    ],
)
def test_two_digit_years_read_as_this_or_last_year(text: str, expected: datetime) -> None:
    assert parse_dtg(text, reference=REF) == expected


def test_a_two_digit_year_reaching_into_next_year_is_the_day_ahead() -> None:
    new_year_eve = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    assert parse_dtg("010100Z JAN 27", reference=new_year_eve) == datetime(
        2027, 1, 1, 1, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("261430Z NOV 99", "NOV 99 would be 1999"),  # was silently 1999
        ("261430Z NOV 70", "NOV 70 would be 1970"),  # was silently 2070, in the future
        ("261430Z NOV 27", "NOV 27 would be 1927"),  # was 2027: a year ahead
        ("261430Z NOV 0999", "before 1970"),
        ("261430Z NOV 1969", "before 1970"),
        ("1969-07-20T20:17:00Z", "before 1970"),
    ],
)
def test_ambiguous_or_ancient_dtgs_are_refused_naming_the_year(text: str, fault: str) -> None:
    with pytest.raises(GeoError, match=fault):
        parse_dtg(text, reference=REF)


def test_alert_times_before_1970_or_from_the_future_are_bad_lines() -> None:
    import functools
    import operator

    from pyais.encode import encode_dict

    from sarapp.alerts.ais import AisSentenceError, iter_ais
    from sarapp.alerts.sit185 import Sit185Error
    from sarapp.alerts.sit185_fields import find_time

    with pytest.raises(Sit185Error, match="before 1970"):
        find_time("26 NOV 0999 1430 UTC", line=3)
    (sentence,) = encode_dict({"type": 1, "mmsi": 227006120, "lat": 43.2, "lon": 5.1})
    body = f"s:test,c:{int(datetime(2999, 1, 1, tzinfo=UTC).timestamp())}"
    checksum = functools.reduce(operator.xor, body.encode(), 0)
    (event,) = iter_ais([f"\\{body}*{checksum:02X}\\{sentence}"])
    assert isinstance(event, AisSentenceError) and "out of range" in event.reason
