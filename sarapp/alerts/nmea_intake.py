"""A mixed AIS and DSC feed into the desk: each event to its intake, in shared transactions.

The two intakes share the MMSI → open case map, so a ship whose DSC distress alert opened a
case has its AIS position reports filed under that case in the same feed. A file commits in
chunks (fast); a live feed commits every event (an alert never waits for a chunk).
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from dataclasses import dataclass, field

from sarapp.alerts.ais import AisDistress, AisPosition, AisSentenceError, AisStatic
from sarapp.alerts.ais_intake import CHUNK, AisImportReport, AisIntake, open_case_mmsis
from sarapp.alerts.dsc_intake import DscImportReport, DscIntake
from sarapp.alerts.nmea_stream import NmeaEvent, NmeaStats
from sarapp.model import Changes
from sarapp.store import Desk

_AIS_EVENTS = (AisDistress, AisPosition, AisStatic, AisSentenceError)


@dataclass
class NmeaImportReport:
    """Counts of a mixed import: the stream's, the AIS intake's and the DSC intake's."""

    stats: NmeaStats = field(default_factory=NmeaStats)
    ais: AisImportReport = field(default_factory=AisImportReport)
    dsc: DscImportReport = field(default_factory=DscImportReport)

    def __post_init__(self) -> None:
        self.ais.stats = self.stats.ais

    @property
    def changes(self) -> Changes:
        return self.ais.changes | self.dsc.changes

    @property
    def cases(self) -> list[str]:
        return list(dict.fromkeys(self.dsc.cases + self.ais.cases))

    def to_dict(self) -> dict:
        ais = self.ais.to_dict()
        for key in ("sentences", "decoded", "errors", "first_errors", "cases"):
            ais.pop(key)
        errors = self.dsc.first_errors + self.ais.first_errors
        return {
            **self.stats.to_dict(),
            "dsc": {k: v for k, v in self.dsc.to_dict().items() if k != "first_errors"},
            "ais": ais,
            "cases": self.cases,
            "first_errors": sorted(errors, key=_line_number)[:20],
        }


def _line_number(error: str) -> int:
    word = error.split(":", 1)[0].removeprefix("line ")
    return int(word) if word.isdigit() else 0


def import_nmea(
    store: Desk,
    events: Iterable[NmeaEvent],
    *,
    author: str,
    report: NmeaImportReport,
    chunk: int = CHUNK,
) -> NmeaImportReport:
    """File ``events`` (from ``iter_nmea`` with ``report.stats``) into the desk."""
    for _ in import_nmea_steps(store, events, author=author, report=report, chunk=chunk):
        pass
    return report


def import_nmea_steps(
    store: Desk,
    events: Iterable[NmeaEvent],
    *,
    author: str,
    report: NmeaImportReport,
    chunk: int = CHUNK,
) -> Generator[NmeaImportReport, None, NmeaImportReport]:
    """The same import as a generator yielding the report after each committed chunk.

    Close it to cancel: the chunks already committed stay, the current one is rolled back.
    """
    cases = open_case_mmsis(store)
    ais = AisIntake(store, author=author, report=report.ais, cases=cases)
    dsc = DscIntake(store, author=author, report=report.dsc, cases=cases)
    iterator = iter(events)
    while True:
        batch = [e for _, e in zip(range(chunk), iterator, strict=False)]
        if not batch:
            break
        with store.transaction():
            for event in batch:
                if isinstance(event, _AIS_EVENTS):
                    ais.take(event)
                else:
                    dsc.take(event)
            ais.flush()
        yield report
    return report
