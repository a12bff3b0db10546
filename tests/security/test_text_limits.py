"""The handover format's text limits hold when a text is typed, not only at the other RCC.

Before, a 2,001-character nature of distress or a 100,001-character log entry was stored
without a word, and the case could then not be handed over: the receiving desk refused the
package. The limits are read from the handover schema (``sarapp.limits``), so the two can
never disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sarapp.casefields import FieldError, parse_field
from sarapp.errors import SarappError
from sarapp.exchange.reader import package_schema
from sarapp.exchange.versions import CURRENT_VERSION
from sarapp.store import Desk

from .conftest import run

TEXT_FIELDS = ["title", "nature", "vessel_name", "mmsi", "imo", "call_sign", "flag",
               "vessel_type", "vessel_description", "rcc", "smc"]  # fmt: skip


def test_the_limits_are_the_current_handover_schema_s() -> None:
    from sarapp import limits

    assert limits.schema_version() == CURRENT_VERSION
    assert limits.schema() == package_schema()
    assert limits.max_length("case", "nature") == 2000
    assert limits.max_length("entry", "text") == 100_000


@pytest.mark.parametrize("name", TEXT_FIELDS)
def test_every_case_field_refuses_one_character_more_than_the_format(name: str) -> None:
    from sarapp import limits

    limit = limits.max_length("case", name)
    with pytest.raises(FieldError, match=f"at most {limit:,} characters"):
        parse_field(name, "A" * (limit + 1))


def test_a_too_long_nature_is_refused_by_the_cli_and_nothing_is_written(
    capsys, desk_path: Path
) -> None:
    db = str(desk_path)
    code, out, err = run(capsys, "--db", db, "case", "new", "--title", "x", "--nature", "N" * 2001)
    assert code == 1 and "at most 2,000 characters" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "--db", db, "case", "new", "--title", "FV Marie", "--json")
    number = json.loads(out)["number"]
    code, _, err = run(capsys, "--db", db, "case", "set", number, "nature", "N" * 2001)
    assert code == 1 and "at most 2,000 characters" in err
    code, _, err = run(capsys, "--db", db, "log", "add", number, "L" * 100_001)
    assert code == 1 and "at most 100,000 characters" in err and err.count("\n") == 1
    assert run(capsys, "--db", db, "log", "add", number, "L" * 100_000)[0] == 0
    with Desk.open(desk_path) as store:
        assert store.cases.get(number).nature == ""
        assert len(store.log.entries(number)) == 2


def test_a_too_long_nature_is_refused_when_typed_in_the_app(qtbot, store: Desk) -> None:
    from sarapp.ui.case_form import CaseForm

    (case_id,) = store.cases.create(title="FV Marie", author="op").cases
    form = CaseForm()
    qtbot.addWidget(form)
    form.show_case(store.cases.get(case_id))
    edited: list[tuple[str, str]] = []
    form.field_edited.connect(lambda name, text: edited.append((name, text)))
    editor = form.editors["nature"]
    editor.edit.setText("N" * 2001)
    editor.edit.editingFinished.emit()
    assert edited == []
    assert "2,000" in editor.error.text()


def test_store_refuses_long_authors_units_and_sources(store: Desk) -> None:
    from sarapp.model import Position

    (case_id,) = store.cases.create(title="FV Marie", author="op").cases
    with pytest.raises(SarappError, match="at most 200 characters"):
        store.log.append(case_id, "x", author="A" * 201)
    with pytest.raises(SarappError, match="at most 200 characters"):
        store.units.add(name="U" * 201, unit_type="lifeboat")
    with pytest.raises(SarappError, match="at most 100 characters"):
        store.cases.add_position(case_id, Position(43.0, 5.0, source="s" * 101), author="op")
