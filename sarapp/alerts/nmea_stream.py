"""One NMEA feed carrying AIS and DSC together, as a coast station's multiplexer sends it.

Each line goes to the decoder its sentence needs: ``!--VDM``/``!--VDO`` to AIS (pyais),
``$--DSC``/``$--DSE`` to the DSC parser; other NMEA sentences (``$GPGGA``…) are counted and
passed over; anything else is a bad line. An NMEA 4 tag block in front is allowed; its ``c:``
time is the receive time. One bad line never stops the stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sarapp.alerts.ais import AisDecoder, AisEvent, AisStats
from sarapp.alerts.dsc import DscCall, DscEvent, DscExpansion, DscSentenceError
from sarapp.alerts.dsc_stream import DscDecoder

NmeaEvent = AisEvent | DscEvent
_SIT185_MARKS = ("COSPAS", "SARSAT", "HEX ID")  # words every SIT 185 carries


@dataclass
class NmeaStats:
    """Running counts of a mixed feed (mutable: filled while the stream is read)."""

    lines: int = 0  # non-blank lines read
    ais: AisStats = field(default_factory=AisStats)
    dsc_calls: int = 0
    dse: int = 0
    dsc_errors: int = 0
    other_sentences: int = 0  # NMEA sentences of no use here
    not_nmea: int = 0

    def to_dict(self) -> dict:
        return {
            "lines": self.lines,
            "ais_sentences": self.ais.sentences,
            "ais_errors": self.ais.errors,
            "dsc_calls": self.dsc_calls,
            "dse": self.dse,
            "dsc_errors": self.dsc_errors,
            "other_sentences": self.other_sentences,
            "not_nmea": self.not_nmea,
        }


def iter_nmea(
    lines: Iterable[str | bytes],
    *,
    clock: Callable[[], datetime | None] | None = None,
    stats: NmeaStats | None = None,
) -> Iterator[NmeaEvent]:
    """AIS and DSC events of ``lines``, in order; bad lines are error events.

    ``clock`` gives the receive time of a line without a tag-block time (None: unknown).
    """
    stats = stats if stats is not None else NmeaStats()
    ais = AisDecoder(clock=clock, stats=stats.ais)
    dsc = DscDecoder()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip() if isinstance(raw, bytes) else raw.strip().encode("ascii", "replace")
        if not line:
            continue
        stats.lines += 1
        kind = sentence_kind(line)
        if kind == "ais":
            event = ais.decode(number, line)
            if event is not None:
                yield event
        elif kind == "dsc":
            dsc_event = dsc.decode(
                number, line.decode("ascii", "replace"), clock() if clock else None
            )
            if isinstance(dsc_event, DscSentenceError):
                stats.dsc_errors += 1
            elif isinstance(dsc_event, DscExpansion):
                stats.dse += 1
            elif isinstance(dsc_event, DscCall):
                stats.dsc_calls += 1
            yield dsc_event
        elif kind == "other":
            stats.other_sentences += 1
        else:
            stats.not_nmea += 1
            yield DscSentenceError(
                number,
                "not an NMEA sentence (expected !--VDM/VDO AIS or $--DSC/DSE)",
                line[:120].decode("ascii", "replace"),
            )


def sentence_kind(line: bytes) -> str:
    """``ais``, ``dsc``, ``other`` (another NMEA sentence) or ``bad``, after any tag block."""
    if line[:1] == b"\\":
        end = line.find(b"\\", 1)
        line = line[end + 1 :] if end > 0 else b""
    start = line[:1]
    if start == b"!":
        return "ais"
    if start == b"$":
        return "dsc" if line[3:6] in (b"DSC", b"DSE") else "other"
    return "bad"


def looks_like_nmea(text: str) -> bool:
    """True when ``text`` holds AIS or DSC sentences and is not a SIT 185 (for paste and drop:
    sentences copied with a line of the controller's screen around them are still a feed)."""
    upper = text[:20_000].upper()
    if any(mark in upper for mark in _SIT185_MARKS):
        return False
    lines = text.splitlines()[:200]
    return any(
        sentence_kind(ln.strip().encode("ascii", "replace")) in ("ais", "dsc") for ln in lines
    )
