"""DSC and DSE sentences line by line, each DSE matched to the DSC call it expands.

IEC 61162-1 sends a ``DSE`` as the very next sentence after a ``DSC`` whose expansion field is
``E``; in a feed mixed with AIS or through a multiplexer other lines may come between, so a DSE
is matched to the last call of the same MMSI received within ``MATCH_WINDOW`` (by receive time)
or, without receive times, within ``MATCH_LINES`` lines before it. Lines may carry an NMEA 4
tag block whose ``c:`` time is the receive time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sarapp.alerts.dsc import (
    DscCall,
    DscError,
    DscEvent,
    DscExpansion,
    DscSentenceError,
    parse_dsc,
    parse_dse,
    position_fractions,
)
from sarapp.alerts.dsc_symbols import quoted

MATCH_WINDOW = timedelta(seconds=60)  # a DSE comes right after its DSC (IEC 61162-1 note 1)
MATCH_LINES = 20  # without receive times: the DSC must be this few lines before its DSE
_MAX_RECENT = 1000  # calls remembered for DSE matching


class DscDecoder:
    """Decode DSC/DSE lines one at a time, remembering recent calls to match their DSEs."""

    def __init__(self) -> None:
        self._recent: dict[str, DscCall] = {}

    def decode(self, number: int, text: str, received: datetime | None = None) -> DscEvent:
        """The event of one line (a sentence, optionally behind a tag block); never raises."""
        try:
            stamp, sentence = split_tag_block(text)
            received = stamp or received
            fields = sentence_fields(sentence)
            kind = sentence[3:6]
            if kind == "DSC":
                call = parse_dsc(fields, line=number, received=received, sentence=sentence)
                if call.sender:
                    self._remember(call)
                return call
            return self._expansion(fields, number, received, sentence)
        except (DscError, ValueError) as exc:
            return DscSentenceError(number, str(exc), text.strip()[:120])

    def _remember(self, call: DscCall) -> None:
        assert call.sender is not None
        self._recent.pop(call.sender, None)
        self._recent[call.sender] = call
        if len(self._recent) > _MAX_RECENT:
            del self._recent[next(iter(self._recent))]

    def _expansion(
        self, fields: list[str], number: int, received: datetime | None, sentence: str
    ) -> DscExpansion:
        dse = parse_dse(fields, line=number, received=received, sentence=sentence)
        call = self._recent.get(dse.mmsi)
        if call is None or not _follows(call, dse):
            note = f"DSE for MMSI {dse.mmsi} follows no DSC call of that station: kept unmatched"
            return replace(dse, notes=(*dse.notes, note))
        fractions = position_fractions(dse.data)
        fix = call.fix.refine(*fractions) if call.fix and fractions else None
        notes = dse.notes
        if fractions and call.fix is None:
            notes = (*notes, "the call it expands has no position to refine")
        return replace(dse, call=call, fix=fix, notes=notes)


def _follows(call: DscCall, dse: DscExpansion) -> bool:
    if call.received is not None and dse.received is not None:
        return timedelta(0) <= dse.received - call.received <= MATCH_WINDOW
    return 0 < dse.line - call.line <= MATCH_LINES


def split_tag_block(text: str) -> tuple[datetime | None, str]:
    """An NMEA 4 tag block's ``c:`` receive time (if any) and the sentence after it."""
    text = text.strip()
    if not text.startswith("\\"):
        return None, text
    end = text.find("\\", 1)
    if end < 0:
        raise DscError("tag block opened with \\ is never closed")
    block, sentence = text[1:end], text[end + 1 :]
    content, star, checksum = block.partition("*")
    if star and checksum.upper() != f"{_xor(content):02X}":
        raise DscError(f"tag block checksum {quoted(checksum, 4)} does not match its content")
    for item in content.split(","):
        if item.startswith("c:"):
            stamp = item[2:]
            if not stamp.isdigit() or len(stamp) > 13:
                raise DscError(f"tag block time c:{quoted(stamp)} is not a UNIX time")
            seconds = int(stamp) / 1000 if len(stamp) > 11 else int(stamp)
            return datetime.fromtimestamp(seconds, UTC), sentence
    return None, sentence


def sentence_fields(sentence: str) -> list[str]:
    """The fields of a ``$ttDSC``/``$ttDSE`` sentence after its checksum is verified."""
    if not sentence.startswith("$") or len(sentence) < 7 or sentence[3:6] not in ("DSC", "DSE"):
        raise DscError(f"{quoted(sentence, 12)} is not a $--DSC or $--DSE sentence")
    body, star, checksum = sentence[1:].partition("*")
    if not star:
        raise DscError("no checksum (*hh) at the end of the sentence")
    if checksum.strip().upper() != f"{_xor(body):02X}":
        raise DscError(
            f"checksum mismatch: the sentence says {quoted(checksum.strip(), 2)}, "
            f"its content gives {_xor(body):02X}"
        )
    return body.split(",")[1:]


def _xor(text: str) -> int:
    """XOR of the characters' bytes: the sentence as one integer, folded in halves (an NMEA
    sentence is at most 82 characters; longer text is folded in 128-byte pieces first)."""
    data = text.encode("ascii", "replace")
    value = 0
    for start in range(0, len(data), 128):
        value ^= int.from_bytes(data[start : start + 128], "little")
    for bits in (512, 256, 128, 64, 32, 16, 8):
        value ^= value >> bits
    return value & 0xFF
