"""``db check``: rows the commands could never have written — an impossible date, a number that
is not finite, a figure outside the plan year, figures superseding one another in a ring, an
empty or duplicated unit name or alias, text beyond the length any field takes. Such rows come
from a hand-edited export restored by an older hnreport, or from edits behind hnreport's back,
and make reports crash; each is one problem line naming the row. Nothing here writes.

Each rule is one query, so a database of a million figures is checked without loading it.
"""

from __future__ import annotations

import sqlite3
from typing import Protocol

from hnreport import resources
from hnreport.text import MAX_TEXT_CHARS
from hnreport.domain.plausibility import FLAG_VALUES, FLAGS
from hnreport.errors import Message, Word


class Problems(Protocol):
    def add(self, check: str, message: Message) -> None: ...


CHECK = "data"
INF = "9e999"  # SQLite reads this literal as infinity
# Rows in force: made by no change (seeded, or before the journal) or by one not undone.
VISIBLE_X = "(x.change_id IS NULL OR x.change_id IN (SELECT id FROM journal WHERE undone = 0))"
VISIBLE_A = "(a.change_id IS NULL OR a.change_id IN (SELECT id FROM journal WHERE undone = 0))"
VISIBLE_B = "(b.change_id IS NULL OR b.change_id IN (SELECT id FROM journal WHERE undone = 0))"


def _seeded_year() -> int | None:
    import tomllib

    try:
        with open(resources.data_dir() / "plan.toml", "rb") as fh:
            return tomllib.load(fh)["plan"]["year"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None


def check_rows(conn: sqlite3.Connection, version: int, problems: Problems, checked: dict[str, int]) -> None:
    """Every rule whose tables and columns this database has (older schema versions lack some)."""
    columns = {
        table: {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}  # names from the list below
        for table in ("plan", "observations", "target_revisions", "targets", "milestone_status", "deadlines", "units",
                      "unit_aliases", "journal", "target_aliases", "unit_reports", "unit_report_items")  # fmt: skip
    }
    year = conn.execute("SELECT year FROM plan WHERE id = 1").fetchone() if columns["plan"] else None
    if year and year[0] != _seeded_year():
        year = None  # the plan itself was changed (the seed check says so): its year proves nothing
    found = 0

    def rule(table: str, needs: tuple[str, ...], sql: str, args: tuple, say) -> None:
        nonlocal found
        if not set(needs) <= columns.get(table, set()):
            return  # an older schema version, without the column
        for row in conn.execute(sql, args):
            found += 1
            problems.add(CHECK, say(*row))

    # Dates: the schema checks only the shape (2022-02-30 passes); SQLite's date() with a
    # modifier rolls an impossible day over (2022-03-02) or gives NULL, so it differs from the
    # text exactly then. (Without a modifier it hands back any day up to 31 as given.)
    for table, column, noun in (("observations", "as_of", "observation"), ("target_revisions", "effective", "target revision"),
                                ("milestone_status", "as_of", "milestone status"), ("deadlines", "due_date", "deadline")):  # fmt: skip
        rule(table, (column,), f"SELECT x.id, x.{column} FROM {table} x WHERE date(x.{column}, '+0 days') IS NOT x.{column} ORDER BY x.id", (),
             lambda i, day, noun=noun, column=column: Message("check_not_a_date", noun=Word("CHECK_ROWS", noun), id=i, column=column, day=repr(day)))  # fmt: skip
    if year:
        start, end = f"{year[0]}-01-01", f"{year[0]}-12-31"
        for table, column, noun in (("observations", "as_of", "observation"), ("target_revisions", "effective", "target revision")):
            rule(table, (column,), f"SELECT x.id, x.{column} FROM {table} x WHERE x.{column} NOT BETWEEN ? AND ? "
                 f"AND date(x.{column}, '+0 days') IS x.{column} ORDER BY x.id",
                 (start, end), lambda i, day, noun=noun, column=column: Message("check_outside_year", noun=Word("CHECK_ROWS", noun), id=i, column=column,
                                                                               day=day, year=year[0]))  # fmt: skip
    # Numbers: a REAL column takes infinity, and text that is no number.
    for table, key, noun in (("observations", "id", "observation"), ("target_revisions", "id", "target revision"),
                             ("targets", "key", "target")):  # fmt: skip
        rule(table, ("value",), f"SELECT x.{key}, quote(x.value) FROM {table} x WHERE x.value IN ({INF}, -{INF}) "
             f"OR typeof(x.value) NOT IN ('real', 'integer') ORDER BY x.{key}", (),
             lambda k, value, noun=noun: Message("check_not_finite", noun=Word("CHECK_ROWS", noun), id=k, value=value))  # fmt: skip
    # A figure supersedes an earlier one of the same target and period (record and correct make
    # no other kind): anything else, a ring included, is not one of theirs.
    rule("observations", ("supersedes",),
         "SELECT o.id, o.supersedes FROM observations o LEFT JOIN observations p ON p.id = o.supersedes "
         "WHERE o.supersedes IS NOT NULL AND (p.id IS NULL OR p.id >= o.id OR lower(p.target_key) != lower(o.target_key) "
         "OR p.as_of != o.as_of) ORDER BY o.id", (),
         lambda i, older: Message("check_bad_supersedes", id=i, older=older))  # fmt: skip
    # A figure's flag is one hnreport writes (domain.plausibility.FLAG_VALUES), and its decimals
    # show it whole (5.123 with one decimal would be shown as 5.1 and computed as 5.123).
    rule("observations", ("flag",), "SELECT x.id, x.flag FROM observations x WHERE x.flag IS NOT NULL "
         f"AND x.flag NOT IN ({', '.join('?' for _ in FLAG_VALUES)}) ORDER BY x.id", FLAG_VALUES,
         lambda i, flag: Message("check_bad_flag", id=i, flag=repr(flag), flags=", ".join(FLAGS)))  # fmt: skip
    rule("observations", ("decimals",), "SELECT x.id, x.decimals, x.value FROM observations x WHERE x.decimals IS NOT NULL "
         "AND typeof(x.value) IN ('real', 'integer') AND x.value NOT IN (9e999, -9e999) "
         "AND abs(round(x.value, x.decimals) - x.value) > 1e-12 * abs(x.value) ORDER BY x.id", (),
         lambda i, places, value: Message("check_decimals", id=i, places=places, value=repr(value), shown="%.*f" % (places, value)))  # fmt: skip
    for table, key, fields in (("observations", "id", ("note", "source")), ("milestone_status", "id", ("progress", "problems", "next_steps", "source")),
                               ("deadlines", "id", ("text", "reason")),
                               ("unit_report_items", "id", ("progress", "problems", "next_steps", "source"))):  # fmt: skip
        for field in fields:
            rule(table, (field,), f"SELECT x.{key}, length(x.{field}) FROM {table} x WHERE length(x.{field}) > ? ORDER BY x.{key}",
                 (MAX_TEXT_CHARS,), lambda k, n, table=table, field=field: Message("check_too_long", table=table, id=k, field=field, length=n,
                                                                                 limit=MAX_TEXT_CHARS))  # fmt: skip
    # The units' reports: a month of the plan year, a finite figure.
    if year:
        rule("unit_reports", ("period",), "SELECT x.id, x.period FROM unit_reports x WHERE substr(x.period, 1, 4) != ? "
             "OR CAST(substr(x.period, 6, 2) AS INTEGER) NOT BETWEEN 1 AND 12 ORDER BY x.id", (str(year[0]),),
             lambda i, period: Message("check_report_period", id=i, period=repr(period), year=year[0]))  # fmt: skip
    rule("unit_report_items", ("value",), f"SELECT x.id, quote(x.value) FROM unit_report_items x WHERE x.value IN ({INF}, -{INF}) "
         "OR (x.value IS NOT NULL AND typeof(x.value) NOT IN ('real', 'integer')) ORDER BY x.id", (),
         lambda i, value: Message("check_not_finite", noun=Word("CHECK_ROWS", "unit report item"), id=i, value=value))  # fmt: skip
    # Units: among those in force (an undone unit may be added again), names and aliases are
    # not empty and name one unit each.
    rule("units", ("name", "change_id"), f"SELECT x.id, x.name FROM units x WHERE trim(x.name) = '' AND {VISIBLE_X} ORDER BY x.id", (),
         lambda i, name: Message("check_unit_empty", id=i, name=repr(name)))  # fmt: skip
    rule("units", ("name", "change_id"),
         "SELECT a.id, a.name, b.id FROM units a JOIN units b ON b.name = a.name COLLATE NOCASE AND b.id < a.id "
         f"WHERE {VISIBLE_A} AND {VISIBLE_B} ORDER BY a.id", (),
         lambda i, name, other: Message("check_unit_twice", id=i, name=repr(name), other=other))  # fmt: skip
    rule("unit_aliases", ("alias", "change_id"), f"SELECT x.rowid, x.alias FROM unit_aliases x WHERE trim(x.alias) = '' AND {VISIBLE_X} ORDER BY x.rowid", (),
         lambda i, alias: Message("check_unit_alias_empty", id=i, alias=repr(alias)))  # fmt: skip
    rule("unit_aliases", ("alias", "change_id"),
         "SELECT a.rowid, a.alias, b.rowid FROM unit_aliases a JOIN unit_aliases b ON b.alias = a.alias COLLATE NOCASE "
         f"AND b.rowid < a.rowid WHERE {VISIBLE_A} AND {VISIBLE_B} ORDER BY a.rowid", (),
         lambda i, alias, other: Message("check_unit_alias_twice", id=i, alias=repr(alias), other=other))  # fmt: skip
    rule("unit_aliases", ("alias", "change_id"),
         "SELECT a.rowid, a.alias, b.name, b.id FROM unit_aliases a JOIN units b ON b.name = a.alias COLLATE NOCASE "
         f"AND b.id != a.unit_id WHERE {VISIBLE_A} AND {VISIBLE_B} ORDER BY a.rowid", (),
         lambda i, alias, unit, other: Message("check_unit_alias_names_unit", id=i, alias=repr(alias), other=other))  # fmt: skip
    # Names for statistical tables: not empty, and kept as compared (norm) as domain.names reads
    # them — a norm edited by hand would match rows the name does not name.
    rule("target_aliases", ("alias", "norm"), f"SELECT x.id, x.alias FROM target_aliases x WHERE trim(x.alias) = '' AND {VISIBLE_X} ORDER BY x.id", (),
         lambda i, alias: Message("check_target_alias_empty", id=i, alias=repr(alias)))  # fmt: skip
    if {"alias", "norm"} <= columns.get("target_aliases", set()):
        from hnreport.domain.names import name_norm

        for i, alias, norm in conn.execute("SELECT id, alias, norm FROM target_aliases ORDER BY id"):
            if isinstance(alias, str) and alias.strip() and name_norm(alias) != norm:
                found += 1
                problems.add(CHECK, Message("check_target_alias_norm", id=i, alias=repr(alias), norm=repr(norm), reads=repr(name_norm(alias))))
    checked["data_problems"] = found
