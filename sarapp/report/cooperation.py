"""Cooperation between states: handovers of coordination, information packages to flag
states, and cases whose flag state is not the state of the RCC coordinating them.

Handovers come from the coordination history (proposed, accepted, declined, matched by the
proposal's package id); packages from the packages sent; states from the case's flag and
the country of its responsible RCC as the desk's identity and trust list name it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sarapp.model_report import ReportRccRow
from sarapp.report.facts import CaseFacts
from sarapp.report.figures import Count, Durations, NotKnown, count
from sarapp.report.stats import mean, median, percentile_nearest_rank


@dataclass(frozen=True)
class CooperationSection:
    handovers_proposed: Count  # value: proposals (a case may have several)
    handovers_accepted: Count
    handovers_declined: Count
    handovers_unanswered: Count
    time_to_acceptance: Durations  # cases: one entry per accepted proposal
    information_packages_sent: Count  # value: packages
    information_packages_undelivered: Count  # still in the outbox (prepared, or failed)
    information_to_flag_state: Count  # value: packages to an RCC of the case's flag state
    flag_differs: Count
    flag_same: Count
    flag_state_not_known: Count


def cooperation_section(
    opened: Sequence[CaseFacts], rccs: Mapping[str, ReportRccRow]
) -> CooperationSection:
    proposed, accepted, declined, unanswered, waits = [], [], [], [], []
    for case in opened:
        answers = {
            k.package_id: k for k in case.coordination if k.event in ("accepted", "declined")
        }
        for event in case.coordination:
            if event.event == "proposed":
                proposed.append(case)
                answer = answers.get(event.package_id) if event.package_id else None
                if answer is None:
                    unanswered.append(case)
                elif answer.event == "accepted":
                    waits.append((case, (answer.time - event.time).total_seconds()))
            elif event.event == "accepted":
                accepted.append(case)
            elif event.event == "declined":
                declined.append(case)
    info, to_flag, info_unknown, undelivered = [], [], [], []
    for case in opened:
        for package in case.packages:
            if package.direction != "sent" or package.purpose != "information":
                continue
            info.append(case)
            if package.outbox in ("prepared", "failed"):
                undelivered.append(case)
            peer = rccs.get(package.peer_rcc)
            if not case.flag or peer is None or not peer.country:
                info_unknown.append(case)
            elif peer.country.upper() == case.flag:
                to_flag.append(case)
    differs = [c for c in opened if c.flag and c.rcc_country and c.flag != c.rcc_country]
    same = [c for c in opened if c.flag and c.rcc_country and c.flag == c.rcc_country]
    not_known = [c for c in opened if not (c.flag and c.rcc_country)]
    values = [w for _, w in waits]
    return CooperationSection(
        handovers_proposed=_events(proposed),
        handovers_accepted=_events(accepted),
        handovers_declined=_events(declined),
        handovers_unanswered=_events(unanswered),
        time_to_acceptance=Durations(
            n=len(values),
            median_s=median(values),
            p90_s=percentile_nearest_rank(values, 0.9),
            mean_s=mean(values),
            min_s=min(values, default=None),
            max_s=max(values, default=None),
            cases=tuple(c.number for c, _ in waits),
            values_s=tuple(values),
        ),
        information_packages_sent=_events(info),
        information_packages_undelivered=_events(undelivered),
        information_to_flag_state=Count(
            len(to_flag),
            _numbers(to_flag),
            NotKnown(
                "the case's flag, or the country of the RCC the package went to, is not "
                "known to this desk (its identity and trust list name the RCCs' countries)",
                len(info_unknown),
                _numbers(info_unknown),
            )
            if info_unknown
            else None,
        ),
        flag_differs=count(differs),
        flag_same=count(same),
        flag_state_not_known=Count(
            len(not_known),
            _numbers(not_known),
            NotKnown(
                "flag not recorded, or the responsible RCC or its country not known to this desk",
                len(not_known),
                _numbers(not_known),
            )
            if not_known
            else None,
        ),
    )


def _events(cases: Sequence[CaseFacts]) -> Count:
    """A count of events (one per item, a case may appear more than once) and their cases."""
    return Count(len(cases), _numbers(cases))


def _numbers(cases: Sequence[CaseFacts]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.number for c in cases))
