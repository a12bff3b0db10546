import math
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sarapp.errors import SarappError
from sarapp.geo import (
    KNOT,
    NM,
    GeoError,
    bearing_deg,
    destination,
    distance_m,
    format_compact_ddm,
    format_dd,
    format_ddm,
    format_dms,
    format_dtg,
    format_lat_ddm,
    format_lon_ddm,
    inverse,
    parse_dtg,
    parse_latitude,
    parse_longitude,
    parse_position,
)

DDM_LAT = 43 + 12.345 / 60
DDM_LON = 5 + 6.789 / 60
DMS_LAT = 43 + 12 / 60 + 20.7 / 3600

# --- parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("43.2058", 43.2058),
        ("-43.2058", -43.2058),
        ("+43.2058", 43.2058),
        ("43.2058N", 43.2058),
        ("43.2058 n", 43.2058),
        ("S 43.2058", -43.2058),
        ("43.2058°S", -43.2058),
        ("43°12.345'N", DDM_LAT),
        ("43°12.345′N", DDM_LAT),
        ("43º 12.345' N", DDM_LAT),
        ("43 12.345 N", DDM_LAT),
        ("43 12.345N", DDM_LAT),
        ("43-12.345N", DDM_LAT),
        ("N43 12.345", DDM_LAT),
        ("-43 12.345", -DDM_LAT),
        ("4312.345N", DDM_LAT),
        ("4312.345S", -DDM_LAT),
        ("43°12'20.7\"N", DMS_LAT),
        ("43°12′20.7″N", DMS_LAT),
        ("43°12'20.7''N", DMS_LAT),
        ("43 12 20.7 N", DMS_LAT),
        ("431220N", 43 + 12 / 60 + 20 / 3600),
        ("431220.7N", DMS_LAT),
        ("0912.3N", 9 + 12.3 / 60),
        ("90°00.000'S", -90.0),
        ("0", 0.0),
    ],
)
def test_parse_latitude_formats(text, expected):
    assert parse_latitude(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.1131", 5.1131),
        ("-5.1131", -5.1131),
        ("5.1131E", 5.1131),
        ("W 5.1131", -5.1131),
        ("123.456E", 123.456),  # three integer digits within range stay decimal degrees
        ("005°06.789'E", DDM_LON),
        ("005 06.789 W", -DDM_LON),
        ("00506.789E", DDM_LON),
        ("506.789E", DDM_LON),
        ("5106.789E", 51 + 6.789 / 60),
        ("17959.999W", -(179 + 59.999 / 60)),
        ("0050647E", 5 + 6 / 60 + 47 / 3600),
        ("005°06'47.3\"E", 5 + 6 / 60 + 47.3 / 3600),
        ("180W", -180.0),
    ],
)
def test_parse_longitude_formats(text, expected):
    assert parse_longitude(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("43°12.345'N 005°06.789'E", (DDM_LAT, DDM_LON)),
        ("43°12.345'N, 005°06.789'E", (DDM_LAT, DDM_LON)),
        ("4312.345N 00506.789E", (DDM_LAT, DDM_LON)),
        ("4312.345N00506.789E", (DDM_LAT, DDM_LON)),
        ("4312.345S/00506.789W", (-DDM_LAT, -DDM_LON)),
        ("43 12.345 N 005 06.789 E", (DDM_LAT, DDM_LON)),  # SIT 185 style
        ("N 43 12.345 W 005 06.789", (DDM_LAT, -DDM_LON)),
        ("43.2058, 5.1131", (43.2058, 5.1131)),
        ("43.2058,5.1131", (43.2058, 5.1131)),
        ("-43.2058 -5.1131", (-43.2058, -5.1131)),
        ("43° 5°", (43.0, 5.0)),
        ("N43.2 5.1E", (43.2, 5.1)),
        ("43.2058N 5.1131W", (43.2058, -5.1131)),
        ("43°12'20.7\"N 005°06'47.3\"E", (DMS_LAT, 5 + 6 / 60 + 47.3 / 3600)),
    ],
)
def test_parse_position_formats(text, expected):
    lat, lon = parse_position(text)
    assert lat == pytest.approx(expected[0], abs=1e-12)
    assert lon == pytest.approx(expected[1], abs=1e-12)


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("91°00.000'N", 'latitude "91°00.000\'N": degrees must be at most 90'),
        ("91", "degrees must be at most 90"),
        ("9100.000N", "degrees must be at most 90"),
        ("912.3N", "degrees must be at most 90"),
        ("90°00.5'N", "must be at most 90°"),
        ("43°60.000'N", "minutes must be less than 60"),
        ("4360.000N", "minutes must be less than 60"),
        ("43 12 60 N", "seconds must be less than 60"),
        ("43°12'60.0\"N", "seconds must be less than 60"),
        ("-43.2N", "minus sign contradicts hemisphere N"),
        ("+43.2S", "plus sign contradicts hemisphere S"),
        ("-43.2S", "either a minus sign or hemisphere S"),
        ("N 43.2 S", "two hemisphere letters"),
        ("43.2E", "hemisphere E belongs to a longitude"),
        ("43.2X", 'unexpected character "X"'),
        ("4#3.2N", 'unexpected character "#"'),
        ("43,2N", 'unexpected character ","'),
        ("", "latitude: empty"),
        ("   ", "latitude: empty"),
        ("N", "no number"),
        ("43.5 12", "degrees must be whole when minutes follow"),
        ("43 12.5 20", "minutes must be whole when seconds follow"),
        ("43 12 20 5", "too many numbers"),
        ("43'12", "wrong unit symbol"),
        ("43 12°", "wrong unit symbol"),
    ],
)
def test_latitude_errors_name_the_fault(text, fault):
    with pytest.raises(GeoError, match=re.escape(fault)):
        parse_latitude(text)


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("181", "degrees must be at most 180"),
        ("181.5E", "degrees must be at most 180"),
        ("18100.000E", "degrees must be at most 180"),
        ("180°00.1'E", "must be at most 180°"),
        ("005°60.0'E", "minutes must be less than 60"),
        ("5.1N", "hemisphere N belongs to a latitude"),
        ("S 5.1", "hemisphere S belongs to a latitude"),
        ("-5.1E", "minus sign contradicts hemisphere E"),
        ("5.1Q", 'unexpected character "Q"'),
        ("", "longitude: empty"),
    ],
)
def test_longitude_errors_name_the_fault(text, fault):
    with pytest.raises(GeoError, match=re.escape(fault)):
        parse_longitude(text)


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("", "position: empty"),
        ("43.2N", "needs a latitude and a longitude"),
        ("43 12.345 005 06.789", "cannot tell where the latitude ends"),
        ("43 12.345", "cannot tell where the latitude ends"),  # one latitude, not lat and lon
        ("43 5", "cannot tell where the latitude ends"),
        ("1, 2, 3", 'more than one ","'),
        ("91N 5E", 'latitude "91N": degrees must be at most 90'),
        ("43N 181E", 'longitude "181E": degrees must be at most 180'),
        ("43.2, 5.1N", "hemisphere N belongs to a latitude"),
    ],
)
def test_position_errors_name_the_fault(text, fault):
    with pytest.raises(GeoError, match=re.escape(fault)):
        parse_position(text)


def test_geo_error_is_a_sarapp_value_error():
    assert issubclass(GeoError, SarappError)
    assert issubclass(GeoError, ValueError)


COORDINATE_CHARACTERS = "0123456789.-+ °'\"NSEWnsewXº′″,/\t"


@given(st.text(max_size=30) | st.text(COORDINATE_CHARACTERS, max_size=30))
def test_parsers_fail_only_with_geo_error(text):
    for parse, axes in ((parse_latitude, 1), (parse_longitude, 1), (parse_position, 2)):
        try:
            result = parse(text)
        except GeoError:
            continue
        values = (result,) if axes == 1 else result
        assert all(math.isfinite(v) for v in values)
        if axes == 2:
            assert abs(result[0]) <= 90 and abs(result[1]) <= 180


# --- formatting ------------------------------------------------------------------------------


def test_format_examples():
    assert format_lat_ddm(DDM_LAT) == "43°12.345'N"
    assert format_lon_ddm(DDM_LON) == "005°06.789'E"
    assert format_lon_ddm(-DDM_LON, decimals=1) == "005°06.8'W"
    assert format_ddm(DDM_LAT, DDM_LON) == "43°12.345'N 005°06.789'E"
    assert format_ddm(-DDM_LAT, -DDM_LON) == "43°12.345'S 005°06.789'W"
    assert format_compact_ddm(DDM_LAT, DDM_LON) == "4312.345N 00506.789E"
    assert format_compact_ddm(-9.5, -123.25, decimals=1) == "0930.0S 12315.0W"
    assert format_dms(DMS_LAT, -(5 + 6 / 60 + 47.3 / 3600)) == "43°12'20.7\"N 005°06'47.3\"W"
    assert format_dd(43.2058, -5.1131) == "43.20580, -5.11310"
    assert format_ddm(12.5, 100.25, decimals=0) == "12°30'N 100°15'E"


def test_rounding_carries_into_degrees():
    assert format_lat_ddm(43.9999999) == "44°00.000'N"
    assert format_lon_ddm(-179.9999999) == "180°00.000'W"
    assert format_dms(33.99999999, 0.0) == "34°00'00.0\"N 000°00'00.0\"E"
    assert format_compact_ddm(0.0, 59.99999999) == "0000.000N 06000.000E"


def test_zero_has_no_southern_or_western_sign():
    assert format_ddm(-1e-9, -1e-9) == "00°00.000'N 000°00.000'E"
    assert format_dd(-1e-9, -1e-9) == "0.00000, 0.00000"


@pytest.mark.parametrize(
    ("call", "fault"),
    [
        (lambda: format_lat_ddm(90.1), "outside ±90°"),
        (lambda: format_lon_ddm(180.5), "outside ±180°"),
        (lambda: format_dd(math.nan, 0), "latitude nan"),
    ],
)
def test_format_refuses_impossible_values(call, fault):
    with pytest.raises(GeoError, match=re.escape(fault)):
        call()


lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)
decimals = st.integers(0, 6)


@given(lats, lons, decimals)
def test_ddm_round_trip(lat, lon, d):
    tolerance = 0.5 * 10**-d / 60 + 1e-9
    for text in (format_ddm(lat, lon, d), format_compact_ddm(lat, lon, d)):
        lat2, lon2 = parse_position(text)
        assert abs(lat2 - lat) <= tolerance
        assert abs(lon2 - lon) <= tolerance
        assert not re.search(r"(?<![\d.])60(?:\.\d*)?'", text)  # never 60 minutes


@given(lats, lons, decimals)
def test_dms_round_trip(lat, lon, d):
    text = format_dms(lat, lon, d)
    lat2, lon2 = parse_position(text)
    tolerance = 0.5 * 10**-d / 3600 + 1e-9
    assert abs(lat2 - lat) <= tolerance
    assert abs(lon2 - lon) <= tolerance
    assert not re.search(r"'60(?:\.\d*)?\"", text)  # never 60 seconds


@given(lats, lons, st.integers(0, 8))
def test_dd_round_trip(lat, lon, d):
    lat2, lon2 = parse_position(format_dd(lat, lon, d))
    assert abs(lat2 - lat) <= 0.5 * 10**-d + 1e-12
    assert abs(lon2 - lon) <= 0.5 * 10**-d + 1e-12


@given(lats, decimals)
def test_single_axis_round_trip(lat, d):
    assert abs(parse_latitude(format_lat_ddm(lat, d)) - lat) <= 0.5 * 10**-d / 60 + 1e-9
    assert abs(parse_longitude(format_lon_ddm(2 * lat, d)) - 2 * lat) <= 0.5 * 10**-d / 60 + 1e-9


# --- DTG -------------------------------------------------------------------------------------

REF = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)
NOV26 = datetime(2026, 11, 26, 14, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("261430Z NOV 26", NOV26),
        ("261430ZNOV26", NOV26),
        ("261430Z NOV 2026", NOV26),
        ("261430z nov 26", NOV26),
        ("261430Z", NOV26),
        ("261430Z NOV", NOV26),
        ("261430UTC NOV26", NOV26),
        ("291430Z", datetime(2026, 11, 29, 14, 30, tzinfo=UTC)),  # tomorrow: within a day
        ("301430Z", datetime(2026, 10, 30, 14, 30, tzinfo=UTC)),  # beyond a day: last month
        ("311200Z", datetime(2026, 10, 31, 12, 0, tzinfo=UTC)),
        ("011200Z DEC", datetime(2025, 12, 1, 12, 0, tzinfo=UTC)),
        ("271235UTC NOV26", datetime(2026, 11, 27, 12, 35, tzinfo=UTC)),  # IAMSAR's form
        ("2026-11-26T14:30:00Z", NOV26),
        ("2026-11-26T15:30:00+01:00", NOV26),
        ("2026-11-26 14:30", NOV26),  # naive ISO is taken as UTC
    ],
)
def test_parse_dtg(text, expected):
    result = parse_dtg(text, reference=REF)
    assert result == expected
    assert result.tzinfo is UTC


def test_iamsar_example_reads_in_its_own_year():
    """IAMSAR's ``271235UTC NOV98``: a two-digit year is this year or last year of the
    reference (tests/security/test_bad_times.py has the refusals)."""
    reference = datetime(1998, 12, 1, tzinfo=UTC)
    assert parse_dtg("271235UTC NOV98", reference=reference) == datetime(
        1998, 11, 27, 12, 35, tzinfo=UTC
    )


def test_day_only_dtg_skips_months_without_that_day():
    reference = datetime(2026, 3, 5, tzinfo=UTC)
    assert parse_dtg("310000Z", reference=reference) == datetime(2026, 1, 31, tzinfo=UTC)
    assert parse_dtg("290000Z FEB", reference=reference) == datetime(2024, 2, 29, tzinfo=UTC)


def test_dtg_reference_defaults_to_now():
    now = datetime.now(UTC)
    result = parse_dtg(format_dtg(now))
    assert timedelta(0) <= now - result < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("321430Z NOV 26", "day 32 does not exist"),
        ("001430Z NOV 26", "day 00 does not exist"),
        ("262430Z NOV 26", "hour 24 does not exist"),
        ("261460Z NOV 26", "minute 60 does not exist"),
        ("261430Z NVO 26", 'unknown month "NVO"'),
        ("311430Z NOV 26", "day 31 does not exist in NOV 2026"),
        ("291430Z FEB 2025", "day 29 does not exist in FEB 2025"),
        ("261430A NOV 26", 'time zone "A": only Z (UTC)'),
        ("26 NOV", "not a DTG"),
        ("261430Z NOV 0000", "year 0000 does not exist"),
        ("", "DTG: empty"),
    ],
)
def test_dtg_errors_name_the_fault(text, fault):
    with pytest.raises(GeoError, match=re.escape(fault)):
        parse_dtg(text, reference=REF)


def test_format_dtg():
    assert format_dtg(NOV26) == "261430Z NOV 26"
    assert format_dtg(datetime(2026, 11, 26, 15, 30, 59, tzinfo=timezone(timedelta(hours=1)))) == (
        "261430Z NOV 26"
    )
    assert format_dtg(datetime(2027, 1, 1, 0, 5, tzinfo=UTC)) == "010005Z JAN 27"


def test_naive_datetimes_are_refused():
    with pytest.raises(GeoError, match="naive"):
        format_dtg(datetime(2026, 11, 26, 14, 30))
    with pytest.raises(GeoError, match="timezone-aware"):
        parse_dtg("261430Z", reference=datetime(2026, 11, 26))


@given(st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31), timezones=st.just(UTC)))
def test_dtg_round_trip(moment):
    minute = moment.replace(second=0, microsecond=0)
    assert parse_dtg(format_dtg(moment), reference=moment) == minute
    assert parse_dtg(format_dtg(moment).split()[0], reference=moment) == minute


# --- geodesics -------------------------------------------------------------------------------


def test_units():
    assert NM == 1852.0
    assert pytest.approx(10 * NM) == 10 * KNOT * 3600


def test_inverse_karney_published_examples():
    # GeographicLib documentation: Wellington NZ to Salamanca, Spain: 19959679.267 m.
    distance, bearing = inverse(-41.32, 174.81, 40.96, -5.50)
    assert distance == pytest.approx(19959679.267, abs=1e-3)
    assert bearing == pytest.approx(161.067669986, abs=1e-6)
    # GeographicLib Rust README: Berkeley to Port Moresby, azimuth -96.916... = 263.083...
    distance, bearing = inverse(37.87622, -122.23558, -9.4047, 147.1597)
    assert distance == pytest.approx(10700471.955, abs=1e-3)
    assert bearing == pytest.approx(360 - 96.91639942295, abs=1e-8)


def test_inverse_vincenty_flinders_peak_to_buninyong():
    # Geoscience Australia's Vincenty example (GRS80, which differs from WGS84 by < 1 mm here):
    # 54 972.271 m, forward azimuth 306°52'05.37".
    flinders = parse_position("37°57'03.72030\"S 144°25'29.52440\"E")
    buninyong = parse_position("37°39'10.15610\"S 143°55'35.38390\"E")
    distance, bearing = inverse(*flinders, *buninyong)
    assert distance == pytest.approx(54972.271, abs=1e-3)
    assert bearing == pytest.approx(306 + 52 / 60 + 5.37 / 3600, abs=0.01 / 3600)


def test_inverse_hand_checked_values():
    # One degree along the equator is a·π/180 with a = 6 378 137 m.
    assert distance_m(0, 0, 0, 1) == pytest.approx(6378137 * math.pi / 180, abs=1e-6)
    assert bearing_deg(0, 0, 0, 1) == pytest.approx(90.0)
    assert bearing_deg(0, 1, 0, 0) == pytest.approx(270.0)
    # WGS84 quarter meridian: 10 001 965.729 m.
    assert distance_m(0, 0, 90, 0) == pytest.approx(10001965.729, abs=1e-3)
    assert bearing_deg(10, 0, 0, 0) == pytest.approx(180.0)
    assert distance_m(43.2, 5.1, 43.2, 5.1) == 0.0


def test_destination_karney_published_example():
    # GeographicLib documentation: 20 000 km south-west of Perth is (32.11195529, -63.95925278).
    lat, lon = destination(-32.06, 115.74, bearing_deg=225, distance_m=20000e3)
    assert lat == pytest.approx(32.11195529, abs=1e-8)
    assert lon == pytest.approx(-63.95925278, abs=1e-8)


def test_destination_normalises_longitude_across_the_antimeridian():
    lat, lon = destination(0, 179.5, bearing_deg=90, distance_m=111319.49079327357)
    assert lat == pytest.approx(0.0, abs=1e-9)
    assert lon == pytest.approx(-179.5, abs=1e-9)


def test_geodesic_inputs_are_checked():
    with pytest.raises(GeoError, match="latitude 91"):
        distance_m(91, 0, 0, 0)
    with pytest.raises(GeoError, match="longitude nan"):
        inverse(0, math.nan, 0, 0)
    with pytest.raises(GeoError, match="bearing"):
        destination(0, 0, bearing_deg=math.inf, distance_m=1)


@given(
    st.floats(-80, 80),
    lons,
    st.floats(0, 359.999),
    st.floats(1, 2_000_000),
)
def test_destination_and_inverse_agree(lat, lon, bearing, distance):
    lat2, lon2 = destination(lat, lon, bearing_deg=bearing, distance_m=distance)
    assert -180 <= lon2 <= 180
    back_distance, back_bearing = inverse(lat, lon, lat2, lon2)
    assert back_distance == pytest.approx(distance, rel=1e-9, abs=1e-6)
    assert min(abs(back_bearing - bearing), 360 - abs(back_bearing - bearing)) < 1e-6
