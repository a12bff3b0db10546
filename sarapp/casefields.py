"""The case fields an operator edits, declared as data: label, help and validation.

The CLI options of ``case new`` / ``case set`` and the app's case form are built from this
table, and the store validates every value through it, so the rules live in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sarapp import identity
from sarapp.chain import time_from_text
from sarapp.chain import time_text as time_to_text
from sarapp.errors import SarappError
from sarapp.geo import GeoError, format_dtg, parse_dtg
from sarapp.limits import check_text
from sarapp.times import check_not_before_1970, check_report_time

_PORT = "disembarkation"
_TIME_FIELDS = ("port_requested_at", "port_assigned_at", "disembark_eta", "disembarked_at")


class FieldError(SarappError, ValueError):
    """A case field value that does not pass its check; the message names the field."""


@dataclass(frozen=True)
class CaseField:
    name: str
    label: str
    help: str
    check: Callable[[str], Any]  # text as typed → stored value; raises ValueError
    placeholder: str = ""
    text: bool = True  # a one-line text: the handover format's length, no hidden characters
    group: str = ""  # "" the case's own fields; "disembarkation": place of safety

    def parse(self, value: Any) -> Any:
        """The stored value for ``value`` (text as typed, or an already typed value)."""
        text = "" if value is None else str(value).strip()
        try:
            if self.text:
                check_text(text, "case", self.name)
            return self.check(text)
        except ValueError as exc:
            raise FieldError(f"{self.label}: {exc}") from None

    def format(self, value: Any) -> str:
        if value is None:
            return ""
        if self.name in _TIME_FIELDS:
            return format_dtg(time_from_text(value))
        return str(value)


def _text(text: str) -> str:
    return text


def _title(text: str) -> str:
    if not text:
        raise ValueError("a case needs a title")
    return text


def _pob(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a whole number of persons")
    pob = int(text)
    if pob > 10000:
        raise ValueError(f"{pob} persons on board is beyond any ship afloat")
    return pob


def _report_time(what: str) -> Callable[[str], str | None]:
    """A DTG or ISO 8601 time that has happened (a day's slack), stored in the desk's form."""

    def check(text: str) -> str | None:
        return _time(text, what, report=True)

    return check


def _any_time(what: str) -> Callable[[str], str | None]:
    """A DTG or ISO 8601 time that may lie ahead (an expected time)."""

    def check(text: str) -> str | None:
        return _time(text, what, report=False)

    return check


def _time(text: str, what: str, *, report: bool) -> str | None:
    if not text:
        return None
    try:
        moment = parse_dtg(text)
    except GeoError as exc:
        raise ValueError(str(exc)) from None
    if report:
        check_report_time(moment, what=what)
    else:
        check_not_before_1970(moment, what=what)
    return time_to_text(moment)


def _optional(check: Callable[[str], str]) -> Callable[[str], str]:
    """Empty means unknown; anything else must pass ``check``."""
    return lambda text: check(text) if text else ""


CASE_FIELDS: dict[str, CaseField] = {
    f.name: f
    for f in (
        CaseField("title", "Title", "short description of the case", _title),
        CaseField("nature", "Nature of distress", "fire, taking water, MOB…", _text),
        CaseField("pob", "Persons on board", "number of persons on board", _pob, text=False),
        CaseField("vessel_name", "Vessel name", "casualty vessel's name", _text),
        CaseField(
            "mmsi",
            "MMSI",
            "9-digit Maritime Mobile Service Identity",
            _optional(identity.validate_mmsi),
            "227123456",
        ),
        CaseField(
            "imo",
            "IMO number",
            "7 digits with check digit",
            _optional(identity.validate_imo),
            "9074729",
        ),
        CaseField(
            "call_sign",
            "Call sign",
            "radio call sign",
            _optional(identity.validate_call_sign),
            "FABC",
        ),
        CaseField(
            "flag",
            "Flag state",
            "ISO 3166 alpha-2 code",
            _optional(identity.validate_flag),
            "FR",
        ),
        CaseField("vessel_type", "Vessel type", "fishing, yacht, cargo…", _text),
        CaseField("vessel_description", "Description", "hull colour, length, marks", _text),
        CaseField("rcc", "Responsible RCC", "RCC coordinating the case", _text),
        CaseField("smc", "SMC", "SAR mission coordinator", _text),
        CaseField("port_requested", "Place of safety requested", "port requested", _text,
                  "Valletta", group=_PORT),
        CaseField("port_requested_at", "Requested at", "when it was requested (DTG)",
                  _report_time("the time of the request"), "DTG", text=False, group=_PORT),
        CaseField("port_assigned", "Place of safety assigned", "port assigned", _text,
                  group=_PORT),
        CaseField("port_authority", "Assigned by", "the authority that assigned it", _text,
                  group=_PORT),
        CaseField("port_assigned_at", "Assigned at", "when it was assigned (DTG)",
                  _report_time("the time of the assignment"), "DTG", text=False, group=_PORT),
        CaseField("disembark_unit", "Carrying unit", "the unit carrying the persons", _text,
                  group=_PORT),
        CaseField("disembark_eta", "Expected at", "expected time of disembarkation (DTG)",
                  _any_time("the expected time of disembarkation"), "DTG", text=False,
                  group=_PORT),
        CaseField("disembarked_at", "Disembarked at", "when the persons were landed (DTG)",
                  _report_time("the time of disembarkation"), "DTG", text=False, group=_PORT),
    )
}  # fmt: skip


def parse_field(name: str, value: Any) -> Any:
    """Validate ``value`` for the case field ``name``; FieldError names an unknown field."""
    try:
        spec = CASE_FIELDS[name]
    except KeyError:
        known = ", ".join(CASE_FIELDS)
        raise FieldError(f"unknown case field {name!r} (fields: {known})") from None
    return spec.parse(value)
