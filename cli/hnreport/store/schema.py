"""The schema: numbered SQL migrations, applied each in one transaction with its user_version,
and what a database at each version must contain (used by opening, ``db check`` and restore)."""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from hnreport import resources
from hnreport.errors import DatabaseError


def migration_files() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(resources.migrations_dir().glob("*.sql")):
        m = re.match(r"(\d+)_", path.name)
        if m:
            found.append((int(m.group(1)), path))
    return found


def latest_schema() -> int:
    found = migration_files()
    return found[-1][0] if found else 0


def split_statements(script: str) -> list[str]:
    """Split SQL into statements (triggers included) so they can run inside our transaction.

    ``sqlite3.executescript`` would COMMIT any open transaction first, breaking all-or-nothing.
    """
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise DatabaseError("migration_incomplete")
    return statements


def apply_migration(conn: sqlite3.Connection, number: int, path: Path) -> None:
    """Run one migration file inside the caller's transaction and stamp its version."""
    for statement in split_statements(path.read_text(encoding="utf-8")):
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {int(number)}")


@lru_cache(maxsize=None)
def _objects_at(version: int, _migrations_dir: str) -> frozenset[tuple[str, str]]:
    """(type, name) of every table and view a database at schema ``version`` has."""
    conn = sqlite3.connect(":memory:")
    try:
        for number, path in migration_files():
            if number > version:
                break
            for statement in split_statements(path.read_text(encoding="utf-8")):
                conn.execute(statement)
        return frozenset(
            conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
        )
    finally:
        conn.close()


def expected_objects(version: int) -> frozenset[tuple[str, str]]:
    return _objects_at(version, str(resources.migrations_dir()))
