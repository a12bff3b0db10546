"""The persons register and the personal content of log entries in the package body (since
format version 6), redacted by the package's purpose.

The log travels whole in every package: its entries hold nothing personal, only the
commitment to their personal content (``sarapp.privacy``). ``personal`` carries that content
only when the disclosure allows personal data, and ``persons`` carries each record's personal
values likewise (else null): so a package for flag-state information carries counts and
statuses and still verifies and imports like any other, its chain whole.
"""

from __future__ import annotations

from typing import Any

from sarapp.exchange.errors import PackageError
from sarapp.model import CaseId
from sarapp.privacy import COMMITMENT_KEY, Disclosure, commitment
from sarapp.register import CATEGORIES, Counts, Person
from sarapp.store import Desk


def persons_body(
    store: Desk, case_id: CaseId, disclosure: Disclosure
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The body's ``persons`` (None without a register) and ``personal``."""
    register = store.persons.register(case_id)
    persons = None
    if register.exists:
        persons = {
            "counts": counts_json(register.counts),
            "records": [
                record_json(p, with_personal=disclosure.personal) for p in register.persons
            ],
        }
    personal = store.privacy.package_contents(case_id) if disclosure.personal else []
    return persons, personal


def counts_json(counts: Counts) -> dict[str, Any]:
    return {c: {"total": counts.total[c], "counted": counts.counted[c]} for c in CATEGORIES}


def record_json(person: Person, *, with_personal: bool) -> dict[str, Any]:
    held = with_personal and person.personal == "held"
    return {
        "id": person.id,
        "number": person.number,
        "status": person.status,
        "unit": person.unit,
        "recovered": person.recovered,
        "taken_to": person.taken_to,
        "personal_state": person.personal,
        "personal": person.personal_values() if held else None,
    }


def disclosed_subjects(store: Desk, case_id: CaseId) -> list[str]:
    """Whose personal data a package carrying it discloses: each person with personal values
    held, and each personal note (``entry:<id>``)."""
    register = store.persons.register(case_id)
    subjects = [p.id for p in register.persons if p.personal == "held" and _has_values(p)]
    named: set[str] = set()
    for entry in store.log.entries(case_id):
        listed = register_subjects(entry.data)
        if listed is not None:
            named.add(entry.id)
            subjects += listed
    for entry_id, content in store.privacy.contents(case_id).items():
        if content.state == "held" and entry_id not in named:
            subjects.append(f"entry:{entry_id}")
    return list(dict.fromkeys(subjects))


def register_subjects(data: dict[str, Any]) -> list[str] | None:
    """The persons whose personal values a register edit's entry records (its ``data``);
    None for any other entry (a personal note is its own subject, ``entry:<id>``)."""
    listed = (data.get("register") or {}).get("personal")
    return [str(x) for x in listed] if isinstance(listed, list) else None


def _has_values(person: Person) -> bool:
    values = person.personal_values()
    return any(v not in ("", None, False) for v in values.values())


def check_personal_references(body: dict[str, Any]) -> None:
    """Each personal content belongs to an entry of the log that commits to exactly it; record
    ids are unique (PackageError otherwise)."""
    entries = {e["id"]: e for e in body["log"]}
    seen: set[str] = set()
    for item in body.get("personal", []):
        entry = entries.get(item["entry_id"])
        if entry is None or item["entry_id"] in seen:
            raise PackageError(
                f"personal content of entry {item['entry_id']}: not an entry of the log, or twice"
            )
        seen.add(item["entry_id"])
        sealed = entry["data"].get(COMMITMENT_KEY)
        if sealed != commitment(item["salt"], item["text"], item["values"]):
            raise PackageError(
                f"personal content of log entry seq {entry['seq']} does not match the "
                "commitment its entry holds (altered)"
            )
    persons = body.get("persons")
    if persons is not None:
        ids = [r["id"] for r in persons["records"]]
        if len(set(ids)) != len(ids):
            raise PackageError("persons: the same person id appears twice")


def commitments(body: dict[str, Any]) -> dict[str, str]:
    """Entry id → commitment of every log entry that has personal content."""
    found = {}
    for entry in body["log"]:
        sealed = entry["data"].get(COMMITMENT_KEY)
        if isinstance(sealed, str):
            found[entry["id"]] = sealed
    return found


__all__ = [
    "check_personal_references",
    "commitments",
    "counts_json",
    "disclosed_subjects",
    "persons_body",
    "record_json",
    "register_subjects",
]
