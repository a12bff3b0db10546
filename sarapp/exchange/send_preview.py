"""What a package about to be sent holds, as the handover dialog shows it before signing:
the case, what comes with it, who coordinates, who signs, and the SITREP as it will go out.

It reads each of the case's records once (a case may hold 10,000 log entries), so the
dialog can build it in a worker on a connection of its own.
"""

from __future__ import annotations

from sarapp.exchange.keys import DeskKeys, Rcc
from sarapp.exchange.sitrep import sitrep_text
from sarapp.geo import format_dtg
from sarapp.store import Store


def send_preview(
    store: Store,
    case_ref: str,
    *,
    keys: DeskKeys,
    to: Rcc,
    sitrep: str | None,
    attachments: int = 0,
) -> str:
    """The preview text; ``sitrep`` is "short", "full" or None."""
    case = store.get_case(case_ref)
    log, positions = store.log(case.id), store.positions(case.id)
    plans, runs = store.search_plans(case.id), store.drift_runs(case.id)
    coordinator = store.coordinator(case.id)
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
        )
        lines += ["", text]
    return "\n".join(lines)


__all__ = ["send_preview"]
