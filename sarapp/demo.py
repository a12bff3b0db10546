"""The demo case a new desk opens with, so a first start shows what the desk does.

Clearly marked (``is_demo``, "DEMO" in the title); its content is data in
``resources/demo_case.json`` and entirely fictitious.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sarapp.model import AlertPhase, CaseId, Position, utc_now
from sarapp.resources import resource_path
from sarapp.store import Store

DEMO_AUTHOR = "sarapp demo"


def create_demo_case(store: Store) -> CaseId:
    """Open the demo case with its positions and log, times relative to now."""
    spec = json.loads(resource_path("demo_case.json").read_text(encoding="utf-8"))
    now = utc_now()
    with store.transaction():
        changes = store.create_case(
            title=spec["title"],
            author=DEMO_AUTHOR,
            phase=AlertPhase.INCERFA,
            values=spec["values"],
            is_demo=True,
            time=now - timedelta(minutes=110),
        )
        (case_id,) = changes.cases
        events = [("note", n["minutes_ago"], n) for n in spec["notes"]]
        events += [("position", p["minutes_ago"], p) for p in spec["positions"]]
        for kind, _, item in sorted(events, key=lambda e: -e[1]):
            if kind == "note":
                store.append(case_id, item["text"], author=DEMO_AUTHOR)
            else:
                when = now - timedelta(minutes=item["minutes_ago"])
                position = Position(
                    item["lat"],
                    item["lon"],
                    time=when,
                    source=item["source"],
                    accuracy_m=item["accuracy_m"],
                )
                store.add_position(case_id, position, author=DEMO_AUTHOR)
        store.set_phase(case_id, spec["phase"], author=DEMO_AUTHOR, reason="water level rising")
    return case_id
