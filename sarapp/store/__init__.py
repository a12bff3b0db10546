"""The desk database: the only code that reads or writes it.

``Desk`` owns the connection, transactions, clock and chain writer; its repositories
(``desk.cases``, ``desk.log``, ``desk.units``, ``desk.plans``, ``desk.drift``,
``desk.packages``, ``desk.alerts``, ``desk.coordination``, ``desk.trust``, ``desk.outbox``,
``desk.reports``) hold the SQL. ``sarapp.store.backend`` is the seam to SQLite
(``sarapp.store.sqlite``) and PostgreSQL (``sarapp.store.pg``).
"""

from sarapp.store.backend import DeskAccess
from sarapp.store.desk import Desk
from sarapp.store.errors import (
    CaseError,
    ConnectionLost,
    DriftStoreError,
    DuplicateError,
    FieldConflict,
    HandoverError,
    PlanError,
    ReadOnlyDesk,
    StoreError,
    TrustError,
    UnitError,
)

__all__ = [
    "CaseError",
    "ConnectionLost",
    "Desk",
    "DeskAccess",
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
