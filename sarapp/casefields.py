"""The case fields an operator edits, declared as data: label, help and validation.

The CLI options of ``case new`` / ``case set`` and the app's case form are built from this
table, and the store validates every value through it, so the rules live in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sarapp import identity
from sarapp.errors import SarappError
from sarapp.limits import check_text


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
        return "" if value is None else str(value)


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
    )
}


def parse_field(name: str, value: Any) -> Any:
    """Validate ``value`` for the case field ``name``; FieldError names an unknown field."""
    try:
        spec = CASE_FIELDS[name]
    except KeyError:
        known = ", ".join(CASE_FIELDS)
        raise FieldError(f"unknown case field {name!r} (fields: {known})") from None
    return spec.parse(value)
