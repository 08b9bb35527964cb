"""Before- and after-images of what a `plan load` over an existing plan changed (table
``seed_images``, migration 0013), so that `undo` puts the plan's seeded facts back exactly as they
were and `redo` as the load left them.

A first load needs none: undoing it hides the whole plan (``store.plans.VISIBLE_PLAN``). A load
over a plan already there updates its seeded rows in place, which no journal flag can hide; the
images are what undo and redo write back. Only seeded rows are imaged (``IMAGED``): a user's
figures, statuses, targets and names are never among them.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from hnreport.store import seed

# (table, key column, which rows are the plan's seeded facts), parents before children: rows are
# written back in this order and deleted in the reverse.
IMAGED = (
    ("plans", "id", "id = ?"),
    ("sections", "code", "plan_id = ?"),
    ("results", "key", "plan_id = ?"),
    ("glossary", "number", "plan_id = ?"),
    ("targets", "key", "plan_id = ? AND origin = 'seed'"),
    ("milestones", "key", "plan_id = ? AND origin = 'seed'"),
    ("target_aliases", "id", "plan_id = ? AND change_id IS NULL"),
)
# IMAGED in reverse, written out: the table and column names reach SQL, and the security scan
# (tests/test_security.py) proves them constant only as literals.
IMAGED_BACKWARDS = (
    ("target_aliases", "id", "plan_id = ? AND change_id IS NULL"),
    ("milestones", "key", "plan_id = ? AND origin = 'seed'"),
    ("targets", "key", "plan_id = ? AND origin = 'seed'"),
    ("glossary", "number", "plan_id = ?"),
    ("results", "key", "plan_id = ?"),
    ("sections", "code", "plan_id = ?"),
    ("plans", "id", "id = ?"),
)
assert IMAGED_BACKWARDS == IMAGED[::-1]
RENAMED = ("targets", "milestones")  # tables whose keys a file may rename (renamed_from)

Snapshot = dict[str, dict[Any, dict[str, Any]]]


def snapshot(conn: sqlite3.Connection, plan_id: int) -> Snapshot:
    """The plan's seeded rows, per table and key."""
    out: Snapshot = {}
    for table, key, which in IMAGED:
        cur = conn.execute(f"SELECT * FROM main.{table} WHERE {which}", (plan_id,))
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r)) for r in cur]
        out[table] = {_norm(r[key]): r for r in rows}
    return out


def _norm(key: Any) -> Any:
    return key.casefold() if isinstance(key, str) else key  # keys compare without case (COLLATE NOCASE)


def planned_renames(conn: sqlite3.Connection, data: dict[str, Any], plan_id: int) -> list[tuple[str, str, str]]:
    """The keys the file will rename: (table, old, new)."""
    items = {"targets": data["targets"].get("target", []), "milestones": data.get("milestones", {}).get("milestone", [])}
    return [(table, old, new) for table in RENAMED for old, new in seed.renames(conn, table, items[table], plan_id)]


def record(conn: sqlite3.Connection, change_id: int, plan_id: int, before: Snapshot, after: Snapshot,
           renames: list[tuple[str, str, str]]) -> int:
    """Keep, with the change, every seeded row the load added, changed or removed. Returns how many."""
    rows = [(change_id, plan_id, table, old, None, None, new) for table, old, new in renames]
    for table, key, _ in IMAGED:
        was, now = before[table], after[table]
        for k in [*was, *(k for k in now if k not in was)]:
            b, a = was.get(k), now.get(k)
            if b != a:
                shown = (b or a)[key]  # type: ignore[index]
                rows.append((change_id, plan_id, table, json.dumps(shown), _dump(b), _dump(a), None))
    conn.executemany(
        "INSERT INTO seed_images (change_id, plan_id, tbl, row_key, before, after, renamed_to) VALUES (?, ?, ?, ?, ?, ?, ?)", rows
    )
    return len(rows)


def _dump(row: dict[str, Any] | None) -> str | None:
    return None if row is None else json.dumps(row, ensure_ascii=False, sort_keys=True)


def put_back(conn: sqlite3.Connection, change_id: int, side: str) -> None:
    """Write the plan's seeded rows back as they were before the load (``side`` 'before': undo)
    or as the load left them ('after': redo)."""
    assert side in ("before", "after")
    images = conn.execute(
        "SELECT plan_id, tbl, row_key, before, after, renamed_to FROM seed_images WHERE change_id = ? ORDER BY id", (change_id,)
    ).fetchall()
    if not images:
        return
    conn.execute("PRAGMA defer_foreign_keys = ON")  # rows reappear in any order; checked at commit
    plan_id = images[0][0]
    renames = [(tbl, old, new) for _, tbl, old, _, _, new in images if new is not None]
    for tbl, old, new in reversed(renames) if side == "before" else renames:
        for table in RENAMED:  # the table named from the constant, never from the stored image (it reaches SQL)
            if table == tbl:
                seed.rename(conn, table, plan_id, *((new, old) if side == "before" else (old, new)))
    wanted: dict[str, list[tuple[Any, dict[str, Any] | None]]] = {}
    for _, tbl, row_key, b, a, new in images:
        if new is None:
            image = b if side == "before" else a
            wanted.setdefault(tbl, []).append((json.loads(row_key), None if image is None else json.loads(image)))
    for table, key, which in IMAGED_BACKWARDS:  # children first: what the other side added goes
        for k, row in wanted.get(table, []):
            if row is None and table in seed.REFERENCES and seed.used(conn, table, plan_id, k):
                # Something refers to it now (a figure recorded since, even one undone): it
                # stays, marked as no longer in the report, as seed.apply keeps such an item.
                conn.execute(
                    f"UPDATE main.{table} SET name_zh = name_zh || '(已不在报告中)' WHERE {which} AND {key} = ? "
                    "AND name_zh NOT LIKE '%(已不在报告中)'", (plan_id, k),
                )  # fmt: skip
            elif row is None:
                conn.execute(f"DELETE FROM main.{table} WHERE {which} AND {key} = ?", (plan_id, k))
    for k, row in wanted.get("targets", []):  # names are unique within a plan: free those about to move
        if row is not None:
            conn.execute("UPDATE main.targets SET name_zh = char(0) || key WHERE plan_id = ? AND key = ? AND origin = 'seed'", (plan_id, k))
    for table, key, which in IMAGED:
        have = [c for (c,) in conn.execute("SELECT name FROM pragma_table_info(?)", (table,))]
        for k, row in wanted.get(table, []):
            if row is None:
                continue
            columns = [c for c in have if c in row]  # the table's own columns, never a name from the image
            values = [row[c] for c in columns]
            if conn.execute(f"SELECT 1 FROM main.{table} WHERE {which} AND {key} = ?", (plan_id, k)).fetchone():
                sets = ", ".join(f"{c} = ?" for c in columns)
                conn.execute(f"UPDATE main.{table} SET {sets} WHERE {which} AND {key} = ?", [*values, plan_id, k])
            else:
                conn.execute(f"INSERT INTO main.{table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values)
