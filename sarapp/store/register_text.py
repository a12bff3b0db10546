"""How the log words a change of the persons register: the log's own text holds nothing
personal (it is indexed and travels in every package); the personal part is worded apart and
kept under the entry's commitment."""

from __future__ import annotations

from collections.abc import Sequence

from sarapp.personfields import PERSON_FIELDS
from sarapp.register import Person

MAX_LISTED = 20  # persons named by label in one line


def added_text(person: Person) -> str:
    """``Person P7 added: rescued, by SNS 061 at 141230Z NOV 26, taken to Valletta``."""
    parts = [person.status]
    if person.unit:
        parts.append(f"by {person.unit}")
    if person.recovered:
        parts[-1] += f" at {PERSON_FIELDS['recovered'].format(person.recovered)}"
    if person.taken_to:
        parts.append(f"taken to {person.taken_to}")
    return f"Person {person.label} added: " + ", ".join(parts)


def personal_text(person: Person) -> str:
    """``P7 John Smith, 34 y, M, GB, medical care; note: …`` (what is known of it)."""
    parts = [person.name or "(no name)"]
    if person.age is not None:
        parts.append(f"{person.age} y")
    if person.sex:
        parts.append(person.sex)
    if person.nationality:
        parts.append(person.nationality)
    if person.medical:
        parts.append("medical care")
    text = f"{person.label} " + ", ".join(parts)
    return text + (f"; note: {person.note}" if person.note else "")


def status_text(changed: Sequence[Person], status: str) -> str:
    labels = [p.label for p in changed[:MAX_LISTED]]
    more = f" and {len(changed) - MAX_LISTED} more" if len(changed) > MAX_LISTED else ""
    noun = "person" if len(changed) == 1 else "persons"
    return f"Status of {len(changed)} {noun} set to {status}: {', '.join(labels)}{more}"


__all__ = ["added_text", "personal_text", "status_text"]
