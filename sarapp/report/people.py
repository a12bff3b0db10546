"""People: persons in distress and what became of them, with the source of each figure.

``case_people`` is the one place that reads a case's people: a case with a persons register
(issue 16) gives its counts (persons on board, rescued and medevac'd, dead, missing) and its
dead sorted by what the register's times tell; any other case gives its persons on board
(the case field ``pob``) and no outcome. Every figure says which source it counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sarapp.report.facts import CaseFacts
from sarapp.report.figures import Amount, NotKnown

POB_SOURCE = "case field 'Persons on board' (pob)"
REGISTER_SOURCE = "persons register"
ASSISTED_SOURCE = "closing outcome 'persons assisted'"
NO_OUTCOMES = (
    "no outcome per person is recorded for these cases (rescued, dead, missing): "
    "they have no persons register, only persons on board"
)
NO_ASSISTED = (
    "these cases have no closing outcome (still open, closed without one, or by an older "
    "sarapp), or no persons on board recorded: whether persons were assisted is not known"
)
ASSISTED_OUTCOME = "assisted"  # sarapp.outcomes: persons assisted, none needed rescue
NO_DEATH_TIMES = (
    "these cases have no persons register, or dead whose recovery time and logged statuses "
    "do not tell whether the life was lost before or after the first alert"
)
LOST_BEFORE_SOURCE = "persons register: dead recovered before the first alert"
LOST_AFTER_SOURCE = "persons register: dead logged rescued or medevac'd after the first alert"
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
    lost_before: int | None = None  # lives lost before the first alert (None: no register)
    lost_after: int | None = None
    lost_unknown: int | None = None  # dead the register's times do not sort

    @property
    def unaccounted(self) -> int | None:
        """Persons in distress whose outcome is not recorded (None when those are not known)."""
        if self.in_distress is None:
            return None
        told = (self.rescued, self.assisted, self.dead, self.missing)
        return self.in_distress - sum(v for v in told if v)


def case_people(case: CaseFacts) -> CasePeople:
    """The persons of a case: its register's counts where it has a register with counts,
    else the case field (persons on board, no outcome per person); with ``assisted`` from
    the closing outcome (``_assisted``).

    From the register: persons in distress are those on board (or, when the outcomes counted
    make more, as many as they make; the case field when on board is not counted), rescued
    are the rescued and the medevac'd, dead and missing as counted; 'assisted' is not a
    status of the register."""
    register = case.register
    totals = register.totals if register is not None else {}
    if register is None or all(v is None for v in totals.values()):
        return CasePeople(case.pob, None, _assisted(case, case.pob), None, None, POB_SOURCE)
    rescued = _plus(totals.get("rescued"), totals.get("medevac"))
    dead, missing = totals.get("dead"), totals.get("missing")
    on_board = totals.get("on_board")
    if on_board is None:
        on_board = case.pob
    told = sum(v or 0 for v in (rescued, dead, missing))
    in_distress = None if on_board is None and not told else max(on_board or 0, told)
    assisted = _assisted(case, in_distress, rescued, dead, missing)
    return CasePeople(in_distress, rescued, assisted, dead, missing, REGISTER_SOURCE,
                      register.lost_before, register.lost_after, register.lost_unknown)  # fmt: skip


def _assisted(case: CaseFacts, in_distress: int | None, *told: int | None) -> int | None:
    """Persons assisted: a case closed 'assisted' (towed, escorted, helped) assisted every
    person in distress its register does not count rescued, dead or missing; a case closed
    with any other outcome assisted none; without an outcome (or persons) it is not known."""
    if not case.outcome or in_distress is None:
        return None
    if case.outcome != ASSISTED_OUTCOME:
        return 0
    return max(0, in_distress - sum(v or 0 for v in told))


def _plus(a: int | None, b: int | None) -> int | None:
    return None if a is None and b is None else (a or 0) + (b or 0)


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
    outcomes = {name: _outcome(people, name) for name in OUTCOMES if name != "assisted"}
    outcomes["assisted"] = _assisted_amount(people)
    rest = [(c, p.unaccounted or 0) for c, p in known]
    not_recorded = Amount(
        sum(v for _, v in rest),
        "persons",
        "persons in distress less the outcomes recorded",
        tuple(c.number for c, v in rest if v),
    )
    return PeopleSection(
        in_distress=in_distress,
        outcome_not_recorded=not_recorded,
        lives_lost_before_notification=_lost(people, "lost_before", LOST_BEFORE_SOURCE),
        lives_lost_after_notification=_lost(people, "lost_after", LOST_AFTER_SOURCE),
        **outcomes,
    )


def _lost(people: Sequence[tuple[CaseFacts, CasePeople]], name: str, source: str) -> Amount:
    """Lives lost before (after) the first alert, over the cases with a register; the cases
    without one, or with dead the register's times do not sort, are not known."""
    told = [(c, getattr(p, name)) for c, p in people if getattr(p, name) is not None]
    unsure = tuple(c.number for c, p in people if p.lost_before is None or p.lost_unknown)
    if not told:
        everyone = tuple(c.number for c, _ in people)
        return Amount(None, "persons", "", (), NotKnown(NO_DEATH_TIMES, len(everyone), everyone))
    return Amount(
        sum(v for _, v in told),
        "persons",
        source,
        tuple(c.number for c, v in told if v),
        NotKnown(NO_DEATH_TIMES, len(unsure), unsure) if unsure else None,
    )


def _assisted_amount(people: Sequence[tuple[CaseFacts, CasePeople]]) -> Amount:
    told = [(c, p.assisted) for c, p in people if p.assisted is not None]
    unknown = tuple(c.number for c, p in people if p.assisted is None)
    return Amount(
        sum(v for _, v in told) if told else None,
        "persons",
        ASSISTED_SOURCE if told else "",
        tuple(c.number for c, v in told if v),
        NotKnown(NO_ASSISTED, len(unknown), unknown) if unknown else None,
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
