"""The window of times a report may carry, checked wherever a time enters the desk.

A report (a position, a log entry, an alert, a unit's fix) happened between 1 January 1970
and now; clocks differ, so a day ahead of now is allowed. Anything else is a typo or a forged
value, refused with a message naming it, before it is stored: a year before 1000 once broke
every reader of the desk. Times meant for the future (a search plan's window, a drift run's
end) are only held to the lower bound.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sarapp.errors import SarappError

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
AHEAD_ALLOWED = timedelta(days=1)


class TimeRangeError(SarappError, ValueError):
    """A time outside the window sarapp accepts; the message names the value and the bound."""


def shown(moment: datetime) -> str:
    """The time as a coordinator reads it in an error: ``0999-11-26 14:30Z``."""
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d} {utc.hour:02d}:{utc.minute:02d}Z"


def check_report_time(
    moment: datetime, *, what: str = "time", now: datetime | None = None
) -> datetime:
    """``moment`` if it lies in 1970 … now + 1 day (TimeRangeError otherwise)."""
    check_not_before_1970(moment, what=what)
    ceiling = (now or datetime.now(UTC)) + AHEAD_ALLOWED
    if moment > ceiling:
        raise TimeRangeError(
            f"{what} {shown(moment)} is more than a day ahead of now ({shown(ceiling)}): "
            "a report cannot come from the future (check the date)"
        )
    return moment


def check_not_before_1970(moment: datetime, *, what: str = "time") -> datetime:
    """``moment`` if it is aware and not before 1970 (TimeRangeError otherwise)."""
    if moment.tzinfo is None:
        raise TimeRangeError(f"{what} has no time zone: sarapp keeps every time in UTC")
    if moment < EARLIEST:
        raise TimeRangeError(
            f"{what} {shown(moment)} is before 1970: no report is that old (check the year)"
        )
    return moment


__all__ = [
    "AHEAD_ALLOWED",
    "EARLIEST",
    "TimeRangeError",
    "check_not_before_1970",
    "check_report_time",
    "shown",
]
