"""The fields of a person record, declared as data: label, help, validation, and whether the
field is *personal* (data protection by design: ``personal`` is the declaration every
display, export, package and purge reads, never a convention kept elsewhere).

Personal fields are what identifies a rescued person or says something about their body:
name (or descriptor), age, sex, nationality, medical state, and the free note. They leave the
desk only for a purpose that needs them, and are purged after the desk's retention period
(``docs/data-protection.md``). Status, the recovering unit, the time and the place a person
was taken to are facts of the operation, kept with the counts.
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
from sarapp.times import check_report_time

# What became of a person: at risk (on board the casualty, not yet accounted for), missing,
# rescued, dead, medevac (evacuated for medical care).
STATUSES = ("at-risk", "missing", "rescued", "dead", "medevac")
SEXES = ("F", "M", "X")
PURGED = "[purged]"  # what a purged name or note reads
WITHHELD = "[withheld]"  # what a name reads that the sending desk did not pass on
MAX_AGE = 130


class PersonError(SarappError, ValueError):
    """A person record value that does not pass its check; the message names the field."""


@dataclass(frozen=True)
class PersonField:
    name: str
    label: str
    help: str
    check: Callable[[str], Any]  # text as typed → stored value; raises ValueError
    personal: bool
    text: bool = True  # a one-line text: the handover format's length, no hidden characters

    def parse(self, value: Any) -> Any:
        """The stored value for ``value`` (text as typed, or an already typed value)."""
        if isinstance(value, bool) and self.name == "medical":
            return value
        text = "" if value is None else str(value).strip()
        try:
            if self.text:
                check_text(text, "person_personal" if self.personal else "person", self.name)
            return self.check(text)
        except ValueError as exc:
            raise PersonError(f"{self.label}: {exc}") from None

    def format(self, value: Any) -> str:
        if value is None:
            return ""
        if self.name == "recovered":
            return format_dtg(time_from_text(value))
        if self.name == "medical":
            return "yes" if value else "no"
        return str(value)


def _text(text: str) -> str:
    return text


def _age(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_AGE:
        raise ValueError(f"{text!r} is not an age in whole years (0 to {MAX_AGE})")
    return int(text)


def _sex(text: str) -> str:
    code = text.upper()
    if code not in ("", *SEXES):
        raise ValueError(f"{text!r} is not F, M or X (or empty: not known)")
    return code


def _nationality(text: str) -> str:
    return identity.validate_flag(text) if text else ""


def _medical(text: str) -> bool:
    word = text.lower()
    if word in ("", "no", "n", "false", "0"):
        return False
    if word in ("yes", "y", "true", "1"):
        return True
    raise ValueError(f"{text!r} is not yes or no")


def _status(text: str) -> str:
    word = text.lower() or "at-risk"
    if word not in STATUSES:
        raise ValueError(f"{text!r} is not a status ({', '.join(STATUSES)})")
    return word


def _recovered(text: str) -> str | None:
    """A DTG or ISO 8601 time, stored in the desk's form."""
    if not text:
        return None
    try:
        moment = parse_dtg(text)
    except GeoError as exc:
        raise ValueError(str(exc)) from None
    return time_to_text(check_report_time(moment, what="the time of recovery"))


PERSON_FIELDS: dict[str, PersonField] = {
    f.name: f
    for f in (
        PersonField("name", "Name", "name, or a descriptor: 'man, red jacket'", _text, True),
        PersonField("age", "Age", "approximate age in years", _age, True, text=False),
        PersonField("sex", "Sex", "F, M or X", _sex, True, text=False),
        PersonField("nationality", "Nationality", "ISO 3166 alpha-2 code", _nationality, True),
        PersonField("medical", "Medical", "needs medical care (yes/no)", _medical, True, False),
        PersonField("note", "Note", "free note: injuries, family, belongings…", _text, True),
        PersonField("status", "Status", ", ".join(STATUSES), _status, False, text=False),
        PersonField("unit", "Unit", "the unit that recovered the person", _text, False),
        PersonField("recovered", "Recovered", "when (DTG)", _recovered, False, text=False),
        PersonField("taken_to", "Taken to", "where the person was taken", _text, False),
    )
}
PERSONAL_FIELDS = tuple(name for name, spec in PERSON_FIELDS.items() if spec.personal)
OPERATIONAL_FIELDS = tuple(name for name, spec in PERSON_FIELDS.items() if not spec.personal)
EMPTY_PERSONAL: dict[str, Any] = {
    "name": "", "age": None, "sex": "", "nationality": "", "medical": False, "note": ""
}  # fmt: skip
ERASED_PERSONAL: dict[str, Any] = {
    "age": None, "sex": "", "nationality": "", "medical": None
}  # fmt: skip


def parse_person_field(name: str, value: Any) -> Any:
    """Validate ``value`` for the person field ``name``; PersonError names an unknown field."""
    try:
        spec = PERSON_FIELDS[name]
    except KeyError:
        known = ", ".join(PERSON_FIELDS)
        raise PersonError(f"unknown person field {name!r} (fields: {known})") from None
    return spec.parse(value)


__all__ = [
    "EMPTY_PERSONAL",
    "ERASED_PERSONAL",
    "OPERATIONAL_FIELDS",
    "PERSONAL_FIELDS",
    "PERSON_FIELDS",
    "PURGED",
    "STATUSES",
    "WITHHELD",
    "PersonError",
    "PersonField",
    "parse_person_field",
]
