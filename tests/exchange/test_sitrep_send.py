"""SITREPs an RCC can send as they are (issue 11): B's course and speed from accepted
positions only, K from the tasked searches, J in plain words, plain ASCII text by default,
and a real message's frame read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sarapp.cli import main
from sarapp.exchange.sitrep import sitrep_text
from sarapp.exchange.sitrep_parse import parse_sitrep
from sarapp.model import AlertPhase, Position
from sarapp.store import Desk

T0 = datetime(2026, 3, 14, 3, 42, tzinfo=UTC)
NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _sitrep(store: Desk, case_id: str) -> str:
    """The short SITREP of the case as the core writes it."""
    return sitrep_text(
        store.cases.get(case_id),
        positions=store.cases.positions(case_id),
        log=store.log.entries(case_id),
        sender="MRCC Etel",
        to=["MRCC Falmouth"],
        now=NOW,
    )


def _full(capsys, store: Desk, case_id: str) -> str:
    """The full SITREP as ``sarapp sitrep CASE --full`` writes it for sending."""
    code = main(["--db", str(store.path), "sitrep", case_id, "--full", "--from", "MRCC Etel",
                 "--to", "MRCC Falmouth"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _paragraph(text: str, key: str) -> str:
    return parse_sitrep(text, reference=NOW).paragraphs[key].text


@pytest.fixture
def liferaft(store: Desk) -> str:
    (case_id,) = store.cases.create(
        title="Liferaft adrift", author="op", phase=AlertPhase.DETRESFA, time=T0
    ).cases
    return case_id


def test_b_ignores_the_doppler_mirror(store: Desk, liferaft: str) -> None:
    store.cases.add_position(liferaft, Position(61.705, 4.315, T0, "reported"), author="op")
    mirror = Position(59.097, 10.853, T0 + timedelta(hours=1), "doppler-B")  # 264 kn away
    store.cases.add_position(liferaft, mirror, author="op", as_lkp=False)
    b = _paragraph(_sitrep(store, liferaft), "position")
    assert b.endswith("COURSE AND SPEED NOT KNOWN") and "KN" not in b.replace("KNOWN", "")


def test_b_ignores_the_ambiguity_of_two_doppler_passes(store: Desk, liferaft: str) -> None:
    store.cases.add_position(liferaft, Position(61.705, 4.315, T0, "doppler-A"), author="op")
    later = Position(61.60, 4.10, T0 + timedelta(minutes=100), "doppler-A")  # A may flip
    store.cases.add_position(liferaft, later, author="op")
    assert _paragraph(_sitrep(store, liferaft), "position").endswith("NOT KNOWN")


def test_b_says_not_known_for_a_move_within_the_positions_error(store: Desk, liferaft: str) -> None:
    """A vessel that sank: two fixes of the same place were read as 0.0 kn."""
    store.cases.add_position(liferaft, Position(61.705, 4.315, T0, "reported"), author="op")
    store.cases.add_position(
        liferaft, Position(61.705, 4.315, T0 + timedelta(hours=2), "encoded"), author="op"
    )
    assert _paragraph(_sitrep(store, liferaft), "position").endswith("NOT KNOWN")


def test_b_gives_course_and_speed_between_accepted_positions(store: Desk, liferaft) -> None:
    store.cases.add_position(liferaft, Position(61.705, 4.315, T0, "reported"), author="op")
    moved = Position(61.725, 4.315, T0 + timedelta(hours=1), "reported")  # 1.2 NM north
    store.cases.add_position(liferaft, moved, author="op")
    assert _paragraph(_sitrep(store, liferaft), "position").endswith("MOVING 000T 1.2 KN")


@pytest.fixture
def worked_case(capsys, store: Desk, tmp_path) -> str:
    """An EPIRB alert, a kept drift run and three searches tasked (one reported done),
    through the CLI as a coordinator would."""
    from pathlib import Path

    sit185 = Path(__file__).parent.parent / "data" / "sit185" / "initial_doppler.txt"
    db = ["--db", str(store.path)]
    assert main([*db, "alert", "import", str(sit185), "--author", "op"]) == 0
    (case,) = store.cases.list()
    assert main([*db, "drift", "run", "--case", case.id, "--object", "1", "--lat", "61.705",
                 "--lon", "4.315", "--start", "2026-03-14T03:42", "--hours", "6", "--wind",
                 "5,3", "--particles", "300", "--seed", "5"]) == 0  # fmt: skip
    common = ["--course", "0", "--start", "140600Z MAR 26", "--end", "140800Z MAR 26"]
    assert main([*db, "plan", "task", case.id, "expanding-square", "--unit", "SRU 1",
                 "--csp", "61.71,4.30", "--spacing-nm", "0.164458", "--legs", "8",
                 *common]) == 0  # fmt: skip
    assert main([*db, "plan", "task", case.id, "parallel-track", "--unit", "LN-OQS",
                 "--csp", "61.75,4.20", "--spacing-nm", "1.04", "--width-nm", "6",
                 "--length-nm", "8", *common]) == 0  # fmt: skip
    assert main([*db, "plan", "task", case.id, "sector", "--unit", "RS 150", "--csp",
                 "61.70,4.32", "--radius-nm", "2", *common]) == 0  # fmt: skip
    plans = store.plans.for_case(case.id)
    assert main([*db, "plan", "done", plans[2].id, "--author", "op"]) == 0
    capsys.readouterr()
    return case.id


def test_k_lists_the_tasked_areas_and_units(capsys, store: Desk, worked_case: str) -> None:
    k = _paragraph(_full(capsys, store, worked_case), "search_area")
    square, parallel, sector = k.split("; ")
    assert square == (
        "SRU 1 EXPANDING SQUARE (SS) CSP 6142.6N 00418.0E, TRACK SPACING 0.2 NM, "
        "140600Z MAR 26 TO 140800Z MAR 26"
    )
    assert parallel.startswith("LN-OQS PARALLEL TRACK (PS) AREA ")
    corners = parallel.split(" AREA ")[1].split(",")[0].split(" - ")
    assert len(corners) == 4 and all(c.endswith("E") and "N " in c for c in corners)
    assert ", TRACK SPACING 1.0 NM" in parallel
    assert sector.startswith("RS 150 SECTOR (VS) CSP 6142.0N 00419.2E, RADIUS 2.0 NM")
    assert sector.endswith(", COMPLETED")


def test_j_is_the_coordinating_actions_in_plain_words(capsys, store: Desk, worked_case) -> None:
    j = _paragraph(_full(capsys, store, worked_case), "initial_actions")
    for raw in ("PARTICLES", "SEED", "0.164458", "NM²", "NM2", "1. DISTRESS COSPAS"):
        assert raw not in j  # not the log pasted verbatim
    assert "DISTRESS ALERT RECEIVED" in j
    assert "DRIFT COMPUTED OVER 6 H, DATUM 61" in j
    assert "SRU 1 TASKED WITH EXPANDING SQUARE SEARCH (SS)" in j
    assert "SEARCH BY RS 150 COMPLETED, NOTHING FOUND" in j


def test_the_sitrep_to_send_is_plain_ascii(capsys, store: Desk, worked_case: str) -> None:
    text = _full(capsys, store, worked_case)
    assert text.isascii() and "°" not in text and "'" not in text
    lines = text.splitlines()
    assert lines[2:5] == ["FM MRCC ETEL", "TO MRCC FALMOUTH", "BT"] and lines[-1] == "BT"
    assert lines[5] == "SAR SITREP 1"
    assert "B. POSITION: 6142.3N 00418.9E AT 140342Z MAR 26 (DOPPLER-A" in text
    parsed = parse_sitrep(text, reference=NOW)
    assert parsed.unread == ()
    position = parsed.paragraphs["position"].values
    assert (round(position["lat"], 4), round(position["lon"], 4)) == (61.705, 4.315)


def test_a_real_message_frame_is_read() -> None:
    message = "\n".join([
        "ZCZC ABC123",
        "DISTRESS",
        "141230Z MAR 26",
        "FM JRCC STAVANGER",
        "TO MRCC ETEL",
        "BT",
        "SAR SITREP 3",
        "CASE REF 2026-0117 (MRCC-ETEL 2026-0001)",
        "A. IDENTITY OF CASUALTY: EPIRB A029D65028154D1, FLAG NO",
        "B. POSITION: 6142.3N 00418.9E AT 140342Z MAR 26 (DOPPLER-A), COURSE AND SPEED NOT KNOWN",
        "C. SITUATION: DISTRESS (DETRESFA) SINCE 140342Z MAR 26",
        "D. NUMBER OF PERSONS AT RISK: 2",
        "E. ASSISTANCE REQUIRED: NOT REPORTED",
        "F. CO-ORDINATING RCC: JRCC STAVANGER",
        "BT",
        "NNNN",
    ])  # fmt: skip
    parsed = parse_sitrep(message, reference=NOW)
    assert parsed.unread == ()
    h = parsed.header
    assert (h.sender, h.to, h.sitrep_number, h.priority) == (
        "JRCC STAVANGER", ("MRCC ETEL",), 3, "DISTRESS")  # fmt: skip
    assert h.reference == "2026-0117 (MRCC-ETEL 2026-0001)"
    assert parsed.paragraphs["coordinating_rcc"].text == "JRCC STAVANGER"
    assert parsed.paragraphs["persons"].values == {"count": 2}
    assert round(parsed.paragraphs["position"].values["lat"], 3) == 61.705
