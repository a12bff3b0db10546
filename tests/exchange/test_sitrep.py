"""SITREPs: written from a case (short and full form), read back, and read from other desks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sarapp.exchange.sitrep import SitrepExtras, next_sitrep_number, sitrep_text
from sarapp.exchange.sitrep_parse import parse_sitrep

SAMPLES = Path(__file__).parent.parent / "data" / "exchange" / "sitrep"
NOW = datetime(2026, 11, 28, 15, 12, tzinfo=UTC)


def _text(store, case_id, **options) -> str:
    """The typographic form (on screen) unless ``plain=True`` is given."""
    return sitrep_text(
        store.cases.get(case_id),
        positions=store.cases.positions(case_id),
        log=store.log.entries(case_id),
        sender="MRCC Etel",
        to=["MRCC Falmouth", "JRCC Stavanger"],
        now=NOW,
        plans=store.plans.for_case(case_id),
        drift_runs=store.drift.runs(case_id),
        **{"plain": False, **options},
    )


def test_short_form_header_and_paragraphs(desk) -> None:
    store, case_id = desk
    lines = _text(store, case_id).splitlines()
    assert lines[:6] == [
        "DISTRESS",
        "281512Z NOV 26",
        "FROM: MRCC ETEL",
        "TO: MRCC FALMOUTH, JRCC STAVANGER",
        "SAR SITREP 1",
        "CASE REF: 2026-0001",
    ]
    lines = lines[6:]
    assert [line[:2] for line in lines] == ["A.", "B.", "C.", "D.", "E.", "F."]
    assert lines[0] == "A. IDENTITY OF CASUALTY: MARIE, CALL SIGN FABC, FLAG FR, MMSI 227123456"
    assert lines[1].startswith("B. POSITION: 47°31.200'N 003°28.800'W AT 281220Z NOV 26")
    # 0.72 NM north-east in 10 minutes: 034°T at 4.4 knots.
    assert lines[1].endswith("(REPORTED, ±0.3 NM), MOVING 034°T 4.4 KN")
    assert lines[2].startswith("C. SITUATION: DISTRESS (DETRESFA) SINCE ")
    assert lines[2].endswith(", FIRE")
    assert lines[3] == "D. NUMBER OF PERSONS AT RISK: 4"
    assert lines[5] == "F. CO-ORDINATING RCC: MRCC ETEL"


def test_full_form_skips_letter_i_and_lists_actions(desk) -> None:
    store, case_id = desk
    extras = SitrepExtras(weather="wind NW 6, sea rough", future_plans="tow to Lorient")
    lines = _text(store, case_id, full=True, extras=extras).splitlines()
    assert [line[:2] for line in lines[6:]] == [f"{c}." for c in "ABCDEFGHJKLMN"]
    assert "H. WEATHER ON SCENE: WIND NW 6, SEA ROUGH" in lines
    actions = next(line for line in lines if line.startswith("J."))
    assert "CASE OPENED" in actions and "DETRESFA DECLARED" in actions
    assert "NO ANSWER" not in actions  # operators' notes stay in the log, not in J
    assert "L. CO-ORDINATING INSTRUCTIONS: SMC DUTY SMC LE GOFF" in lines
    assert "M. FUTURE PLANS: TOW TO LORIENT" in lines


def test_urgency_numbering_and_final(desk) -> None:
    store, case_id = desk
    store.cases.set_phase(case_id, "ALERFA", author="op1")
    store.log.append(case_id, "SITREP 1 sent", author="op1", data={"sitrep_number": 1})
    store.log.append(case_id, "SITREP 2 sent", author="op1", data={"sitrep_number": 2})
    assert next_sitrep_number(store.log.entries(case_id)) == 3
    text = _text(store, case_id)
    assert text.startswith("URGENCY\n") and "SAR SITREP 3\n" in text
    store.cases.set_status(case_id, "closed", author="op1", reason="crew rescued")
    full = _text(store, case_id, full=True)
    assert "SAR SITREP 3 FINAL\n" in full
    assert "SAR OPERATIONS TERMINATED" in full and full.rstrip().endswith("CREW RESCUED")


def test_generated_sitrep_reads_back(desk) -> None:
    store, case_id = desk
    parsed = parse_sitrep(_text(store, case_id, full=True), reference=NOW)
    assert parsed.unread == ()
    out = parsed.to_json()
    assert out["header"] == {
        "priority": "DISTRESS",
        "dtg": "2026-11-28T15:12:00Z",
        "from": "MRCC ETEL",
        "to": ["MRCC FALMOUTH", "JRCC STAVANGER"],
        "sitrep_number": 1,
        "final": False,
        "reference": "2026-0001",
    }
    case = store.cases.get(case_id)
    assert (out["paragraphs"]["position"]["lat"], out["paragraphs"]["position"]["lon"]) == (
        case.lkp.lat,
        case.lkp.lon,
    )
    assert out["paragraphs"]["persons"]["count"] == 4
    assert len(out["paragraphs"]) == 13


def test_copies_lettering_the_full_form_i_to_m() -> None:
    parsed = parse_sitrep((SAMPLES / "alt-lettering.txt").read_text(), reference=NOW)
    out = parsed.to_json()
    assert parsed.unread == ()
    assert out["header"]["priority"] == "URGENCY"
    assert out["header"]["dtg"] == "2026-12-03T18:45:00Z"
    assert out["header"]["from"] == "MRCC FALMOUTH"
    assert out["header"]["to"] == ["CROSS ETEL", "JRCC STAVANGER"]
    assert out["header"]["sitrep_number"] == 2
    p = out["paragraphs"]
    assert (p["position"]["lat"], round(p["position"]["lon"], 6)) == (49.508333333333333, -6.253333)
    assert p["persons"]["count"] == 3
    assert p["initial_actions"]["letter"] == "I"
    assert p["search_area"]["letter"] == "J" and p["search_area"]["text"] == "nil"
    assert p["future_plans"]["text"] == "tow to Newlyn"
    assert p["description"]["text"] == "11 m sloop, white hull, blue sprayhood"
    assert p["identity"]["text"] == "SY BLUE HERON C/S MBHX9 UK FLAG"


def test_bare_letters_without_titles_follow_the_detected_lettering() -> None:
    imo = parse_sitrep("DISTRESS\nA. MV X\nJ. TOWED\nN. NIL\n").paragraphs
    assert imo["initial_actions"].text == "TOWED" and imo["additional_info"].text == "NIL"
    alt = parse_sitrep("DISTRESS\nA. MV X\nI. TOWED\nM. NIL\n").paragraphs
    assert alt["initial_actions"].text == "TOWED" and alt["additional_info"].text == "NIL"


def test_the_header_dtg_is_read_against_the_time_given() -> None:
    """A DTG without month or year is the latest such time before the reference, so the
    same message reads the same whenever it is parsed (the CASE REF line once shadowed it)."""
    text = "DISTRESS 120300Z\nFROM: RCC LISBOA\nTO: MRCC ETEL\nCASE REF: 2027-0004\nSITREP 1\n"
    for received in (datetime(2027, 1, 12, 4, 0, tzinfo=UTC), datetime(2025, 6, 13, tzinfo=UTC)):
        header = parse_sitrep(text, reference=received).header
        assert header.dtg == received.replace(day=12, hour=3, minute=0)
        assert header.reference == "2027-0004"


def test_titles_without_letters() -> None:
    # Received the morning it was sent: a two-digit year is this year or last year.
    received = datetime(2027, 1, 12, 4, 0, tzinfo=UTC)
    out = parse_sitrep((SAMPLES / "no-letters.txt").read_text(), reference=received).to_json()
    assert out["header"]["final"] is True
    assert out["header"]["sitrep_number"] == 4
    assert out["header"]["dtg"] == "2027-01-12T03:00:00Z"
    p = out["paragraphs"]
    assert p["identity"]["text"] == "FV SANTA LUZIA, MMSI 263123450"
    assert (p["position"]["lat"], p["position"]["lon"]) == (38.701666666666667, -9.341666666666667)
    assert p["persons"]["count"] == 6
    assert p["additional_info"]["title"] == "REMARKS"
    assert "assistance" not in p


def test_what_cannot_be_read_is_listed() -> None:
    parsed = parse_sitrep((SAMPLES / "damaged.txt").read_text(), reference=NOW)
    unread = "\n".join(parsed.unread)
    assert 'line 2: DTG "991299Z"' in unread
    assert "header: no TO found" in unread
    assert "header: no SITREP number found" in unread
    assert "position: nothing could be read in 'somewhere off the cape'" in unread
    assert "persons: nothing could be read" in unread
    assert parsed.header.sender == "RCC SOMEWHERE"
    assert parsed.paragraphs["identity"].text == "unknown small craft"


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ABCDIJN.:-/ \n0123456789NSEWZ°'POSITIONFROMTO"), max_size=300)
)
def test_any_text_parses_without_crashing(text: str) -> None:
    parsed = parse_sitrep(text, reference=NOW)
    assert set(parsed.to_json()) == {"header", "paragraphs", "unread"}


@settings(max_examples=100, deadline=None)
@given(
    lat=st.floats(-89.9, 89.9),
    lon=st.floats(-179.9, 179.9),
    pob=st.integers(0, 5000),
    full=st.booleans(),
)
def test_written_position_and_persons_read_back(lat: float, lon: float, pob: int, full) -> None:
    """Whatever the case holds, our own SITREP reads back to the same LKP (to 0.001') and POB."""
    from sarapp.model import AlertPhase, Case, CaseId, CaseStatus, Position

    lkp = Position(lat, lon, NOW)
    case = Case(CaseId("c"), "2026-0001", "T", AlertPhase.DETRESFA, CaseStatus.OPEN, NOW, NOW,
                pob=pob, lkp=lkp)  # fmt: skip
    for plain, minutes in ((False, 0.001), (True, 0.1)):  # 0.1' written as coordinators do
        text = sitrep_text(
            case, positions=[lkp], log=[], sender="MRCC A", to=["B"], full=full, plain=plain
        )
        p = parse_sitrep(text, reference=NOW).paragraphs
        assert abs(p["position"].values["lat"] - lat) <= minutes / 2 / 60 + 1e-12
        assert abs(p["position"].values["lon"] - lon) <= minutes / 2 / 60 + 1e-12
        assert p["persons"].values["count"] == pob
