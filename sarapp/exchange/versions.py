"""Handover format versions and the numbered steps that upgrade an older package on reading.

Each step turns a version-N document into version N+1 and is never edited once released;
each is tested against a golden file of version N in ``tests/data/exchange/``.

- 1 → 2: the body gains ``drift_runs`` (drift runs kept with the case); a version-1 package
  carried none, so the step adds an empty list.
- 2 → 3: the body gains ``units`` (the units the case's plans task, with their positions) and
  ``plans`` (the case's search plans); a version-2 package carried neither: empty lists.
- 3 → 4: a drift run's ``seed`` becomes a decimal string (a seed beyond 2^53 is then carried
  exactly; a version-3 seed was an integer within 2^53), a log entry may carry ``data_json``
  (``sarapp.exchange.large_ints``), and the case gains ``origin`` (the RCC that opened it and
  its number there), which a version-3 package did not state: null.
- 4 → 5: the body gains ``checkpoint``, the sender desk's signed statement of the case's log
  head (``sarapp.exchange.case_checkpoint``); a version-4 package carried none: null.
- 5 → 6: the header gains ``data_protection`` (the purpose, and whether personal data goes
  with it: a version-5 package carried none, the persons register not existing yet; its
  purpose is coordination for a handover of coordination, flag-state information else); the
  body gains ``persons`` (the register: null) and ``personal`` (the personal content of log
  entries: empty); the case gains its place of safety and disembarkation (empty, null times)
  and its closing ``outcome`` (empty).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from sarapp.exchange.errors import PackageError

FORMAT = "sarapp-handover"
CURRENT_VERSION = 6
FIRST_VERSION = 1

Step = Callable[[dict[str, Any]], dict[str, Any]]


def _v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds ``body.drift_runs``; a version-1 package had none."""
    body = document.get("body")
    if isinstance(body, dict):
        body.setdefault("drift_runs", [])
    return document


def _v2_to_v3(document: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds ``body.units`` and ``body.plans``; a version-2 package had neither."""
    body = document.get("body")
    if isinstance(body, dict):
        body.setdefault("units", [])
        body.setdefault("plans", [])
    return document


def _v3_to_v4(document: dict[str, Any]) -> dict[str, Any]:
    """Version 4 writes seeds as decimal strings and states the case's origin."""
    body = document.get("body")
    if isinstance(body, dict):
        for run in body.get("drift_runs") or []:
            if isinstance(run, dict) and isinstance(run.get("seed"), int):
                run["seed"] = str(run["seed"])
        if isinstance(body.get("case"), dict):
            body["case"].setdefault("origin", None)
    return document


def _v4_to_v5(document: dict[str, Any]) -> dict[str, Any]:
    """Version 5 adds ``body.checkpoint``; a version-4 package had none."""
    body = document.get("body")
    if isinstance(body, dict):
        body.setdefault("checkpoint", None)
    return document


_V6_CASE = {"port_requested": "", "port_requested_at": None, "port_assigned": "",
            "port_authority": "", "port_assigned_at": None, "disembark_unit": "",
            "disembark_eta": None, "disembarked_at": None, "outcome": ""}  # fmt: skip
_COORDINATION_PURPOSES = ("request-coordination", "acceptance", "refusal")


def _v5_to_v6(document: dict[str, Any]) -> dict[str, Any]:
    """Version 6 adds the register, personal content, disembarkation and the data protection
    header; a version-5 package carried no personal data of persons."""
    header = document.get("header")
    if isinstance(header, dict):
        coordination = header.get("purpose") in _COORDINATION_PURPOSES
        header.setdefault("data_protection", {
            "purpose": "coordination" if coordination else "flag-state",
            "personal_data": False,
            "reason": "",
        })  # fmt: skip
    body = document.get("body")
    if isinstance(body, dict):
        body.setdefault("persons", None)
        body.setdefault("personal", [])
        if isinstance(body.get("case"), dict):
            for name, value in _V6_CASE.items():
                body["case"].setdefault(name, value)
    return document


UPGRADES: Mapping[int, Step] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
}  # version N → step producing version N + 1


def upgrade(
    document: dict[str, Any],
    *,
    steps: Mapping[int, Step] = UPGRADES,
    current: int = CURRENT_VERSION,
) -> tuple[dict[str, Any], int | None]:
    """``document`` brought to version ``current``, and the version it had if that changed.

    Refuses versions older than the first or newer than this desk understands.
    """
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PackageError("format_version must be a whole number")
    if version > current:
        raise PackageError(
            f"package format version {version} is newer than this desk reads ({current}); "
            "update sarapp"
        )
    if version < FIRST_VERSION:
        raise PackageError(f"package format version {version} does not exist")
    if version == current:
        return document, None
    upgraded = copy.deepcopy(document)
    for step_from in range(version, current):
        if step_from not in steps:
            raise PackageError(f"no upgrade from package format version {step_from}")
        upgraded = steps[step_from](upgraded)
        upgraded["format_version"] = step_from + 1
    return upgraded, version
