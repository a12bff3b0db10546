"""The store's exceptions: one per family of operation, each message one line a coordinator
can act on (what is wrong, and with which field or file)."""

from __future__ import annotations

from typing import Any

from sarapp.errors import SarappError


class StoreError(SarappError):
    """The desk database cannot be opened or written; the message says why and what to do."""


class DuplicateError(StoreError):
    """A write the database refused because the row would repeat a unique value."""


class ConnectionLost(StoreError):
    """The desk's server went away (it died, or the link dropped): what was being written is
    not known to be stored. The desk reconnects on its next use (to a promoted standby when
    the location names one, ``target_session_attrs=read-write``); until then it raises this."""


class ReadOnlyDesk(StoreError):
    """A write on a desk this login may only read (a PostgreSQL viewer, a read-only file).
    Raised before anything is sent to the database."""


class CaseError(SarappError, ValueError):
    """A case reference or a case operation that cannot be carried out."""


class FieldConflict(CaseError):
    """A case field was changed (on another desk, or in another window) while the officer
    edited it: nothing was written. ``seen`` is what the officer's form showed when the edit
    began, ``current`` what is stored now, ``yours`` what the officer wanted to save (each a
    value as ``Case`` holds it). To settle it, save the chosen value again with
    ``expected=conflict.current`` (``desk.cases.set_field``); it is logged like any edit."""

    def __init__(
        self, *, case_id: str, field: str, label: str, seen: Any, current: Any, yours: Any
    ) -> None:
        self.case_id = case_id
        self.field = field
        self.label = label
        self.seen = seen
        self.current = current
        self.yours = yours
        super().__init__(
            f"{label} was changed to {_shown(current)} by another desk while you edited it "
            f"(you saw {_shown(seen)}, you entered {_shown(yours)}): choose which to keep"
        )


def _shown(value: Any) -> str:
    return (
        "(empty)" if value in (None, "") else repr(value) if isinstance(value, str) else str(value)
    )


class UnitError(SarappError, ValueError):
    """A unit record or unit position that cannot be stored; the message names the field."""


class PlanError(SarappError, ValueError):
    """A search plan that cannot be stored or changed; the message names the field."""


class DriftStoreError(SarappError, ValueError):
    """A drift run that cannot be kept as given; the message names the field."""


class HandoverError(SarappError, ValueError):
    """An import or coordination step that cannot be carried out; the message says why."""


class TrustError(SarappError, ValueError):
    """The desk's identity or trust list cannot be changed as asked; the message says why."""


__all__ = [
    "CaseError",
    "ConnectionLost",
    "DriftStoreError",
    "DuplicateError",
    "FieldConflict",
    "HandoverError",
    "PlanError",
    "ReadOnlyDesk",
    "StoreError",
    "TrustError",
    "UnitError",
]
