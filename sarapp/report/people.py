"""People: persons in distress and what became of them, with the source of each figure.

Today the desk holds one number per case, persons on board (the case field ``pob``); it holds
no outcome per person and no time of death. ``case_people`` is the one place that reads a
case's people: when the persons register exists (issue 16) it returns the register's counts
there, and every figure below follows with its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sarapp.report.facts import CaseFacts
from sarapp.report.figures import Amount, NotKnown

POB_SOURCE = "case field 'Persons on board' (pob)"
NO_OUTCOMES = (
    "the desk records no outcome per person (rescued, assisted, dead, missing): the case "
    "holds persons on board only, until the persons register (issue 16) exists"
)
NO_DEATH_TIMES = (
    "the desk records no death nor its time, so it cannot tell a life lost before the first "
    "alert from one lost after it"
)
OUTCOMES = ("rescued", "assisted", "dead", "missing")


@dataclass(frozen=True)
class CasePeople:
    """One case's persons: ``None`` where the desk cannot tell; ``source`` names where the
    numbers came from."""

    in_distress: int | None
    rescued: int | None
    assisted: int | None
    dead: int | None
    missing: int | None
    source: str

    @property
    def unaccounted(self) -> int | None:
        """Persons in distress whose outcome is not recorded (None when those are not known)."""
        if self.in_distress is None:
            return None
        told = (self.rescued, self.assisted, self.dead, self.missing)
        return self.in_distress - sum(v for v in told if v)


def case_people(case: CaseFacts) -> CasePeople:
    """The persons of a case. Extend here when the persons register exists: its counts for
    the case where it has any, else the case field as now."""
    return CasePeople(case.pob, None, None, None, None, POB_SOURCE)


@dataclass(frozen=True)
class PeopleSection:
    """``in_distress`` = ``rescued + assisted + dead + missing + outcome_not_recorded`` over
    the cases whose persons in distress are known."""

    in_distress: Amount
    rescued: Amount
    assisted: Amount
    dead: Amount
    missing: Amount
    outcome_not_recorded: Amount
    lives_lost_before_notification: Amount
    lives_lost_after_notification: Amount


def people_section(opened: Sequence[CaseFacts], of_case: Mapping[str, CasePeople]) -> PeopleSection:
    """``of_case``: ``case_people`` of each case by case id (made once per report)."""
    people = [(case, of_case[case.id]) for case in opened]
    known = [(c, p) for c, p in people if p.in_distress is not None]
    unknown = [c.number for c, p in people if p.in_distress is None]
    in_distress = Amount(
        sum([p.in_distress for _, p in known]),  # type: ignore[misc]
        "persons",
        _sources(p for _, p in known),
        tuple(c.number for c, _ in known),
        NotKnown("persons on board not recorded", len(unknown), tuple(unknown))
        if unknown
        else None,
    )
    outcomes = {name: _outcome(people, name) for name in OUTCOMES}
    rest = [(c, p.unaccounted or 0) for c, p in known]
    not_recorded = Amount(
        sum(v for _, v in rest),
        "persons",
        "persons in distress less the outcomes recorded",
        tuple(c.number for c, v in rest if v),
    )
    everyone = tuple(c.number for c in opened)
    lost = Amount(None, "persons", "", (), NotKnown(NO_DEATH_TIMES, len(everyone), everyone))
    return PeopleSection(
        in_distress=in_distress,
        outcome_not_recorded=not_recorded,
        lives_lost_before_notification=lost,
        lives_lost_after_notification=lost,
        **outcomes,
    )


def _outcome(people: Sequence[tuple[CaseFacts, CasePeople]], name: str) -> Amount:
    told = [(c, p) for c, p in people if getattr(p, name) is not None]
    if not told:
        everyone = tuple(c.number for c, _ in people)
        return Amount(None, "persons", "", (), NotKnown(NO_OUTCOMES, len(everyone), everyone))
    missing = tuple(c.number for c, p in people if getattr(p, name) is None)
    return Amount(
        sum(getattr(p, name) for _, p in told),
        "persons",
        _sources(p for _, p in told),
        tuple(c.number for c, _ in told),
        NotKnown(NO_OUTCOMES, len(missing), missing) if missing else None,
    )


def _sources(people) -> str:
    return "; ".join(sorted({p.source for p in people}))
