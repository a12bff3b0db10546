"""The SITREP's words for the persons register and the place of safety.

- D: the persons at risk from the register's counts (``60 ON BOARD: 55 RESCUED, 3 MISSING,
  2 DEAD``) where the case has a register, else the case's persons on board.
- E (short form too): a place of safety requested and not yet assigned is assistance required.
- M: the disembarkation planned (port assigned, by which authority and when, the unit carrying
  the persons, the expected time); N: the disembarkation done.
- N lists persons by name only when the SITREP may carry personal data (``names``): a
  SITREP for flag-state information or statistics names no one.
"""

from __future__ import annotations

from sarapp.chain import time_from_text
from sarapp.geo import format_dtg
from sarapp.model import Case
from sarapp.register import OUTCOMES, Register

MAX_NAMED = 60  # persons listed by name in paragraph N; the rest are counted
_OUTCOME_WORDS = {"rescued": "RESCUED", "missing": "MISSING", "dead": "DEAD",
                  "medevac": "MEDEVAC"}  # fmt: skip


def persons_at_risk(case: Case, register: Register | None) -> str:
    """Paragraph D."""
    counts = register.counts if register is not None else None
    on_board = counts.total["on_board"] if counts is not None else None
    if on_board is None:
        on_board = case.pob
    if counts is None or all(counts.total[c] is None for c in OUTCOMES):
        return "UNKNOWN" if on_board is None else str(on_board)
    told = [f"{counts.total[c]} {_OUTCOME_WORDS[c]}" for c in OUTCOMES if counts.total[c]]
    head = "NUMBER ON BOARD UNKNOWN" if on_board is None else f"{on_board} ON BOARD"
    return f"{head}: {', '.join(told) or 'NONE ACCOUNTED FOR YET'}"


def assistance(case: Case) -> str:
    """Paragraph E's part: a place of safety still to be assigned."""
    if case.port_requested and not case.port_assigned:
        when = f" {_when(case.port_requested_at)}" if case.port_requested_at else ""
        return f"PLACE OF SAFETY REQUESTED ({case.port_requested}{when})"
    return ""


def disembarkation_plans(case: Case) -> str:
    """Paragraph M's part: the disembarkation assigned and not yet done."""
    if not case.port_assigned or case.disembarked_at:
        return ""
    text = f"DISEMBARKATION AT {case.port_assigned}"
    by = [case.port_authority] if case.port_authority else []
    if case.port_assigned_at:
        by.append(_when(case.port_assigned_at))
    if by:
        text += f" (PLACE OF SAFETY ASSIGNED BY {' '.join(by)})"
    if case.disembark_unit:
        text += f", PERSONS CARRIED BY {case.disembark_unit}"
    if case.disembark_eta:
        text += f", EXPECTED {_when(case.disembark_eta)}"
    return text


def disembarked(case: Case) -> str:
    """Paragraph N's part: the disembarkation done."""
    if not case.disembarked_at:
        return ""
    port = case.port_assigned or case.port_requested or "PLACE OF SAFETY"
    text = f"PERSONS DISEMBARKED AT {port} {_when(case.disembarked_at)}"
    return text + (f" FROM {case.disembark_unit}" if case.disembark_unit else "")


def named_persons(register: Register | None) -> str:
    """Paragraph N's list of persons by name (only for a SITREP that may carry them)."""
    if register is None:
        return ""
    held = [p for p in register.persons if p.personal == "held" and p.name]
    if not held:
        return ""
    parts = []
    for person in held[:MAX_NAMED]:
        words = [person.label, person.name]
        words += [f"{person.age} Y"] if person.age is not None else []
        words += [w for w in (person.sex, person.nationality) if w]
        words.append(person.status.upper())
        parts.append(" ".join(words))
    more = len(held) - MAX_NAMED
    return "PERSONS: " + "; ".join(parts) + (f"; {more} MORE IN THE REGISTER" if more > 0 else "")


def _when(text: str) -> str:
    return format_dtg(time_from_text(text))


__all__ = ["assistance", "disembarkation_plans", "disembarked", "named_persons",
           "persons_at_risk"]  # fmt: skip
