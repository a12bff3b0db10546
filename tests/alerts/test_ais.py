"""AIS intake, on sentences we encode ourselves with pyais's encoder (so the truth is known)."""

from __future__ import annotations

import functools
import operator
import socket
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyais import encode_dict

from sarapp.alerts.ais import (
    MS_PER_KNOT,
    AisDistress,
    AisError,
    AisPosition,
    AisSentenceError,
    AisStatic,
    AisStats,
    iter_ais,
    open_feed,
    read_ais_file,
    report_time,
)
from sarapp.alerts.ais_feed import parse_address
from sarapp.identity import MmsiKind

DATA = Path(__file__).resolve().parent.parent / "data" / "ais"
T0 = datetime(2026, 5, 4, 10, 20, 30, tzinfo=UTC)


def tag(sentence: str, when: datetime) -> str:
    """Prefix an NMEA tag block with receive time ``c:`` (unix seconds) and a valid checksum."""
    body = f"s:test,c:{int(when.timestamp())}"
    checksum = functools.reduce(operator.xor, body.encode(), 0)
    return f"\\{body}*{checksum:02X}\\{sentence}"


def one(data: dict, **kw: object) -> str:
    (sentence,) = encode_dict(data, **kw)
    return sentence


def corrupt_checksum(sentence: str) -> str:
    head, checksum = sentence.rsplit("*", 1)
    return f"{head}*{int(checksum, 16) ^ 0x5A:02X}"


def events(lines: list[str], **kw: object) -> tuple[list, AisStats]:
    stats = AisStats()
    return list(iter_ais(lines, stats=stats, **kw)), stats  # type: ignore[arg-type]


def test_class_a_position_with_tag_block_time() -> None:
    data = {
        "type": 1,
        "mmsi": 366053209,
        "lat": 37.802118,
        "lon": -122.341618,
        "speed": 12.3,
        "course": 219.3,
        "heading": 1,
        "second": 25,
        "status": 3,
    }
    (event,), stats = events([tag(one(data), T0)])
    assert isinstance(event, AisPosition)
    assert event.mmsi == 366053209 and event.msg_type == 1 and event.line == 1
    assert (event.lat, event.lon) == pytest.approx((37.802118, -122.341618), abs=1e-6)
    assert event.sog_ms == pytest.approx(12.3 * MS_PER_KNOT)
    assert (event.cog_deg, event.heading_deg, event.nav_status) == (pytest.approx(219.3), 1, 3)
    assert event.time == datetime(2026, 5, 4, 10, 20, 25, tzinfo=UTC)
    assert (stats.sentences, stats.decoded, stats.positions, stats.errors) == (1, 1, 1, 0)


def test_class_b_and_not_available_values() -> None:
    b = {
        "type": 18,
        "mmsi": 367430530,
        "lat": 37.785035,
        "lon": -122.26732,
        "speed": 102.3,
        "course": 360,
        "heading": 511,
        "second": 60,
    }
    (event,), _ = events([one(b)], clock=lambda: T0)
    assert isinstance(event, AisPosition) and event.msg_type == 18
    assert (event.sog_ms, event.cog_deg, event.heading_deg) == (None, None, None)
    assert event.time == T0  # second 60 = not available: the receive time stands
    no_position = {"type": 18, "mmsi": 367430530, "lat": 91, "lon": 181}
    result, stats = events([one(no_position)])
    assert result == [] and stats.ignored == 1


def test_sar_aircraft_message_9_with_altitude_and_whole_knots() -> None:
    data = {
        "type": 9,
        "mmsi": 111232511,
        "alt": 303,
        "speed": 42,
        "lat": 58.144,
        "lon": -6.27884,
        "course": 154.5,
        "second": 15,
    }
    (event,), _ = events([one(data)], clock=lambda: T0)
    assert isinstance(event, AisPosition) and event.is_sar_aircraft
    assert event.altitude_m == 303
    assert event.sog_ms == pytest.approx(42 * MS_PER_KNOT)
    assert (event.lat, event.lon) == pytest.approx((58.144, -6.27884), abs=1e-5)
    # second 15 is later than the receive time's 30? no: 15 < 30, same minute
    assert event.time == datetime(2026, 5, 4, 10, 20, 15, tzinfo=UTC)


def test_report_time_rolls_back_a_minute_when_the_second_is_ahead() -> None:
    assert report_time(T0, 50) == datetime(2026, 5, 4, 10, 19, 50, tzinfo=UTC)
    assert report_time(T0, 33) == datetime(2026, 5, 4, 10, 20, 33, tzinfo=UTC)  # skew
    assert report_time(T0, 61) == T0
    assert report_time(None, 10) is None


def test_multipart_type5_assembled_across_interleaved_sentences() -> None:
    static = {
        "type": 5,
        "mmsi": 257123456,
        "shipname": "NORDKAPP FISKER",
        "callsign": "LA2B3",
        "imo": 9074729,
        "ship_type": 30,
        "destination": "BODO",
    }
    first, second = encode_dict(static, seq_id=3, radio_channel="A")
    other = encode_dict(
        {**static, "mmsi": 257999999, "shipname": "OTHER"}, seq_id=3, radio_channel="B"
    )
    position = one({"type": 1, "mmsi": 257000001, "lat": 60.0, "lon": 5.0})
    result, stats = events([first, other[0], position, second, other[1]])
    statics = [e for e in result if isinstance(e, AisStatic)]
    assert [(s.mmsi, s.name, s.call_sign, s.imo, s.ship_type, s.line) for s in statics] == [
        (257123456, "NORDKAPP FISKER", "LA2B3", 9074729, 30, 4),
        (257999999, "OTHER", "LA2B3", 9074729, 30, 5),
    ]
    assert stats.sentences == 5 and stats.decoded == 3 and stats.errors == 0


def test_type24_parts_a_and_b() -> None:
    part_a = one({"type": 24, "mmsi": 235000111, "partno": 0, "shipname": "SEA SPRITE"})
    part_b = one({"type": 24, "mmsi": 235000111, "partno": 1, "callsign": "2ABC4", "ship_type": 37})
    (a, b), _ = events([part_a, part_b])
    assert (a.name, a.call_sign, a.ship_type) == ("SEA SPRITE", "", None)
    assert (b.name, b.call_sign, b.ship_type) == ("", "2ABC4", 37)


@pytest.mark.parametrize(
    ("mmsi", "kind"),
    [
        (970012345, MmsiKind.AIS_SART),
        (972012345, MmsiKind.MOB_DEVICE),
        (974012345, MmsiKind.EPIRB_AIS),
    ],
)
def test_distress_devices_active_and_test(mmsi: int, kind: MmsiKind) -> None:
    active = one({"type": 1, "mmsi": mmsi, "status": 14, "lat": 43.2, "lon": 5.1, "second": 5})
    test = one({"type": 1, "mmsi": mmsi, "status": 15, "lat": 43.2, "lon": 5.1, "second": 5})
    text = one({"type": 14, "mmsi": mmsi, "text": "SART ACTIVE"})
    result, stats = events([active, test, text], clock=lambda: T0)
    assert all(isinstance(e, AisDistress) and e.device is kind for e in result)
    a, t, x = result
    assert (a.lat, a.lon, a.test, a.time) == (
        pytest.approx(43.2),
        pytest.approx(5.1),
        False,
        datetime(2026, 5, 4, 10, 20, 5, tzinfo=UTC),
    )
    assert t.test and not x.test
    assert (x.text, x.lat, x.msg_type) == ("SART ACTIVE", None, 14)
    assert stats.alerts == 3
    static = one({"type": 24, "mmsi": mmsi, "partno": 0, "shipname": "SART"})
    assert events([static])[0] == []  # identity of a device is no alert


def test_bad_sentences_are_reported_with_line_numbers_and_never_stop_the_stream() -> None:
    good = one({"type": 1, "mmsi": 232001000, "lat": 50.1, "lon": -5.5})
    static = encode_dict({"type": 5, "mmsi": 232001000, "shipname": "X"}, seq_id=7)
    aid = one({"type": 21, "mmsi": 992320001, "lat": 50.0, "lon": -5.0, "name": "BUOY"})
    lines = [
        good,
        corrupt_checksum(good),
        "hello world",
        "",
        "!AIVDM,1,1,,A,,0*26",
        static[1],  # fragment 2 without fragment 1
        "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
        "!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,9*00",
        aid,
        "\xff\xfe garbage \x00",
        good,
    ]
    result, stats = events(lines)
    errors = [e for e in result if isinstance(e, AisSentenceError)]
    assert [e.line for e in errors] == [2, 3, 5, 6, 7, 8, 10]
    assert "checksum" in errors[0].reason
    assert "fragment 2 of 2" in errors[3].reason
    assert [e.line for e in result if isinstance(e, AisPosition)] == [1, 11]
    assert (stats.sentences, stats.decoded, stats.errors, stats.ignored) == (10, 3, 7, 1)


def test_read_ais_file_streams_the_same_events(tmp_path: Path) -> None:
    lines = [
        tag(
            one({"type": 1, "mmsi": 200000000 + i, "lat": i / 10, "lon": -i / 10, "second": 10}), T0
        )
        for i in range(50)
    ]
    lines.insert(10, "corrupted line")
    path = tmp_path / "feed.nmea"
    path.write_text("\r\n".join(lines) + "\r\n")
    stats = AisStats()
    from_file = list(read_ais_file(path, stats=stats))
    assert from_file == list(iter_ais(lines))
    assert (stats.sentences, stats.positions, stats.errors) == (51, 50, 1)


def test_sample_file_in_tests_data() -> None:
    stats = AisStats()
    found = list(read_ais_file(DATA / "sample.nmea", stats=stats))
    kinds = {type(e).__name__ for e in found}
    assert kinds == {"AisPosition", "AisDistress", "AisStatic", "AisSentenceError"}
    assert stats.errors == 2 and stats.alerts == 3
    sart = next(e for e in found if isinstance(e, AisDistress))
    assert sart.device is MmsiKind.AIS_SART and sart.time is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("localhost", "expected host:port"),
        ("host:99999", "out of range"),
        ("http://a:1", "expected host:port"),
        ("tcp://a:0", "out of range"),
        ("udp://a:5", "says udp but tcp"),
        ("tcp://:10110", "a TCP feed needs the host"),
    ],
)
def test_feed_address_validation(text: str, message: str) -> None:
    with pytest.raises(AisError, match=message):
        parse_address(text, protocol="tcp" if text.startswith("udp") else None)


def test_feed_address_forms() -> None:
    assert parse_address("127.0.0.1:10110") == ("127.0.0.1", 10110, "tcp")
    assert parse_address("udp://0.0.0.0:10110") == ("0.0.0.0", 10110, "udp")
    assert parse_address("[::1]:2000", protocol="udp") == ("::1", 2000, "udp")
    assert parse_address("udp://:10110") == ("0.0.0.0", 10110, "udp")  # every interface


def test_tcp_feed_from_a_local_server() -> None:
    lines = [
        one({"type": 1, "mmsi": 970000001, "status": 14, "lat": 10.0, "lon": 20.0}),
        "garbage",
        *encode_dict({"type": 5, "mmsi": 257000002, "shipname": "TCP"}, seq_id=1),
    ]
    payload = ("\r\n".join(lines) + "\r\n").encode()
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            conn.sendall(payload[:25])  # split mid-sentence: lines must be reassembled
            conn.sendall(payload[25:])

    thread = threading.Thread(target=serve)
    thread.start()
    with open_feed(f"127.0.0.1:{port}", idle_timeout_s=5) as feed:
        result = list(feed)
    thread.join()
    server.close()
    assert [type(e).__name__ for e in result] == ["AisDistress", "AisSentenceError", "AisStatic"]
    assert result[0].time is not None  # receive time from the clock
    assert feed.stats.alerts == 1 and feed.stats.errors == 1


def test_udp_feed_receives_datagrams() -> None:
    with open_feed("udp://127.0.0.1:0", idle_timeout_s=1.0) as feed:
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        datagram = "\n".join(
            [one({"type": 18, "mmsi": 232000000 + i, "lat": 50.0, "lon": 1.0}) for i in range(3)]
        )
        sender.sendto(datagram.encode(), feed.address)
        sender.sendto(b"not nmea", feed.address)
        sender.close()
        result = list(feed)
    assert [e.mmsi for e in result if isinstance(e, AisPosition)] == [
        232000000,
        232000001,
        232000002,
    ]
    assert feed.stats.errors == 1


def test_tcp_feed_refused_is_a_clear_error() -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    server.close()
    with pytest.raises(AisError, match="cannot open tcp"):
        open_feed(f"127.0.0.1:{port}")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=80) | st.binary(max_size=80), max_size=20))
def test_random_lines_never_crash(lines: list) -> None:
    stats = AisStats()
    result = list(iter_ais(lines, stats=stats))
    assert stats.errors == sum(isinstance(e, AisSentenceError) for e in result)
    assert stats.sentences >= stats.errors


def _valid_fragments() -> list[str]:
    out = encode_dict({"type": 5, "mmsi": 257123456, "shipname": "A"}, seq_id=1)
    out += [one({"type": 1, "mmsi": 970000001, "status": 14, "lat": 1.0, "lon": 2.0})]
    out += [one({"type": 9, "mmsi": 111257001, "lat": 1.0, "lon": 2.0, "alt": 100})]
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_valid_fragments()) | st.text(max_size=10), max_size=30))
def test_shuffled_fragments_and_noise_never_crash(lines: list[str]) -> None:
    stats = AisStats()
    result = list(iter_ais(lines, stats=stats))
    assert stats.decoded == stats.positions + stats.alerts + stats.statics + stats.ignored
    assert len(result) == stats.decoded - stats.ignored + stats.errors
