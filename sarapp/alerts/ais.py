"""AIS intake: NMEA AIVDM/AIVDO sentences to distress alerts, positions and vessel identities.

``iter_ais(lines)`` streams: it assembles multi-part messages, decodes them with pyais and
yields typed events, one per useful message, and an ``AisError`` (with the line number) for
every sentence it cannot use, so one bad line never stops an import. AIS-SART (970xxxxxx),
man-overboard devices (972xxxxxx) and EPIRB-AIS (974xxxxxx) become ``AisDistress``; position
reports of ships (1/2/3, 18/19) and SAR aircraft (9) become ``AisPosition``; static data (5,
24) becomes ``AisStatic``. Units inside: degrees, metres, metres per second, UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pyais.exceptions import AISBaseException
from pyais.messages import AISSentence, NMEASentenceFactory

from sarapp.errors import SarappError
from sarapp.identity import IdentityError, MmsiKind, mmsi_info
from sarapp.times import check_report_time

if TYPE_CHECKING:
    from sarapp.alerts.ais_feed import AisFeed

MS_PER_KNOT = 1852 / 3600  # one knot is one nautical mile (1852 m, exact) per hour
_DISTRESS_KINDS = frozenset({MmsiKind.AIS_SART, MmsiKind.MOB_DEVICE, MmsiKind.EPIRB_AIS})
_POSITION_TYPES = frozenset({1, 2, 3, 9, 18, 19})
_STATIC_TYPES = frozenset({5, 24})
_NAV_ACTIVE, _NAV_TEST = 14, 15  # navigational status of AIS-SART/MOB/EPIRB-AIS (M.1371)
_MAX_PENDING = 64  # multi-part messages awaiting their next fragment


class AisError(SarappError, ValueError):
    """A problem with an AIS feed address given by the user (bad sentences are events)."""


@dataclass(frozen=True)
class AisPosition:
    """A position report of a ship (types 1/2/3, 18/19) or a SAR aircraft (type 9).

    ``time`` is UTC (None when neither a tag block nor the caller gave a receive time);
    ``sog_ms`` speed over ground in m/s; ``cog_deg``/``heading_deg`` true degrees;
    ``altitude_m`` metres (SAR aircraft only). None means "not available" in the report.
    """

    mmsi: int
    lat: float
    lon: float
    time: datetime | None
    sog_ms: float | None
    cog_deg: float | None
    heading_deg: float | None
    msg_type: int
    line: int
    nav_status: int | None = None
    altitude_m: float | None = None

    @property
    def is_sar_aircraft(self) -> bool:
        return self.msg_type == 9


@dataclass(frozen=True)
class AisDistress:
    """A signal from an AIS-SART, MOB device or EPIRB-AIS: position (if any), active or test."""

    mmsi: int
    device: MmsiKind
    lat: float | None
    lon: float | None
    time: datetime | None
    test: bool
    msg_type: int
    line: int
    text: str = ""  # safety text of message 14 ("SART ACTIVE", "MOB TEST"…)


@dataclass(frozen=True)
class AisStatic:
    """Vessel identity from message 5 or 24 ("" or None where the message did not carry it)."""

    mmsi: int
    name: str
    call_sign: str
    imo: int | None
    ship_type: int | None
    msg_type: int
    line: int


@dataclass(frozen=True)
class AisSentenceError:
    """A sentence that could not be used, with its line number (1-based) and why."""

    line: int
    reason: str
    text: str


AisEvent = AisPosition | AisDistress | AisStatic | AisSentenceError


@dataclass
class AisStats:
    """Running counts of an import; mutable because it is filled while the stream is read."""

    sentences: int = 0  # non-blank lines read
    decoded: int = 0  # complete messages decoded
    errors: int = 0  # sentences or messages that could not be used
    alerts: int = 0  # distress events (AIS-SART, MOB, EPIRB-AIS)
    positions: int = 0
    statics: int = 0
    ignored: int = 0  # decoded but of no use here (aids to navigation, base stations…)


def read_ais_file(
    path: str | Path,
    *,
    received: datetime | None = None,
    stats: AisStats | None = None,
) -> Iterator[AisEvent]:
    """Stream the events of an NMEA file, line by line (memory stays flat whatever its size).

    ``received`` is the UTC time to assume for sentences without a tag block time.
    """
    with Path(path).open("rb") as f:
        yield from iter_ais(f, clock=(lambda: received) if received else None, stats=stats)


def open_feed(host_port: str, **options: object) -> AisFeed:
    """Open a live UDP/TCP feed given as ``host:port``; see ``sarapp.alerts.ais_feed``."""
    from sarapp.alerts.ais_feed import open_feed as _open  # the feed module imports this one

    return _open(host_port, **options)  # type: ignore[arg-type]


def iter_ais(
    lines: Iterable[str | bytes],
    *,
    clock: Callable[[], datetime | None] | None = None,
    stats: AisStats | None = None,
) -> Iterator[AisEvent]:
    """Decode NMEA lines into AIS events; never stops on a bad line.

    ``clock`` gives the receive time (UTC) of a sentence without a tag-block ``c:`` time; AIS
    reports carry only the UTC second, which is combined with that time.
    """
    decoder = AisDecoder(clock=clock, stats=stats)
    for number, raw in enumerate(lines, start=1):
        event = decoder.decode(number, raw)
        if event is not None:
            yield event


class AisDecoder:
    """Decode AIS lines one at a time (for a stream that also carries other sentences).

    Holds the fragments of multi-part messages between lines and fills ``stats``.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], datetime | None] | None = None,
        stats: AisStats | None = None,
    ) -> None:
        self.clock = clock
        self.stats = stats if stats is not None else AisStats()
        self._pending: dict[tuple[int | None, str], list[AISSentence]] = {}

    def decode(self, number: int, raw: str | bytes) -> AisEvent | None:
        """The event of line ``number`` (None for a blank line, a fragment, or a message of
        no use here); a bad line is an ``AisSentenceError``, never an exception."""
        stats = self.stats
        line = raw.strip() if isinstance(raw, bytes) else raw.strip().encode("ascii", "replace")
        if not line:
            return None
        stats.sentences += 1
        try:
            sentence = NMEASentenceFactory.produce(line)
            if not isinstance(sentence, AISSentence):
                raise ValueError("not an AIVDM/AIVDO sentence")
            if not sentence.is_valid:
                raise ValueError(f"checksum mismatch (sentence says {sentence.checksum:02X})")
            message = _assemble(sentence, self._pending, number)
            if message is None:
                return None
            event = _event(message, _receive_time(message, self.clock), number)
        except (AISBaseException, ValueError, TypeError, IndexError, KeyError) as exc:
            stats.errors += 1
            return AisSentenceError(number, _reason(exc), line[:120].decode("ascii", "replace"))
        stats.decoded += 1
        if event is None:
            stats.ignored += 1
        elif isinstance(event, AisDistress):
            stats.alerts += 1
        elif isinstance(event, AisPosition):
            stats.positions += 1
        else:
            stats.statics += 1
        return event


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."


def _assemble(
    sentence: AISSentence,
    pending: dict[tuple[int | None, str], list[AISSentence]],
    number: int,
) -> AISSentence | None:
    """The complete message once its last fragment arrives; None while fragments are missing."""
    if sentence.frag_cnt == 1:
        return sentence
    key = (sentence.seq_id, sentence.channel)
    parts = pending.get(key)
    if sentence.frag_num == 1:
        pending[key] = [sentence]
        if len(pending) > _MAX_PENDING:
            del pending[next(iter(pending))]
        if parts is not None:
            raise ValueError(f"multi-part message {key[0]} on channel {key[1]!r} left incomplete")
        return None
    if (
        parts is None
        or len(parts) + 1 != sentence.frag_num
        or parts[0].frag_cnt != sentence.frag_cnt
    ):
        pending.pop(key, None)
        raise ValueError(
            f"fragment {sentence.frag_num} of {sentence.frag_cnt} without the fragments before "
            f"it (sequence {key[0]}, channel {key[1]!r})"
        )
    parts.append(sentence)
    if sentence.frag_num < sentence.frag_cnt:
        return None
    del pending[key]
    return AISSentence.assemble_from_iterable(parts)


def _receive_time(
    sentence: AISSentence, clock: Callable[[], datetime | None] | None
) -> datetime | None:
    block = sentence.tag_block
    if block is not None:
        block.init()
        stamp = block.receiver_timestamp
        if block.is_valid and stamp and stamp.isdigit():  # unix seconds, or milliseconds
            try:
                seconds = int(stamp) / 1000 if len(stamp) > 11 else int(stamp)
                return check_report_time(datetime.fromtimestamp(seconds, UTC))
            except (OverflowError, OSError, ValueError):
                raise ValueError(f"tag block time c:{stamp[:24]} is out of range") from None
    return clock() if clock is not None else None


def report_time(received: datetime | None, second: int | None) -> datetime | None:
    """The time of a report stamped with UTC ``second`` (0–59) and received at ``received``.

    The report cannot be from the future, so a second later than the receive time's (beyond 5 s
    of clock skew) belongs to the previous minute. Seconds 60–63 mean "not available".
    """
    if received is None or second is None or not 0 <= second <= 59:
        return received
    stamped = received.replace(second=second, microsecond=0)
    if stamped > received + timedelta(seconds=5):
        stamped -= timedelta(minutes=1)
    return stamped


def _event(sentence: AISSentence, received: datetime | None, line: int) -> AisEvent | None:
    msg = sentence.decode()
    kind = _distress_kind(msg.mmsi)
    msg_type = msg.msg_type
    if kind is not None:  # the devices send position reports (1) and safety text (14)
        if msg_type in _POSITION_TYPES or msg_type == 14:
            return _distress(msg, kind, received, line)
        return None
    if msg_type in _POSITION_TYPES:
        return _position(msg, received, line)
    if msg_type in _STATIC_TYPES:
        return _static(msg, line)
    return None


def _distress_kind(mmsi: int) -> MmsiKind | None:
    if not 970_000_000 <= mmsi <= 979_999_999:  # cheap pre-check; identity has the rules
        return None
    try:
        kind = mmsi_info(f"{mmsi:09d}").kind
    except IdentityError:
        return None
    return kind if kind in _DISTRESS_KINDS else None


def _latlon(msg: object) -> tuple[float | None, float | None]:
    lat, lon = getattr(msg, "lat", None), getattr(msg, "lon", None)
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None, None
    return float(lat), float(lon)


def _distress(msg: object, kind: MmsiKind, received: datetime | None, line: int) -> AisDistress:
    text = str(getattr(msg, "text", "") or "").strip()
    status = getattr(msg, "status", None)
    lat, lon = _latlon(msg)
    return AisDistress(
        mmsi=msg.mmsi,  # type: ignore[attr-defined]
        device=kind,
        lat=lat,
        lon=lon,
        time=report_time(received, getattr(msg, "second", None)),
        test=(status is not None and int(status) == _NAV_TEST) or "TEST" in text.upper(),
        msg_type=msg.msg_type,  # type: ignore[attr-defined]
        line=line,
        text=text,
    )


def _position(msg: object, received: datetime | None, line: int) -> AisPosition | None:
    lat, lon = _latlon(msg)
    if lat is None or lon is None:
        return None
    msg_type: int = msg.msg_type  # type: ignore[attr-defined]
    speed = getattr(msg, "speed", None)
    speed_na = 1023 if msg_type == 9 else 102.3
    course = getattr(msg, "course", None)
    heading = getattr(msg, "heading", None)
    altitude = getattr(msg, "alt", None)
    status = getattr(msg, "status", None)
    return AisPosition(
        mmsi=msg.mmsi,  # type: ignore[attr-defined]
        lat=lat,
        lon=lon,
        time=report_time(received, getattr(msg, "second", None)),
        sog_ms=None if speed is None or speed >= speed_na else float(speed) * MS_PER_KNOT,
        cog_deg=None if course is None or course >= 360 else float(course),
        heading_deg=None if heading is None or heading >= 360 else float(heading),
        msg_type=msg_type,
        line=line,
        nav_status=None if status is None else int(status),
        altitude_m=None if altitude is None or altitude >= 4095 else float(altitude),
    )


def _static(msg: object, line: int) -> AisStatic:
    imo = getattr(msg, "imo", None)
    ship_type = getattr(msg, "ship_type", None)
    return AisStatic(
        mmsi=msg.mmsi,  # type: ignore[attr-defined]
        name=str(getattr(msg, "shipname", "") or "").strip(" @"),
        call_sign=str(getattr(msg, "callsign", "") or "").strip(" @"),
        imo=int(imo) if imo else None,
        ship_type=int(ship_type) if ship_type else None,
        msg_type=msg.msg_type,  # type: ignore[attr-defined]
        line=line,
    )
