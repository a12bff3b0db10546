"""SIT 185 parsing against our own sample messages (tests/data/sit185/), written in the layouts
that published MCC examples show; values were chosen by us, so the expected results are known."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sarapp.alerts.sit185 import MessageType, Sit185Alert, Sit185Error, parse
from sarapp.errors import SarappError

DATA = Path(__file__).resolve().parent.parent / "data" / "sit185"


def sample(name: str) -> str:
    return (DATA / name).read_bytes().decode("utf-8")


def load(name: str) -> Sit185Alert:
    return parse(sample(name))


def dm(deg: int, minutes: float, sec: float = 0.0) -> float:
    return deg + minutes / 60 + sec / 3600


def test_initial_alert_with_doppler_a_and_b() -> None:
    alert = load("initial_doppler.txt")
    assert alert.message_type is MessageType.INITIAL
    assert alert.category == "DISTRESS"
    assert alert.hex_id == "A029D65028154D1"
    assert (alert.message_number, alert.mcc, alert.reference) == ("00417", "NMCC", alert.hex_id)
    assert alert.detected_at == datetime(2026, 3, 14, 3, 42, tzinfo=UTC)
    assert alert.detected_by == "SARSAT S13"
    assert alert.frequency_mhz == pytest.approx(406.0371)
    assert (alert.country_code, alert.country_name) == (257, "NORWAY")
    a, b = alert.doppler_a, alert.doppler_b
    assert a is not None and b is not None
    assert (a.lat, a.lon) == pytest.approx((dm(61, 42.3), dm(4, 18.9)))
    assert (b.lat, b.lon) == pytest.approx((dm(59, 5.8), dm(10, 51.2)))
    assert (a.source, a.probability_pct, b.source, b.probability_pct) == (
        "doppler-A",
        72,
        "doppler-B",
        28,
    )
    assert a.time == alert.detected_at
    assert [p.source for p in alert.positions] == ["doppler-A", "doppler-B"]
    assert alert.doa is None and alert.encoded is None and alert.resolved is None
    assert [(p.kind, p.time) for p in alert.next_passes] == [
        ("doppler-A", datetime(2026, 3, 14, 5, 17, tzinfo=UTC)),
        ("doppler-B", datetime(2026, 3, 14, 5, 29, tzinfo=UTC)),
    ]
    assert alert.homing == "121.5 MHZ"
    assert alert.doppler_reliability == "GOOD"
    assert alert.remarks == "" and not alert.test
    assert "MMSI LAST 6 DIGITS 123456" in alert.user_class
    assert alert.raw == sample("initial_doppler.txt")


def test_encoded_position_only_with_its_own_time_and_uncertainty() -> None:
    alert = load("encoded_only.txt")
    assert alert.message_type is MessageType.INITIAL
    enc = alert.encoded
    assert enc is not None and alert.positions == (enc,)
    assert (enc.lat, enc.lon) == pytest.approx((dm(50, 7.25), -dm(5, 31.5)))
    assert enc.time == datetime(2026, 6, 2, 19, 2, tzinfo=UTC)
    assert enc.accuracy_m == pytest.approx(4 * 1852 / 60)  # ±4 seconds of latitude
    assert alert.encoded_source == "INTERNAL DEVICE"
    assert alert.next_passes[0].time is None
    assert "15 MINUTES" in alert.next_passes[0].text


def test_doa_meosar_with_crlf_ftp_header_and_trailer() -> None:
    text = sample("doa_meosar_crlf.txt")
    assert "\r\n" in text
    alert = parse(text)
    assert alert.raw == text
    assert alert.detected_at == datetime(2026, 4, 28, 9, 31, 4, tzinfo=UTC)
    assert (alert.message_number, alert.mcc, alert.reference) == ("00733", "FMCC", "00412")
    doa = alert.doa
    assert doa is not None and doa.source == "doa"
    assert (doa.lat, doa.lon) == pytest.approx((dm(43, 12.3), dm(5, 6.8)))
    assert doa.accuracy_m == pytest.approx(5 * 1852)
    assert doa.altitude_m == 12
    assert alert.homing == "121.5"
    assert alert.hex_id == "9C69570C0CD74D1"


def test_confirmed_position_update_ship_security() -> None:
    alert = load("confirmed_update.txt")
    assert alert.message_type is MessageType.CONFIRMED_UPDATE
    assert alert.category == "SHIP SECURITY"
    assert alert.resolved is not None and alert.resolved.source == "resolved"
    assert (alert.resolved.lat, alert.resolved.lon) == pytest.approx((-dm(12, 44.6), dm(121, 9.3)))
    enc = alert.encoded
    assert enc is not None
    assert (enc.lat, enc.lon) == pytest.approx((-dm(12, 44.52), dm(121, 9.18)))
    assert enc.time == alert.detected_at
    assert enc.time_note == "WITHIN 4 HOURS OF DETECTION TIME"
    assert alert.doppler_b is None
    assert alert.homing == "OTHER (NOT 121.5 MHZ) OR NIL"
    assert alert.remarks.splitlines()[0] == "THIS IS A SHIP SECURITY ALERT."


def test_resolved_alert_with_registry_data() -> None:
    alert = load("resolved_registry.txt")
    assert alert.message_type is MessageType.RESOLVED
    assert [p.source for p in alert.positions] == ["doa", "encoded"]
    assert alert.encoded is not None
    # TIME SINCE ENCODED LOCATION 3 MINUTES before the 17:45:10 detection
    assert alert.encoded.time == datetime(2026, 1, 21, 17, 42, 10, tzinfo=UTC)
    reg = alert.registry
    assert reg.vessel_name == "MARY ELLEN II"
    assert reg.call_sign == "WDK4821"
    assert reg.mmsi == "367123450"
    assert reg.owner == "NORTH SHOAL FISHERIES LLC"
    assert reg.emergency_contact == "J. PORTER"
    assert reg.emergency_phone == "+1 508 555 0142"


def test_test_message_is_flagged() -> None:
    alert = load("test_message.txt")
    assert alert.test
    assert alert.doa is not None and alert.doa.accuracy_m == pytest.approx(10 * 1852)
    assert not load("initial_doppler.txt").test


def test_nocr_and_close_out() -> None:
    nocr = load("nocr.txt")
    assert nocr.message_type is MessageType.NOCR
    assert (nocr.country_code, nocr.country_name) == (224, "SPAIN")
    assert nocr.doppler_a is not None and nocr.doppler_a.lon == pytest.approx(-dm(23, 30.8))
    close = load("close_out.txt")
    assert close.message_type is MessageType.CLOSE_OUT
    assert close.hex_id == "A029D65028154D1"
    assert close.frequency_mhz is None and close.user_class == ""
    assert close.remarks.startswith("ALERT CLOSED BY RCC NORTH")


def test_unnumbered_lower_case_with_seconds_and_wrapped_fields() -> None:
    alert = load("unnumbered_lowercase.txt")
    assert alert.message_type is MessageType.UNRESOLVED
    assert alert.hex_id == "1A65E240C0FFBFF"
    assert (alert.message_number, alert.mcc) == ("00671", "ITMCC")
    a, b = alert.doppler_a, alert.doppler_b
    assert a is not None and b is not None
    assert (a.lat, a.lon) == pytest.approx((dm(39, 12, 18), dm(17, 41, 40)))
    assert a.probability_pct == 51  # "prob 51" / "percent" wrapped onto the next line
    assert (b.lat, b.lon) == pytest.approx((dm(37, 55, 2), dm(15, 2, 11)))
    # next pass time wrapped in the middle
    assert alert.next_passes[1].time == datetime(2026, 11, 5, 13, 11, tzinfo=UTC)
    assert alert.registry.vessel_name == "SEEADLER"
    assert alert.registry.call_sign == "DABC7"
    assert alert.registry.emergency_phone == "+49 421 555 0199"


def test_decimal_degrees_degree_signs_en_dashes() -> None:
    alert = load("conflict_decimal_crlf.txt")
    assert alert.message_type is MessageType.UNRESOLVED
    a = alert.doppler_a
    assert a is not None and (a.lat, a.lon) == pytest.approx((-12.812, 121.205))
    enc = alert.encoded
    assert enc is not None and (enc.lat, enc.lon) == pytest.approx((-dm(12, 44.52), dm(121, 9.18)))
    assert (alert.country_code, alert.country_name) == (503, "AUSTRALIA")
    assert alert.doppler_reliability == "SUSPECT"


def test_address_header_naming_cospas_sarsat_is_not_the_title() -> None:
    text = "FROM: FMCC COSPAS-SARSAT TOULOUSE\nTO: MRCC ETEL\n" + sample("nocr.txt")
    alert = parse(text)
    assert alert.message_type is MessageType.NOCR
    assert alert.title.startswith("DISTRESS COSPAS-SARSAT NOTIFICATION")


def test_country_name_filled_from_mid_table_when_missing() -> None:
    text = sample("initial_doppler.txt").replace("257/ NORWAY", "257")
    alert = parse(text)
    assert alert.country_code == 257 and "Norway" in alert.country_name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty text"),
        ("   \n\n  ", "empty text"),
        (
            "From: ops@example.org\nSubject: lunch\n\nSee you at noon.\n",
            "not a SIT 185",
        ),
        ("1. DISTRESS COSPAS-SARSAT INITIAL ALERT\n2. MSG NO 00001 XXMCC\n", "no beacon HEX ID"),
    ],
)
def test_refuses_what_is_not_a_sit185(text: str, message: str) -> None:
    with pytest.raises(Sit185Error, match=message):
        parse(text)


def test_bad_latitude_names_line_and_text() -> None:
    text = sample("initial_doppler.txt").replace("61 42.3 N 004 18.9 E", "43 12.3X 005 06.8E")
    with pytest.raises(Sit185Error, match=r'^line 11: position "43 12.3X" is not a latitude$'):
        parse(text)


def test_bad_longitude_and_out_of_range_values() -> None:
    base = sample("initial_doppler.txt")
    with pytest.raises(Sit185Error, match=r'line 12: position "010 51.2Q" is not a longitude'):
        parse(base.replace("010 51.2 E", "010 51.2Q"))
    with pytest.raises(Sit185Error, match=r"line 11: latitude .* beyond 90"):
        parse(base.replace("61 42.3 N", "91 42.3 N"))
    with pytest.raises(Sit185Error, match=r"line 11: latitude .* minutes or seconds of 60"):
        parse(base.replace("61 42.3 N", "61 62.3 N"))
    with pytest.raises(Sit185Error, match=r"line 11: probability 172 percent"):
        parse(base.replace("PROB 72", "PROB 172"))


def test_impossible_detection_time() -> None:
    base = sample("initial_doppler.txt")
    with pytest.raises(Sit185Error, match=r'line 3: time "31 FEB 26 0342 UTC" is impossible'):
        parse(base.replace("14 MAR 26 0342", "31 FEB 26 0342"))
    with pytest.raises(Sit185Error, match=r"line 3: time .* is impossible"):
        parse(base.replace("14 MAR 26 0342", "14 MAR 26 2561"))
    with pytest.raises(Sit185Error, match=r"line 3: detection time has no month"):
        parse(base.replace("14 MAR 26", "14 XYZ 26"))
    with pytest.raises(Sit185Error, match=r"line 3: detection time .* not understood"):
        parse(base.replace("14 MAR 26 0342 UTC", "YESTERDAY"))


def test_bad_hex_id_length() -> None:
    text = sample("initial_doppler.txt").replace("HEX ID A029D65028154D1", "HEX ID A029D650")
    with pytest.raises(Sit185Error, match=r'line 19: HEX ID "A029D650" has 8 characters'):
        parse(text)


def test_error_is_a_sarapp_error_and_value_error() -> None:
    assert issubclass(Sit185Error, SarappError) and issubclass(Sit185Error, ValueError)


def test_layout_variants_give_the_same_result() -> None:
    base = sample("initial_doppler.txt")
    reference = parse(base)
    unnumbered = "\n".join(
        line.split(". ", 1)[-1] if line[:1].isdigit() else line for line in base.splitlines()
    )
    variants = [
        base.replace("\n", "\r\n"),
        base.lower(),
        "\n\n".join(base.splitlines()),  # blank line after every line
        base.replace("PROB 72 PERCENT", "PROB 72\nPERCENT"),  # wrapped value
        unnumbered,
    ]
    for text in variants:
        alert = parse(text)
        assert alert.raw == text
        assert alert.positions == reference.positions
        assert alert.hex_id == reference.hex_id
        assert alert.detected_at == reference.detected_at
        assert alert.next_passes == reference.next_passes


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_random_text_never_crashes(text: str) -> None:
    try:
        alert = parse(text)
    except Sit185Error as exc:
        assert str(exc)
    else:
        assert alert.raw == text and len(alert.hex_id) in (15, 23)


_PIECES = [
    "1. DISTRESS COSPAS-SARSAT INITIAL ALERT",
    "MSG NO 0001 XMCC REF 1",
    "DETECTED AT ",
    "HEX ID ",
    "POSITIONS",
    "DOPPLER A - ",
    "DOA - ",
    "ENCODED - ",
    "PROB ",
    "NEXT PASS",
    "REMARKS",
    "12 34.5 N",
    "123 45.6 W",
    "31 FEB 26 2460",
    "A029D65028154D1",
    "\n",
    " ",
    "-",
    "NIL",
    "90",
    "60",
    ".",
    "EXPECTED ACCURACY 3 NMS",
    "MMSI: ",
    "VESSEL NAME: X",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=5), max_size=40))
def test_random_sit185_like_text_parses_or_raises(pieces: list[str]) -> None:
    try:
        alert = parse("".join(pieces))
    except Sit185Error as exc:
        assert str(exc)
    else:
        for position in alert.positions:
            assert -90 <= position.lat <= 90 and -180 <= position.lon <= 180


def test_full_hex_message_line_and_numbers_without_space() -> None:
    text = (
        sample("initial_doppler.txt")
        .replace(
            "11. HEX ID A029D65028154D1 HOMING SIGNAL 121.5 MHZ",
            "11.HEX ID A029D65028154D1\n30-HEX MSG D0129D650281569E0B3C8B2F49E03\n"
            "HOMING SIGNAL 121.5",
        )
        .replace("8. POSITIONS", "8.POSITIONS")
    )
    alert = parse(text)
    assert alert.hex_id == "A029D65028154D1"
    assert alert.beacon_message_hex == "D0129D650281569E0B3C8B2F49E03"
    assert alert.homing == "121.5"
    assert alert.doppler_a is not None and alert.doppler_a.probability_pct == 72


_SAMPLES = sorted(DATA.glob("*.txt"))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(_SAMPLES),
    st.integers(0, 2000),
    st.integers(0, 30),
    st.text(max_size=8),
)
def test_damaged_samples_parse_or_raise(path: Path, at: int, cut: int, insert: str) -> None:
    text = path.read_bytes().decode("utf-8")
    damaged = text[:at] + insert + text[at + cut :]
    try:
        alert = parse(damaged)
    except Sit185Error as exc:
        assert str(exc)
    else:
        assert alert.raw == damaged
