"""The SQLite layer: the only code that reads or writes the desk database."""

from sarapp.store.connection import StoreError
from sarapp.store.store import CaseError, Store
from sarapp.store.units import UnitError

__all__ = ["CaseError", "Store", "StoreError", "UnitError"]
