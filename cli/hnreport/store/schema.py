"""The schema: what a database at each version must contain (used by ``db check`` and restore);
the numbered migrations themselves are store.migrations, which every open needs."""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache

from hnreport.records import Record
from hnreport import resources
from hnreport.errors import Message


from hnreport.store.migrations import migration_files, split_statements


# SQLite's own bookkeeping, made by ANALYZE and AUTOINCREMENT rather than by a migration.
IGNORED_OBJECTS = ("sqlite_stat", "sqlite_sequence")


class SchemaObject(Record):
    """One entry of sqlite_master: a table, index, trigger or view, with its SQL normalised."""

    type: str
    name: str
    table: str
    sql: str | None

    def same_as(self, other: SchemaObject) -> bool:
        # SQLite's names are case-insensitive: only the definition counts
        return (self.type, self.table.lower(), self.sql) == (other.type, other.table.lower(), other.sql)


class SchemaDifference(Record):
    """How a database's schema departs from what the migrations create: ``extra`` (an object no
    migration makes), ``missing`` or ``changed`` (same name, other definition)."""

    how: str
    object: SchemaObject

    def message(self) -> Message:
        obj = self.object
        kind = {"table": Message("schema_table"), "index": Message("schema_index"), "trigger": Message("schema_trigger"),
                "view": Message("schema_view")}.get(obj.type, obj.type)  # fmt: skip
        on = Message("schema_on", table=obj.table) if obj.type in ("index", "trigger") else ""
        if self.how == "extra":
            return Message("schema_extra", kind=kind, name=obj.name, on=on)
        if self.how == "missing":
            return Message("schema_missing", kind=kind, name=obj.name, on=on)
        return Message("schema_changed", kind=kind, name=obj.name, on=on)


def normalised_sql(sql: str | None) -> str | None:
    """``sql`` with comments dropped, whitespace collapsed, identifiers unquoted and everything but
    string literals lower-cased: what SQLite means, not how a file (or an ALTER TABLE of some
    SQLite version) happened to lay it out."""
    if sql is None:
        return None
    parts: list[str] = []  # code and string literals, alternating; literals kept exactly
    code: list[str] = []

    def end_code() -> None:
        text = re.sub(r"\s+", " ", "".join(code))
        parts.append(re.sub(r" ?([(),;=<>+*/-]) ?", r"\1", text))  # "a ( b , c )" is "a(b,c)"
        code.clear()

    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c == "'":  # a string literal ('' is an escaped quote)
            j = i + 1
            while j < n and not (sql[j] == "'" and sql[j + 1 : j + 2] != "'"):
                j += 2 if sql[j] == "'" else 1
            end_code()
            parts.append(sql[i : j + 1])
            i = j + 1
        elif c in '"`[':  # a quoted identifier: its name, lower-cased
            close = "]" if c == "[" else c
            j = sql.find(close, i + 1)
            j = n if j < 0 else j
            code.append(sql[i + 1 : j].lower())
            i = j + 1
        elif sql.startswith("--", i):
            j = sql.find("\n", i)
            code.append(" ")
            i = n if j < 0 else j
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            code.append(" ")
            i = n if j < 0 else j + 2
        else:
            code.append(c.lower())
            i += 1
    end_code()
    return "".join(parts).strip().rstrip(";").strip()


def schema_of(conn: sqlite3.Connection) -> dict[tuple[str, str], SchemaObject]:
    """Every object of the main database's schema but SQLite's own bookkeeping, by (type, name)."""
    found = {}
    for kind, name, table, sql in conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master"):
        if name.startswith(IGNORED_OBJECTS):
            continue
        found[(kind, name.lower())] = SchemaObject(kind, name, table, normalised_sql(sql))
    return found


@lru_cache(maxsize=None)
def _objects_at(version: int, _migrations_dir: str) -> dict[tuple[str, str], SchemaObject]:
    """The whole schema (tables, columns, indexes, triggers, views) migrations 1…``version`` make."""
    conn = sqlite3.connect(":memory:")
    try:
        for number, path in migration_files():
            if number > version:
                break
            for statement in split_statements(path.read_text(encoding="utf-8")):
                conn.execute(statement)
        return schema_of(conn)
    finally:
        conn.close()


def expected_schema(version: int) -> dict[tuple[str, str], SchemaObject]:
    return _objects_at(version, str(resources.migrations_dir()))


def expected_objects(version: int) -> frozenset[tuple[str, str]]:
    """(type, name) of every table and view a database at schema ``version`` has."""
    return frozenset((o.type, o.name) for o in expected_schema(version).values() if o.type in ("table", "view"))


def schema_differences(conn: sqlite3.Connection, version: int) -> list[SchemaDifference]:
    """What in the database's schema is not what migrations 1…``version`` create — an extra
    trigger, a changed view, a dropped index — in a stable order (extra, changed, then missing)."""
    want, have = expected_schema(version), schema_of(conn)
    found = [SchemaDifference("extra", have[k]) for k in sorted(have.keys() - want.keys())]
    found += [SchemaDifference("changed", have[k]) for k in sorted(have.keys() & want.keys()) if not have[k].same_as(want[k])]
    found += [SchemaDifference("missing", want[k]) for k in sorted(want.keys() - have.keys())]
    return found
