"""A person's request (the right of access): everything the desk holds about one person of a
register, and every time their data was displayed or left the desk."""

from __future__ import annotations

from typing import Any

from sarapp.chain import time_text as time_to_text
from sarapp.register import person_json
from sarapp.store import Desk


def subject_report(store: Desk, person_ref: str) -> dict[str, Any]:
    """The person's record, the case it belongs to, each log entry that recorded something
    about them (with its personal content where the desk still holds it) and each disclosure
    of their data (who, to whom, why, when). Read through the store's read methods only."""
    person = store.persons.person(person_ref)
    case = store.cases.get(person.case_id)
    contents = store.privacy.contents(case.id)
    entries = []
    for entry in store.log.entries(case.id):
        register = entry.data.get("register")
        if not isinstance(register, dict):
            continue
        touched = {str(p.get("id")) for p in register.get("persons", []) if isinstance(p, dict)}
        named = person.id in (register.get("personal") or [])
        if person.id not in touched and not named and register.get("op") != "purged":
            continue
        content = contents.get(entry.id)
        item = {"time": time_to_text(entry.time), "author": entry.author, "text": entry.text,
                "entry_id": entry.id}  # fmt: skip
        if named and content is not None:
            item["personal"] = (
                content.values["persons"].get(person.id) if content.state == "held" else None
            )
            item["personal_state"] = content.state
        entries.append(item)
    disclosures = [
        {"time": time_to_text(d.time), "who": d.author, "kind": d.kind, "to": d.recipient,
         "purpose": d.purpose, "reason": d.reason, "entry_id": d.entry_id}
        for d in store.privacy.disclosures(case.id, subject=person.id)
    ]  # fmt: skip
    return {
        "person": person_json(person),
        "case": {
            "id": case.id,
            "number": case.number,
            "title": case.title,
            "status": case.status.value,
        },
        "log": entries,
        "disclosures": disclosures,
    }


__all__ = ["subject_report"]
