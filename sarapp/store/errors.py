"""The store's exceptions: one per family of operation, each message one line a coordinator
can act on (what is wrong, and with which field or file)."""

from __future__ import annotations

from sarapp.errors import SarappError


class StoreError(SarappError):
    """The desk database cannot be opened or written; the message says why and what to do."""


class DuplicateError(StoreError):
    """A write the database refused because the row would repeat a unique value."""


class CaseError(SarappError, ValueError):
    """A case reference or a case operation that cannot be carried out."""


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
    "DriftStoreError",
    "DuplicateError",
    "HandoverError",
    "PlanError",
    "StoreError",
    "TrustError",
    "UnitError",
]
