"""The persons register of a case, as values: person records and the counts.

The counts come first: a coordinator may keep counts only (a mass rescue: 60 people, names
later). Each count category has a ``total`` (what the desk says: None when never given) and a
``counted`` part: the persons counted by hand and not (yet) recorded one by one. The counts
follow the records:

- a record added takes one person out of the hand count of each category it falls in (it was
  among the counted), or adds one to the total when none is left (a person beyond the count);
- a record whose status or attributes change moves one from the old category to the new;
- a total typed by the coordinator sets the hand count to the total less the records in it
  (never below the records: 12 recorded as rescued means at least 12 rescued);
- a purge hands the attribute categories (women, men, minors, medical) of the records back to
  the hand counts, so the totals do not move when names, ages and sexes are erased.

None of these needs another record's personal values: a desk that received a register
without them (``withheld``) keeps the counts right as it edits statuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NewType

from sarapp.model import CaseId
from sarapp.personfields import OPERATIONAL_FIELDS, PERSONAL_FIELDS, PersonError

PersonId = NewType("PersonId", str)

ATTRIBUTES = ("on_board", "women", "men", "minors", "medical")
OUTCOMES = ("rescued", "missing", "dead", "medevac")
CATEGORIES = (*ATTRIBUTES, *OUTCOMES)
CATEGORY_LABELS = {
    "on_board": "on board",
    "women": "women",
    "men": "men",
    "minors": "minors",
    "medical": "medical cases",
    "rescued": "rescued",
    "missing": "missing",
    "dead": "dead",
    "medevac": "medevac'd",
}
MINOR_BELOW = 18  # years


@dataclass(frozen=True)
class Person:
    """One person of a case's register. ``personal`` says whether the personal fields are
    held here, were purged, or were withheld by the desk that sent the register."""

    id: PersonId
    case_id: CaseId
    number: int  # P1, P2… within the case, for people
    status: str = "at-risk"
    unit: str = ""
    recovered: str | None = None  # desk time text
    taken_to: str = ""
    personal: str = "held"
    name: str = ""
    age: int | None = None
    sex: str = ""
    nationality: str = ""
    medical: bool | None = False
    note: str = ""

    @property
    def label(self) -> str:
        return f"P{self.number}"

    def operational(self) -> dict[str, Any]:
        """The record's snapshot as a log entry's data keeps it (nothing personal)."""
        return {"id": self.id, "number": self.number,
                **{k: getattr(self, k) for k in OPERATIONAL_FIELDS}}  # fmt: skip

    def personal_values(self) -> dict[str, Any]:
        """The personal fields, as the entry's personal content keeps them."""
        return {k: getattr(self, k) for k in PERSONAL_FIELDS}

    def categories(self) -> frozenset[str]:
        """The count categories this record falls in (attributes only when held)."""
        found = {"on_board"}
        if self.status in OUTCOMES:
            found.add(self.status)
        if self.personal == "held":
            if self.sex == "F":
                found.add("women")
            elif self.sex == "M":
                found.add("men")
            if self.age is not None and self.age < MINOR_BELOW:
                found.add("minors")
            if self.medical:
                found.add("medical")
        return frozenset(found)


@dataclass(frozen=True)
class Counts:
    """The register's counts: ``total`` per category (None: not known) and ``counted``, the
    part of it counted by hand and not recorded one by one."""

    total: Mapping[str, int | None] = field(default_factory=lambda: dict.fromkeys(CATEGORIES))
    counted: Mapping[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    def recorded(self, category: str) -> int:
        return (self.total[category] or 0) - self.counted[category]

    def to_json(self) -> dict[str, Any]:
        return {"total": dict(self.total), "counted": dict(self.counted)}

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Counts:
        total = item.get("total") or {}
        counted = item.get("counted") or {}
        return cls({c: _count(total.get(c)) for c in CATEGORIES},
                   {c: _count(counted.get(c)) or 0 for c in CATEGORIES})  # fmt: skip

    @property
    def is_empty(self) -> bool:
        return all(v is None for v in self.total.values())

    def warnings(self) -> list[str]:
        """What does not add up, for the coordinator to settle (the desk cannot tell which
        count a person recorded later was in)."""
        found = []
        on_board = self.total["on_board"]
        known = sum(self.total[c] or 0 for c in OUTCOMES)
        if on_board is not None and known > on_board:
            found.append(f"rescued, missing, dead and medevac'd make {known}, more than the "
                         f"{on_board} on board: correct the counts")  # fmt: skip
        for category in ("women", "men", "minors", "medical"):
            value = self.total[category]
            if on_board is not None and value is not None and value > on_board:
                found.append(f"{CATEGORY_LABELS[category]} ({value}) are more than the "
                             f"{on_board} on board")  # fmt: skip
        return found

    @property
    def unaccounted(self) -> int | None:
        """On board less the outcomes known (None while on board is not known)."""
        on_board = self.total["on_board"]
        if on_board is None:
            return None
        return max(0, on_board - sum(self.total[c] or 0 for c in OUTCOMES))


def _count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a count must be a whole number, not {value!r}")
    return value


def counts_after_added(counts: Counts, categories: Iterable[str]) -> Counts:
    total, counted = dict(counts.total), dict(counts.counted)
    for category in categories:
        if counted[category] > 0:
            counted[category] -= 1
        else:
            total[category] = (total[category] or 0) + 1
    return Counts(total, counted)


def counts_after_change(counts: Counts, old: frozenset[str], new: frozenset[str]) -> Counts:
    total = dict(counts.total)
    for category in old - new:
        total[category] = max(0, (total[category] or 0) - 1)
    for category in new - old:
        total[category] = (total[category] or 0) + 1
    return Counts(total, dict(counts.counted))


def counts_with_totals(counts: Counts, totals: Mapping[str, int | None]) -> Counts:
    """The coordinator's totals; PersonError when one is below the records it holds."""
    total, counted = dict(counts.total), dict(counts.counted)
    for category, value in totals.items():
        if category not in CATEGORIES:
            raise PersonError(f"unknown count {category!r} ({', '.join(CATEGORIES)})")
        recorded = counts.recorded(category)
        if value is None:
            if recorded:
                raise PersonError(
                    f"{recorded} persons are recorded as {CATEGORY_LABELS[category]}: the "
                    "count cannot be made unknown"
                )
            total[category], counted[category] = None, 0
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise PersonError(f"{CATEGORY_LABELS[category]}: {value!r} is not a whole number")
        if value < recorded:
            raise PersonError(
                f"{recorded} persons are recorded as {CATEGORY_LABELS[category]}: the count "
                f"cannot be {value}"
            )
        total[category], counted[category] = value, value - recorded
    return Counts(total, counted)


def counts_after_purge(counts: Counts) -> Counts:
    """The records no longer say who is a woman, a minor, a medical case: the hand counts
    hold all of each attribute, the totals stay."""
    counted = dict(counts.counted)
    for category in ATTRIBUTES[1:]:
        counted[category] = counts.total[category] or 0
    return Counts(dict(counts.total), counted)


def with_values(person: Person, values: Mapping[str, Any]) -> Person:
    return replace(person, **values)


@dataclass(frozen=True)
class Register:
    """A case's register: its records in number order and its counts."""

    persons: tuple[Person, ...] = ()
    counts: Counts = field(default_factory=Counts)

    @property
    def exists(self) -> bool:
        return bool(self.persons) or not self.counts.is_empty


def register_json(register: Register) -> dict[str, Any]:
    """``persons list --json``: the records and the counts."""
    return {
        "persons": [person_json(p) for p in register.persons],
        "counts": {c: register.counts.total[c] for c in CATEGORIES},
        "counted_by_hand": {c: register.counts.counted[c] for c in CATEGORIES},
        "unaccounted": register.counts.unaccounted,
    }


def person_json(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "case_id": person.case_id,
        "number": person.number,
        "label": person.label,
        **{k: getattr(person, k) for k in OPERATIONAL_FIELDS},
        "personal": person.personal,
        **{k: getattr(person, k) for k in PERSONAL_FIELDS},
    }


__all__ = [
    "ATTRIBUTES",
    "CATEGORIES",
    "CATEGORY_LABELS",
    "OUTCOMES",
    "Counts",
    "Person",
    "PersonId",
    "Register",
    "counts_after_added",
    "counts_after_change",
    "counts_after_purge",
    "counts_with_totals",
    "person_json",
    "register_json",
]
