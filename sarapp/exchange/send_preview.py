"""What a package about to be sent holds, as the handover dialog shows it before signing:
the case, what comes with it, who coordinates, who signs, and the SITREP as it will go out.

It reads each of the case's records once (a case may hold 10,000 log entries), so the
dialog can build it in a worker on a connection of its own.
"""

from __future__ import annotations

from sarapp.exchange.keys import DeskKeys, Rcc
from sarapp.exchange.sitrep import sitrep_text
from sarapp.geo import format_dtg
from sarapp.privacy import Disclosure, Purpose
from sarapp.store import Desk


def send_preview(
    store: Desk,
    case_ref: str,
    *,
    keys: DeskKeys,
    to: Rcc,
    sitrep: str | None,
    attachments: int = 0,
    disclosure: Disclosure | None = None,
) -> str:
    """The preview text; ``sitrep`` is "short", "full" or None; ``disclosure``: what goes of
    the persons' data (default: counts and statuses only)."""
    disclosure = disclosure or Disclosure(Purpose.FLAG_STATE, False)
    case = store.cases.get(case_ref)
    log, positions = store.log.entries(case.id), store.cases.positions(case.id)
    plans, runs = store.plans.for_case(case.id), store.drift.runs(case.id)
    coordinator = store.coordination.coordinator(case.id)
    origin = f" ({case.origin_text})" if case.origin_rcc else ""
    lines = [
        f"Case {case.number}{origin} {case.title} ({case.id})",
        f"Includes: the case, {len(log)} log entries (+ the 'sent' line), {len(positions)} "
        f"positions, {len(runs)} drift runs, {len(plans)} search plans, {attachments} "
        "attachments",
        "Coordinating RCC: "
        + (
            f"{coordinator.rcc_id} since {format_dtg(coordinator.since)}"
            if coordinator
            else "not recorded"
        ),
        f"Signed by this desk, fingerprint {keys.fingerprint}",
        "Persons: " + _persons_line(store, case.id, disclosure),
    ]
    if sitrep:
        sender = keys.require_rcc()
        text = sitrep_text(
            case,
            positions=positions,
            log=log,
            sender=sender.name or sender.id,
            to=[to.name or to.id],
            full=sitrep == "full",
            plans=plans,
            drift_runs=runs,
            register=store.persons.register(case.id),
            names=disclosure.personal,
        )
        lines += ["", text]
    return "\n".join(lines)


def _persons_line(store: Desk, case_id: str, disclosure: Disclosure) -> str:
    register = store.persons.register(case_id)
    if not register.exists:
        return "no register"
    what = f"the register ({len(register.persons)} records and the counts)"
    if not disclosure.personal:
        return f"{what}, counts and statuses only, for {disclosure.purpose.label}"
    reason = f"; reason: {disclosure.reason}" if disclosure.reason else ""
    return f"{what} with personal data, for {disclosure.purpose.label}{reason}"


__all__ = ["send_preview"]
