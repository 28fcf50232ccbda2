"""Persistence: records in, records out; no Azure rules live here."""

from vmss_emulator.store.records import OperationRecord, Record
from vmss_emulator.store.sqlite import SQLiteStore

__all__ = ["OperationRecord", "Record", "SQLiteStore"]
