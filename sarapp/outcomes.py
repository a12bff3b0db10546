"""How a case ended: the structured closing outcome chosen when a case is closed.

The closing reason stays free text for people; the outcome is one of a list, so the annual
report can count false alerts and beacon tests that opened cases without reading prose
(``docs/annual-report.md``). A reopened case has no outcome until it is closed again.
"""

from __future__ import annotations

from enum import StrEnum

from sarapp.errors import SarappError


class OutcomeError(SarappError, ValueError):
    """An outcome that is not one of the list."""


class CaseOutcome(StrEnum):
    RESCUED = "rescued"  # persons rescued
    ASSISTED = "assisted"  # persons assisted (towed, escorted, helped): none needed rescue
    RESOLVED = "resolved"  # the distress ended without a rescue (engine restarted, towed…)
    NO_TRACE = "no-trace"  # search suspended, nothing found
    FALSE_ALERT = "false-alert"  # no distress: an inadvertent or faulty alert
    BEACON_TEST = "beacon-test"  # a beacon or device tested
    HOAX = "hoax"  # a deliberate false alert
    HANDED_OVER = "handed-over"  # coordination passed to another RCC
    OTHER = "other"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    CaseOutcome.RESCUED: "persons rescued",
    CaseOutcome.ASSISTED: "persons assisted",
    CaseOutcome.RESOLVED: "resolved without a rescue",
    CaseOutcome.NO_TRACE: "search suspended, no trace",
    CaseOutcome.FALSE_ALERT: "false alert",
    CaseOutcome.BEACON_TEST: "beacon test",
    CaseOutcome.HOAX: "hoax",
    CaseOutcome.HANDED_OVER: "coordination handed over",
    CaseOutcome.OTHER: "other",
}


def parse_outcome(text: str | None) -> str:
    """The stored outcome ("" for none) of ``text``; OutcomeError names the choices."""
    word = (text or "").strip().lower()
    if not word:
        return ""
    try:
        return CaseOutcome(word).value
    except ValueError:
        choices = ", ".join(o.value for o in CaseOutcome)
        raise OutcomeError(f"unknown outcome {text!r} (one of: {choices})") from None


__all__ = ["OUTCOME_LABELS", "CaseOutcome", "OutcomeError", "parse_outcome"]
