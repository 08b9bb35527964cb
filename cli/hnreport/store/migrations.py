"""The numbered SQL migrations, applied each in one transaction with its user_version. Every
open reads them (is the database current?); what a schema must contain is store.schema, which
only db check and restore load."""

from __future__ import annotations

import re
import sqlite3
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
