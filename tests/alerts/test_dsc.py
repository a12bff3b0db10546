"""DSC and DSE sentences (IEC 61162-1; call content ITU-R M.493, expansion ITU-R M.821).

Reference sentences are public test sentences of open-source NMEA libraries, retyped here (their
checksums verified by the parser itself), each named where it is used:
- marnav (mariokonrad/marnav, test/marnav/nmea/Test_nmea_dsc.cpp and Test_nmea_dse.cpp);
- the Rust nmea crate (AeroRust/nmea, src/sentences/dsc.rs tests);
- SignalK's NMEA 0183 parser (SignalK/signalk-parser-nmea0183, test/DSC.js);
- signalk-dsc (sailingnaturali/signalk-dsc), whose write-up gives a distress alert with its DSE.
Sentences "written here" are built for these tests from the field layout in
resources/dsc_symbols.md, with the checksum computed by ``nmea()`` below.
"""

from __future__ import annotations

import functools
import operator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarapp.alerts.dsc import DscCall, DscExpansion, DscKind, DscSentenceError
from sarapp.alerts.dsc_stream import DscDecoder

T0 = datetime(2026, 3, 14, 20, 25, tzinfo=UTC)

# SignalK test/DSC.js: a distress alert, disabled and adrift, 42°31'N 083°12'W at 2019 UTC.
SIGNALK_DISTRESS = "$CDDSC,12,3380400790,12,06,00,1423108312,2019,,,S,E*6A"
# signalk-dsc: a distress alert (sinking) and its DSE (42°31.4589'N 083°12.4494'W).
SIGNALK_DSC_SINKING = "$CDDSC,12,3380400790,12,05,00,1423108312,2019,,,S,E*69"
SIGNALK_DSC_DSE = "$CDDSE,1,1,A,3380400790,00,45894494*1B"
# Rust nmea crate: a distress alert with the category left empty, and a distress relay.
RUST_DISTRESS_NO_CATEGORY = "$CDDSC,12,5031105200,,05,00,2380814428,1800,,,R,E*6C"
RUST_RELAY = "$CDDSC,16,2350763930,12,12,00,2380814428,1800,5031105200,05,S,E*65"
RUST_POSITION_REPLY = "$CDDSC,20,5031105200,08,21,26,2380814428,1800,,,B,E*77"


def nmea(body: str) -> str:
    return f"${body}*{functools.reduce(operator.xor, body.encode(), 0):02X}"


def decode(*lines: str, received: datetime | None = T0) -> list:
    decoder = DscDecoder()
    return [decoder.decode(n, line, received) for n, line in enumerate(lines, start=1)]


def one(line: str, received: datetime | None = T0):
    (event,) = decode(line, received=received)
    return event


# --- distress alerts ------------------------------------------------------------------------


def test_signalk_distress_alert() -> None:
    call = one(SIGNALK_DISTRESS)
    assert isinstance(call, DscCall) and call.kind is DscKind.DISTRESS
    assert (call.format_code, call.sender, call.casualty) == (112, "338040079", "338040079")
    assert (call.category, call.nature) == ("distress", "disabled and adrift")
    assert call.communication == "F3E/G3E all modes telephony"  # field 5: 00 = symbol 100
    assert (call.fix.lat, call.fix.lon) == (pytest.approx(42 + 31 / 60), pytest.approx(-83.2))
    assert call.position_note == "whole minutes (about 1 NM)"
    assert call.time == datetime(2026, 3, 14, 20, 19, tzinfo=UTC) and call.time_text == "2019 UTC"
    assert call.acknowledgement.startswith("end of sequence") and call.expansion


def test_rust_nmea_distress_with_empty_category_south_east() -> None:
    call = one(RUST_DISTRESS_NO_CATEGORY)
    assert call.kind is DscKind.DISTRESS and call.category is None and call.nature == "sinking"
    assert call.casualty == "503110520" and call.acknowledgement == "acknowledgement requested"
    assert call.fix.lat == pytest.approx(-(38 + 8 / 60))
    assert call.fix.lon == pytest.approx(144 + 28 / 60)


@pytest.mark.parametrize(
    ("quadrant", "signs"), [("0", (1, 1)), ("1", (1, -1)), ("2", (-1, 1)), ("3", (-1, -1))]
)
def test_quadrants(quadrant: str, signs: tuple[int, int]) -> None:
    call = one(nmea(f"CDDSC,12,2320001230,12,07,09,{quadrant}503000445,0915,,,S,"))
    assert call.nature == "undesignated distress" and call.communication == "J3E telephony"
    assert (call.fix.lat, call.fix.lon) == (signs[0] * 50.5, signs[1] * 4.75)


def test_every_nature_of_distress_code() -> None:
    names = {
        "00": "fire / explosion", "01": "flooding", "02": "collision", "03": "grounding",
        "04": "listing / in danger of capsizing", "05": "sinking", "06": "disabled and adrift",
        "07": "undesignated distress", "08": "abandoning ship",
        "09": "piracy / armed robbery attack", "10": "man overboard", "12": "EPIRB emission",
    }  # fmt: skip
    for code, name in names.items():
        assert one(nmea(f"CDDSC,12,2320001230,12,{code},00,0503000452,0915,,,S,")).nature == name
    assert one(nmea("CDDSC,12,2320001230,12,11,00,0503000452,0915,,,S,")).nature.startswith(
        "unknown nature symbol 111"
    )


def test_position_and_time_not_available() -> None:
    call = one(nmea("CDDSC,12,2320001230,12,05,00,9999999999,8888,,,S,"))
    assert call.kind is DscKind.DISTRESS and call.fix is None and call.time is None
    assert call.position_note == "position not available (9999999999)"
    assert call.time_text == "time not available (8888)"


def test_a_garbled_position_still_gives_the_alert() -> None:
    call = one(nmea("CDDSC,12,2320001230,12,05,00,0936100452,0915,,,S,"))  # 93° N
    assert call.kind is DscKind.DISTRESS and call.fix is None
    assert "is not a DSC position" in call.position_note


def test_position_time_later_than_receipt_is_from_the_day_before() -> None:
    call = one(SIGNALK_DISTRESS, received=datetime(2026, 3, 15, 0, 5, tzinfo=UTC))
    assert call.time == datetime(2026, 3, 14, 20, 19, tzinfo=UTC)
    unknown = one(SIGNALK_DISTRESS, received=None)
    assert unknown.time is None and "date unknown" in unknown.time_text


# --- relays, acknowledgements, cancels ------------------------------------------------------


def test_rust_nmea_relay_names_the_casualty_not_the_relaying_station() -> None:
    call = one(RUST_RELAY)
    assert call.kind is DscKind.RELAY and call.format_code == 116
    assert (call.sender, call.casualty, call.nature) == ("235076393", "503110520", "sinking")
    assert call.fix.lat == pytest.approx(-(38 + 8 / 60))


def test_acknowledgement_relay_acknowledgement_and_self_cancel() -> None:
    # Written here: coast station 002320011 acknowledges 338040079's alert (first telecommand
    # 10 = symbol 110), acknowledges a relay (12 with B), and the ship cancels its own alert
    # (a distress acknowledgement whose sender is the ship in distress, M.493 Table A1-4.2).
    ack = one(nmea("CDDSC,16,0023200110,12,10,00,1423108312,2019,3380400790,06,B,"))
    assert (ack.kind, ack.sender, ack.casualty) == (
        DscKind.ACKNOWLEDGEMENT,
        "002320011",
        "338040079",
    )
    relay_ack = one(nmea("CDDSC,20,0023200110,12,12,00,1423108312,2019,3380400790,06,B,"))
    assert relay_ack.kind is DscKind.RELAY_ACK and relay_ack.casualty == "338040079"
    cancel = one(nmea("CDDSC,16,3380400790,12,10,00,1423108312,2019,3380400790,06,S,"))
    assert cancel.kind is DscKind.CANCEL and cancel.casualty == cancel.sender == "338040079"
    assert cancel.nature == "disabled and adrift"


def test_other_calls_are_calls() -> None:
    # marnav Test_nmea_dsc.cpp (format specifiers 02, 16, 20) and the Rust crate's position
    # reply: not distress traffic. 14 is a group call (M.493 114), 16 all ships (116).
    for line, fmt in [
        ("$CDDSC,02,3380210040,00,21,26,1394807410,2231,,,B,E*75", 102),
        ("$CDDSC,16,3380210040,00,21,26,1394807410,2231,,,B,E*70", 116),
        ("$CDDSC,20,3380210040,00,21,26,1394807410,2231,,,B,E*75", 120),
        (RUST_POSITION_REPLY, 120),
    ]:
        call = one(line)
        assert (call.kind, call.format_code) == (DscKind.CALL, fmt)
    reply = one(RUST_POSITION_REPLY)
    assert (reply.category, reply.communication) == (
        "safety",
        "ship position or location registration updating",
    )
    assert one("$CDDSC,20,3380210040,00,21,26,1394807410,0021,,,B,*31").expansion is False


# --- DSE ------------------------------------------------------------------------------------


def test_signalk_dsc_dse_refines_the_distress_position() -> None:
    call, dse = decode(SIGNALK_DSC_SINKING, SIGNALK_DSC_DSE)
    assert isinstance(dse, DscExpansion) and dse.call == call and dse.flag == "automatic"
    assert dse.fix.refined and not call.fix.refined
    assert dse.fix.lat == pytest.approx(42 + 31.4589 / 60)
    assert dse.fix.lon == pytest.approx(-(83 + 12.4494 / 60))


def test_marnav_dsc_and_dse_pair() -> None:
    # marnav: a position reply from 366425141 at 33°51'N 118°02'W, and its DSE 4780 0350.
    call, dse = decode(
        "$CDDSC,20,3664251410,00,21,26,1335111802,0004,,,B,E*72",
        "$CDDSE,1,1,A,3664251410,00,47800350*1D",
    )
    assert call.sender == dse.mmsi == "366425141" and dse.call == call
    assert dse.fix.lat == pytest.approx(33 + 51.478 / 60)
    assert dse.fix.lon == pytest.approx(-(118 + 2.035 / 60))


def test_dse_without_its_dsc_is_kept_and_named() -> None:
    # marnav Test_nmea_dse.cpp: a reply DSE of 338021004 with no DSC before it.
    (dse,) = decode("$CDDSE,1,1,R,3380210040,00,46506420*0F")
    assert isinstance(dse, DscExpansion) and dse.call is None and dse.fix is None
    assert dse.flag == "reply" and dse.data == (("00", "46506420"),)
    assert "follows no DSC call" in dse.notes[0]


def test_dse_matches_by_mmsi_and_receive_time() -> None:
    other = nmea("CDDSE,1,1,A,2320001230,00,12345678")
    call, dse = decode(SIGNALK_DSC_SINKING, other)
    assert dse.call is None  # another station's expansion
    late = _tag(int((T0 + timedelta(minutes=2)).timestamp())) + SIGNALK_DSC_DSE
    call, dse = decode(SIGNALK_DSC_SINKING, late)
    assert dse.received == T0 + timedelta(minutes=2) and dse.call is None  # too late
    soon = _tag(int((T0 + timedelta(seconds=2)).timestamp())) + SIGNALK_DSC_DSE
    call, dse = decode(SIGNALK_DSC_SINKING, soon)
    assert dse.call == call


def _tag(seconds: int) -> str:
    body = f"s:coast,c:{seconds}"
    return f"\\{body}*{functools.reduce(operator.xor, body.encode(), 0):02X}\\"


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("$CDDSC,,,,,,,,,,,*7F", "field 1 (format specifier) is empty"),  # SignalK DSC.js
        (SIGNALK_DISTRESS[:-2] + "6B", 'checksum mismatch: the sentence says "6B"'),
        (SIGNALK_DISTRESS[:-3], "no checksum"),
        (nmea("CDDSC,99,3380400790,12,06,00,1423108312,2019,,,S,E"), "format specifier 99"),
        (nmea("CDDSC,12,33804007,12,06,00,1423108312,2019,,,S,E"), 'field 2 (MMSI) "33804007"'),
        (nmea("CDDSC,12,3380400790,1X,06,00,1423108312,2019,,,S,E"), 'category "1X"'),
        (nmea("CDDSE,1,1,A"), "DSE has 3 fields"),
        (nmea("CDDSE,1,1,A,3380400790,00,4589"), 'DSE code 00 data "4589" is not 8 digits'),
        ("$GPGGA,123519,4807.038,N*47", "is not a $--DSC or $--DSE sentence"),
    ],
)
def test_refusals_name_the_field(line: str, reason: str) -> None:
    (event,) = decode(line)
    assert isinstance(event, DscSentenceError) and reason in event.reason
    assert event.line == 1


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=90),
        st.lists(st.text("0123456789ABERSQ ", max_size=12), max_size=14).map(
            lambda fields: nmea("CDDSC," + ",".join(fields))
        ),
        st.lists(st.text("0123456789AQR", max_size=10), max_size=8).map(
            lambda fields: nmea("CDDSE," + ",".join(fields))
        ),
    )
)
def test_any_line_gives_an_event_never_an_exception(line: str) -> None:
    for event in decode(SIGNALK_DISTRESS, line):
        assert isinstance(event, DscCall | DscExpansion | DscSentenceError)
        if isinstance(event, DscSentenceError):
            assert event.reason and "\n" not in event.reason
        elif isinstance(event, DscCall) and event.fix is not None:
            assert -90 <= event.fix.lat <= 90 and -180 <= event.fix.lon <= 180
