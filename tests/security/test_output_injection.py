"""What the desk writes out cannot be turned against its reader: XML exports stay parseable,
the terminal gets no control sequence, and a log entry cannot forge a line of ``log list``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from sarapp.maps.export_formats import to_gpx, to_kml
from sarapp.maps.exports import ExportSet, MapPoint, MapTrack
from sarapp.model import Position
from sarapp.planning.patterns import SearchPattern, Waypoint
from sarapp.planning.routes import export_text
from sarapp.store import Desk

from .conftest import run, tamper

NASTY = "ok\x00\x01\x08\x0b\x0c\x1b[31m\x7f\x85\ufffe\ufffftail"
T = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _parse(text: str) -> ElementTree.Element:
    return ElementTree.fromstring(text.encode("utf-8"))


def test_kml_and_gpx_drop_what_xml_forbids_and_parse_back() -> None:
    data = ExportSet(
        points=(MapPoint(f"LKP {NASTY}", 43.2, 5.1, T, "lkp", f"source {NASTY}"),),
        tracks=(MapTrack(f"track {NASTY}", ((43.2, 5.1, T), (43.3, 5.2, T)), "unit"),),
    )
    for text in (to_kml(data), to_gpx(data)):
        root = _parse(text)  # raised "not well-formed (invalid token)" before
        names = [e.text for e in root.iter() if e.tag.endswith("name") and e.text]
        assert any(n.startswith("LKP ok") and n.endswith("tail") for n in names), names
        assert all("\x1b" not in (e.text or "") for e in root.iter())


def test_route_exports_drop_what_xml_forbids() -> None:
    pattern = SearchPattern(
        kind="track-line",
        code=f"TS{NASTY}",
        csp_lat=43.2,
        csp_lon=5.1,
        course_deg=90.0,
        spacing_nm=None,
        legs=(),
        waypoints=(Waypoint(f"CSP {NASTY}", 43.2, 5.1), Waypoint("WP1", 43.3, 5.1)),
    )
    for fmt in ("gpx", "rtz"):
        root = _parse(export_text(pattern, fmt))
        assert any("tail" in (e.text or "") + "".join(e.attrib.values()) for e in root.iter())


def _case(capsys, db: str, *extra: str) -> str:
    code, out, err = run(capsys, "--db", db, "case", "new", "--title", "FV Marie", *extra, "--json")
    assert code == 0, err
    return json.loads(out)["number"]


def test_a_line_break_in_a_log_entry_cannot_forge_a_line_of_log_list(
    capsys, desk_path: Path
) -> None:
    db = str(desk_path)
    number = _case(capsys, db)
    run(capsys, "--db", db, "log", "add", number, "Called FV Marie on VHF 16, no answer")
    listed = run(capsys, "--db", db, "log", "list", number)[1].splitlines()
    forged_line = listed[-1].replace("Called FV Marie", "All crew rescued, stand down")
    for brk in ("\n", "\r\n", "\r", "\u2028", "\x85", "\x0c"):
        text = f"Weather on scene fair{brk}{forged_line}"
        assert run(capsys, "--db", db, "log", "add", number, text)[0] == 0
    out = run(capsys, "--db", db, "log", "list", number)[1]
    assert forged_line not in out.splitlines()
    assert all(line[:1].isdigit() or line.startswith(" ") for line in out.splitlines())


def test_the_cli_strips_terminal_control_sequences_from_what_it_prints(
    capsys, desk_path: Path
) -> None:
    db = str(desk_path)
    number = _case(capsys, db)
    evil = "\x1b]0;pwned\x07\x1b[2J\x1b[1;31mFIRE\x1b[0m on board\x07"
    assert run(capsys, "--db", db, "log", "add", number, evil)[0] == 0
    for argv in (["log", "list", number], ["log", "search", "board"], ["log", "list", number]):
        code, out, err = run(capsys, "--db", db, *argv)
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out
        assert "FIRE" in out
    data = json.loads(run(capsys, "--db", db, "log", "list", number, "--json")[1])
    assert data[-1]["text"] == evil  # the stored text is kept as received; JSON escapes it


def test_a_legacy_title_with_escape_codes_is_shown_harmless(capsys, desk_path: Path) -> None:
    """A title an older sarapp accepted: the CLI shows it without its control sequences."""
    db = str(desk_path)
    number = _case(capsys, db)
    tamper(desk_path, "UPDATE cases SET title = 'FV \x1b[8mhidden\x1b[0m Marie\u202eedoc'")
    out = run(capsys, "--db", db, "case", "list")[1]
    assert "\x1b" not in out and "\u202e" not in out and "<U+202E>" in out
    raw = run(capsys, "--db", db, "case", "show", number, "--json")[1]
    assert "\u202e" not in raw and "\\u202e" in raw
    assert json.loads(raw)["title"].endswith("\u202eedoc")


def test_invisible_characters_in_log_text_are_shown_in_the_app(qtbot, store: Desk) -> None:
    from sarapp.ui.case_log import CaseLogPanel

    (case_id,) = store.cases.create(title="FV Marie", author="op").cases
    store.log.append(case_id, "payment to \u202eKCAB DNUF\u202c done", author="op")
    store.cases.add_position(case_id, Position(43.2, 5.1, time=T), author="op")
    panel = CaseLogPanel()
    qtbot.addWidget(panel)
    panel.show_entries(store.log.entries(case_id))
    shown = panel.model.data(panel.model.index(1, 4))
    assert "<U+202E>" in shown and "\u202e" not in shown


@pytest.mark.parametrize("value", ["\x1b[31m", "line\nbreak", "\u202eevil"])
def test_position_sources_refuse_hidden_characters(store: Desk, value: str) -> None:
    from sarapp.errors import SarappError

    (case_id,) = store.cases.create(title="FV Marie", author="op").cases
    with pytest.raises(SarappError, match="position source"):
        store.cases.add_position(case_id, Position(43.2, 5.1, time=T, source=value), author="op")
