"""The SQLite layer: the only code that reads or writes the desk database."""

from sarapp.store.check import CheckReport
from sarapp.store.connection import StoreError
from sarapp.store.store import CaseError, SearchHit, Store
from sarapp.store.units import UnitError

__all__ = ["CaseError", "CheckReport", "SearchHit", "Store", "StoreError", "UnitError"]
