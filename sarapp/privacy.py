"""Data protection, as values: the purposes personal data may be processed for, which of them
need it, and the salted commitment that lets a log entry's personal content be erased while
the hash chain still checks (``docs/data-protection.md``).

An entry with personal content keeps that content *beside* the log (``log_personal``), and
its ``data`` holds ``personal_sha256``: the SHA-256 of the canonical JSON of
``{"salt", "text", "values"}``, where the salt is 16 random bytes (hex). The entry hash covers
``data`` as always, so the chain covers the commitment, and the commitment covers the content:
changing the content shows, and erasing it (salt included) leaves the chain whole. Without
the salt, a purged name could be found again by trying names against the commitment.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sarapp.errors import SarappError
from sarapp.personfields import PURGED, WITHHELD

COMMITMENT_KEY = "personal_sha256"  # member of a log entry's data


class PrivacyError(SarappError, ValueError):
    """A processing of personal data the desk refuses; the message says what is missing."""


class Purpose(StrEnum):
    """Why personal data is processed (displayed, exported, sent): chosen from this list."""

    COORDINATION = "coordination"
    MEDICAL = "medical"
    DISEMBARKATION = "disembarkation"
    IDENTIFICATION = "identification"
    FLAG_STATE = "flag-state"
    STATISTICS = "statistics"
    SUBJECT_ACCESS = "subject-access"

    @property
    def label(self) -> str:
        return PURPOSE_LABELS[self]

    @property
    def needs_personal(self) -> bool:
        """Whether this purpose needs the personal values (else counts and statuses only)."""
        return self not in (Purpose.FLAG_STATE, Purpose.STATISTICS)

    @property
    def may_include_personal(self) -> bool:
        """Whether an officer may include them anyway, giving the reason (never for
        statistics: figures need no one's name)."""
        return self is not Purpose.STATISTICS


PURPOSE_LABELS = {
    Purpose.COORDINATION: "coordination of the rescue",
    Purpose.MEDICAL: "medical care",
    Purpose.DISEMBARKATION: "disembarkation",
    Purpose.IDENTIFICATION: "identification of the dead",
    Purpose.FLAG_STATE: "flag-state information",
    Purpose.STATISTICS: "statistics",
    Purpose.SUBJECT_ACCESS: "the person's own request (right of access)",
}
CHOSEN_PURPOSES = tuple(p for p in Purpose if p is not Purpose.SUBJECT_ACCESS)


def purpose_of(text: str | Purpose) -> Purpose:
    try:
        return Purpose(str(text).lower())
    except ValueError:
        choices = ", ".join(p.value for p in CHOSEN_PURPOSES)
        raise PrivacyError(f"unknown purpose {text!r} (one of: {choices})") from None


@dataclass(frozen=True)
class Disclosure:
    """What a processing passes on: the purpose, whether personal values go with it, and the
    reason an officer gave to include them where the purpose does not need them."""

    purpose: Purpose
    personal: bool
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"purpose": self.purpose.value, "personal_data": self.personal,
                "reason": self.reason}  # fmt: skip


def decide(
    purpose: str | Purpose, *, include_personal: bool = False, reason: str = ""
) -> Disclosure:
    """The disclosure for ``purpose``: personal values go when the purpose needs them, or when
    the officer ticks ``include_personal`` and gives a ``reason`` (PrivacyError otherwise)."""
    chosen = purpose_of(purpose)
    reason = reason.strip()
    if chosen.needs_personal:
        return Disclosure(chosen, True, reason)
    if not include_personal:
        return Disclosure(chosen, False, "")
    if not chosen.may_include_personal:
        raise PrivacyError(f"{chosen.label} never carries personal data: figures need no names")
    if not reason:
        raise PrivacyError(
            f"personal data for {chosen.label} needs a reason (it does not need them): "
            "give --reason"
        )
    return Disclosure(chosen, True, reason)


def new_salt() -> str:
    return secrets.token_hex(16)


def commitment(salt: str, text: str, values: Any) -> str:
    """SHA-256 (hex) of ``{"salt", "text", "values"}`` as canonical JSON (sorted keys, no
    spaces, UTF-8 unescaped): what an entry's ``data.personal_sha256`` holds."""
    content = {"salt": salt, "text": text, "values": values}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PersonalContent:
    """The personal content of one log entry: held (with salt, text and values), purged or
    withheld (content gone; the entry's commitment stays in the chain)."""

    entry_id: str
    state: str  # held, purged, withheld
    text: str = ""
    values: Any = None
    salt: str = ""

    @property
    def shown(self) -> str:
        """What a reader of the log sees of it."""
        if self.state == "held":
            return self.text
        return PURGED if self.state == "purged" else WITHHELD


def shown_text(text: str, content: PersonalContent | None) -> str:
    """An entry's text with its personal part, as the log shows it."""
    if content is None:
        return text
    return f"{text}: {content.shown}" if content.shown else text


__all__ = [
    "CHOSEN_PURPOSES",
    "COMMITMENT_KEY",
    "Disclosure",
    "PersonalContent",
    "PrivacyError",
    "Purpose",
    "commitment",
    "decide",
    "new_salt",
    "purpose_of",
    "shown_text",
]
