"""Names cannot hide or reorder what is shown: a right-to-left override (U+202E), zero-width
characters or a line break in a title, vessel name, operator or unit is refused where it is
typed (CLI, app, store), dropped from alert data, refused in a package, and shown as a
visible ``<U+202E>`` mark where an older desk already holds one.

Before, ``case new --title $'FV \u202eEIRAM'`` stored a title that lists as ``FV MARIE``
reversed — a different name that looks right — and a newline in a title forged a second line
of ``case list``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarapp.alerts.intake import import_sit185
from sarapp.errors import SarappError
from sarapp.exchange import keyring, keys
from sarapp.exchange.apply import import_package
from sarapp.exchange.errors import PackageError
from sarapp.exchange.package import build_package, package_bytes, sign_package
from sarapp.exchange.reader import read_package
from sarapp.store import Desk

from .conftest import run, tamper

HIDDEN = ["\u202e", "\u2066", "\u200b", "\ufeff", "\u2028", "\n", "\t", "\x1b[2J"]
SIT185 = Path(__file__).parent.parent / "data" / "sit185" / "resolved_registry.txt"


@pytest.mark.parametrize("char", HIDDEN)
def test_cli_refuses_a_title_or_vessel_hiding_characters(capsys, desk_path: Path, char: str):
    db = str(desk_path)
    code, out, err = run(capsys, "--db", db, "case", "new", "--title", f"FV {char}MARIE")
    assert code == 1 and out == "" and "which a name cannot hold" in err
    assert err.count("\n") == 1
    code, out, _ = run(capsys, "--db", db, "case", "new", "--title", "FV Marie", "--json")
    number = json.loads(out)["number"]
    code, _, err = run(capsys, "--db", db, "case", "set", number, "vessel_name", f"MA{char}RIE")
    assert code == 1 and "U+" in err
    code, _, err = run(capsys, "--db", db, "log", "add", number, "x", "--author", f"o{char}p")
    assert code == 1 and "operator name" in err
    with Desk.open(desk_path) as store:
        assert store.cases.get(number).vessel_name == ""
        assert len(store.log.entries(number)) == 1


def test_the_zero_width_joiners_of_persian_spelling_are_kept(store: Desk) -> None:
    title = "کشتی\u200cها"  # ZWNJ inside a Persian word is part of its spelling
    (case_id,) = store.cases.create(title=title, author="op").cases
    assert store.cases.get(case_id).title == title


def test_units_refuse_hidden_characters_in_their_names(store: Desk) -> None:
    with pytest.raises(SarappError, match="U\\+202E"):
        store.units.add(name="SNS \u202e061", unit_type="lifeboat")


def test_an_alert_registry_name_with_an_override_is_left_out_of_the_case(store: Desk) -> None:
    text = SIT185.read_text().replace("MARY ELLEN II", "MARY \u202eELLEN II")
    result = import_sit185(store, text, author="op")
    case = store.cases.get(result.case_id)
    assert "\u202e" not in case.title and case.vessel_name == ""
    assert "\u202e" in store.log.entries(result.case_id)[1].text  # the verbatim message keeps it


def test_a_package_naming_a_case_with_an_override_is_refused(store: Desk, tmp_path: Path):
    (case_id,) = store.cases.create(title="FV Marie", author="op").cases
    folder = tmp_path / "keys"
    folder.mkdir(mode=0o700)
    with Desk.open(tmp_path / "b.sqlite") as receiver, pytest.raises(PackageError) as refused:
        rcc = keys.Rcc("MRCC-ETEL", "MRCC Etel", "FR")
        signer, _ = keyring.set_rcc(receiver, rcc, keys_dir=folder)  # its own key: trusted
        document = build_package(store, case_id, keys=signer, to=keys.Rcc("MRCC-FALMOUTH"))
        document["body"]["case"]["vessel_name"] = "MA\u202eEIR"
        forged = package_bytes(sign_package(document, signer))
        read = read_package(forged, trust=keyring.desk_trust(receiver))
        import_package(receiver, read, author="b")
    assert "vessel_name" in str(refused.value) and "U+202E" in str(refused.value)


def test_a_title_an_older_desk_holds_is_shown_visibly_in_the_app(qtbot, desk_path: Path):
    from sarapp.ui.case_list import CaseTableModel

    with Desk.open(desk_path) as store:
        store.cases.create(title="FV Marie", author="op")
    tamper(desk_path, "UPDATE cases SET title = 'FV \u202eEIRAM', vessel_name = 'X\u200bY'")
    with Desk.open(desk_path) as store:
        model = CaseTableModel()
        model.set_cases(store.cases.list())
    # title and vessel columns (the persons counts come before them since issue 16)
    assert model.data(model.index(0, 3)) == "FV <U+202E>EIRAM"
    assert model.data(model.index(0, 4)) == "X<U+200B>Y"


def test_an_origin_an_older_desk_holds_is_shown_visibly(qtbot, desk_path: Path):
    """Packages naming their origin with hidden characters are refused (issue 11's origin,
    ``test_handover_inputs``); one imported before that shows its marks in the list."""
    from sarapp.ui.case_list import CaseTableModel

    with Desk.open(desk_path) as store:
        store.cases.create(title="FV Marie", author="op")
    tamper(desk_path, "UPDATE cases SET origin_rcc = 'MRCC-\u202eLETE', origin_number = '7'")
    with Desk.open(desk_path) as store:
        model = CaseTableModel()
        model.set_cases(store.cases.list())
    assert model.data(model.index(0, 0)).endswith("(MRCC-<U+202E>LETE 7)")
