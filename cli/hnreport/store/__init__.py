"""The only place with SQL: the store (connection, transactions, journal) and its repositories."""

from hnreport.store.core import Store
from hnreport.store.location import resolve_db_path

__all__ = ["Store", "resolve_db_path"]
