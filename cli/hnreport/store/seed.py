"""Bringing the seeded facts of data/ into a database: idempotent, never touching user data.

Runs inside the caller's transaction. Seeded rows are upserted by key; rows a user added
(origin 'user') are never overwritten; a seeded target that disappeared from data/ is removed
only if nothing was recorded against it.

The same code brings a plan file (``plan load``) into its plan: every statement names the plan
(``plan_id``) and the tables themselves (``main.``), not the views of the plan in use.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from hnreport import resources

SEED_FILES = ("plan.toml", "results.toml", "targets.toml", "milestones.toml", "glossary.toml", "aliases.toml")


def seed_digest() -> str:
    """A fingerprint of data/, to notice a release whose seed differs from the database's.

    CRC-32 (zlib) rather than a cryptographic hash: it only detects change, and importing
    hashlib would cost every command a few milliseconds.
    """
    import zlib

    crc = 0
    data = resources.data_dir()
    for name in SEED_FILES:
        path = data / name
        if path.exists():
            crc = zlib.crc32(path.read_bytes(), zlib.crc32(name.encode(), crc))
    return f"crc32:{crc:08x}"


def load(data_dir: Path) -> dict[str, Any]:
    import tomllib

    out: dict[str, Any] = {}
    for name in SEED_FILES:
        name = name.removesuffix(".toml")
        with open(data_dir / f"{name}.toml", "rb") as fh:
            out[name] = tomllib.load(fh)
    return out


def _upsert(conn: sqlite3.Connection, table: str, key: str, row: dict[str, Any], guard: str = "") -> None:
    columns = list(row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in ("plan_id", key))
    conn.execute(
        f"INSERT INTO main.{table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT (plan_id, {key}) DO UPDATE SET {updates} {guard}",
        [row[c] for c in columns],
    )


def apply(conn: sqlite3.Connection, data: dict[str, Any], digest: str, plan_id: int, *, source: str | None = None,
          change_id: int | None = None) -> None:
    """Bring the plan ``data`` (``load``'s shape: plan, results, targets, milestones, glossary,
    aliases) into plan ``plan_id``, whose row it makes or brings up to date."""
    plan = data["plan"]["plan"]
    conn.execute(
        "INSERT INTO main.plans (id, key, name_zh, name_en, county_zh, county_en, year, delivered, seed_digest, source, change_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET key = excluded.key, "
        "name_zh = excluded.name_zh, name_en = excluded.name_en, county_zh = excluded.county_zh, "
        "county_en = excluded.county_en, year = excluded.year, delivered = excluded.delivered, "
        "seed_digest = excluded.seed_digest, source = COALESCE(excluded.source, plans.source)",
        (plan_id, plan["key"], plan["name_zh"], plan["name_en"], plan["county_zh"], plan["county_en"],
         plan["year"], _text(plan.get("delivered")), digest, source, change_id),
    )  # fmt: skip
    P = {"plan_id": plan_id}
    for i, s in enumerate(data["plan"].get("section", [])):
        _upsert(conn, "sections", "code", {**P,
            "code": s["code"], "part": s["part"], "ordinal": i, "name_zh": s["name_zh"],
            "name_en": s["name_en"], "locator": s["locator"], "note": s.get("note"),
        })  # fmt: skip

    results = data["results"].get("result", [])
    for i, r in enumerate(results):
        _upsert(conn, "results", "key", {**P,
            "key": r["key"], "ordinal": i, "name_zh": r["name_zh"], "name_en": r["name_en"],
            "section": r["section"], "kind": r["kind"], "value": r["value"], "unit": r.get("unit"),
            "scope": r.get("scope"), "locator": r["locator"], "phrase": r["phrase"],
            "note": r.get("note"),
        })  # fmt: skip

    targets = data["targets"].get("target", [])
    aliases = seeded_aliases(data)
    _drop_stale_aliases(conn, aliases, plan_id)
    _retire_or_rename(conn, "targets", targets, plan_id)
    user_names = {n for (n,) in conn.execute("SELECT name_zh FROM main.targets WHERE origin = 'user' AND plan_id = ?", (plan_id,))}
    for i, t in enumerate(targets):
        # A new release's target may share its Chinese name with one a user added: the user's
        # item stays as it is, the seeded one is told apart.
        name = t["name_zh"] if t["name_zh"] not in user_names else f"{t['name_zh']}(报告)"
        _upsert(
            conn,
            "targets",
            "key",
            {
                **P, "key": t["key"], "ordinal": i, "name_zh": name, "name_en": t["name_en"],
                "section": t["section"], "kind": t["kind"], "comparator": t["comparator"],
                "value": t["value"], "unit": t.get("unit"),
                "unit_missing": int(bool(t.get("unit_missing"))), "frequency": t["frequency"],
                "baseline": t.get("baseline"), "locator": t["locator"], "phrase": t["phrase"],
                "strength": t.get("strength"), "note": t.get("note"), "origin": "seed",
            },  # fmt: skip
            guard="WHERE targets.origin = 'seed'",
        )
    _add_aliases(conn, aliases, plan_id)
    result_keys = [r["key"] for r in results]
    conn.execute(
        f"DELETE FROM main.results WHERE plan_id = ? AND key NOT IN ({', '.join('?' * len(result_keys))}) "
        "AND NOT EXISTS (SELECT 1 FROM main.targets t WHERE t.plan_id = results.plan_id AND t.baseline = results.key)",
        (plan_id, *result_keys),
    )

    milestones = data.get("milestones", {}).get("milestone", [])
    _retire_or_rename(conn, "milestones", milestones, plan_id)
    for i, m in enumerate(milestones):
        _upsert(
            conn,
            "milestones",
            "key",
            {
                **P, "key": m["key"], "ordinal": i, "name_zh": m["name_zh"], "name_en": m["name_en"],
                "section": m["section"], "locator": m["locator"], "phrase": m["phrase"],
                "strength": m.get("strength"), "terms": ",".join(str(n) for n in m.get("terms", [])) or None,
                "note": m.get("note"), "origin": "seed",
            },  # fmt: skip
            guard="WHERE milestones.origin = 'seed'",
        )
    for g in data.get("glossary", {}).get("term", []):
        _upsert(conn, "glossary", "number", {**P,
            "number": g["number"], "term": g["term"], "page": g.get("page"),
            "explanation_zh": g["explanation_zh"], "explanation_en": g["explanation_en"],
            "body_locator": g["body_locator"], "note": g.get("note"),
        })  # fmt: skip


def seeded_aliases(data: dict[str, Any]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """The names of data/aliases.toml: (target key, name as compared) → (name as printed, source).
    A name listed twice for a target is one name."""
    from hnreport.domain.names import name_norm

    out: dict[tuple[str, str], tuple[str, str | None]] = {}
    for entry in data.get("aliases", {}).get("aliases", []):
        for name in entry["names"]:
            out.setdefault((entry["key"], name_norm(name)), (name, entry.get("source")))
    return out


def _text(value: Any) -> Any:
    """A TOML date (delivered = 2022-03-23, unquoted) as the ISO text the database keeps."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _drop_stale_aliases(conn: sqlite3.Connection, aliases: dict[tuple[str, str], tuple[str, str | None]], plan_id: int) -> None:
    """Seeded names (no change made them) no longer in data/, and the printed form or source of
    those that changed: before targets are retired, so a dropped target's seeded names do not
    keep it (a name a user added does, like a figure)."""
    if not _has_table(conn, "target_aliases"):
        return
    for row_id, key, norm, alias, source in conn.execute(
        "SELECT id, target_key, norm, alias, source FROM main.target_aliases WHERE change_id IS NULL AND plan_id = ?", (plan_id,)
    ).fetchall():
        wanted = aliases.get((key, norm))
        if wanted is None:
            conn.execute("DELETE FROM main.target_aliases WHERE id = ?", (row_id,))
        elif wanted != (alias, source):
            conn.execute("UPDATE main.target_aliases SET alias = ?, source = ? WHERE id = ?", (*wanted, row_id))


def _add_aliases(conn: sqlite3.Connection, aliases: dict[tuple[str, str], tuple[str, str | None]], plan_id: int) -> None:
    if not _has_table(conn, "target_aliases"):
        return
    have = {(k, n) for k, n in conn.execute("SELECT target_key, norm FROM main.target_aliases WHERE change_id IS NULL AND plan_id = ?", (plan_id,))}
    for (key, norm), (alias, source) in aliases.items():
        if (key, norm) not in have:
            conn.execute("INSERT INTO main.target_aliases (plan_id, target_key, alias, norm, source) VALUES (?, ?, ?, ?, ?)",
                         (plan_id, key, alias, norm, source))


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


# Everything that refers to a target or milestone by key, and would lose its meaning if the
# item went away or changed key. (A seeded alias does not count: the seed removes it with the
# target; a name a user added does.)
REFERENCES = {
    "targets": (("observations", "target_key"), ("target_revisions", "target_key"),
                ("assignment_log", "item_key"), ("setting_log", "scope"), ("target_aliases", "target_key"),
                ("unit_report_items", "item_key")),
    "milestones": (("milestone_status", "milestone_key"), ("deadlines", "milestone_key"),
                   ("node_marks", "milestone_key"), ("assignment_log", "item_key"), ("unit_report_items", "item_key")),
}  # fmt: skip


def renames(conn: sqlite3.Connection, table: str, items: list[dict[str, Any]], plan_id: int) -> list[tuple[str, str]]:
    """The keys ``_retire_or_rename`` will follow (old, new): a seeded item's ``renamed_from``
    still there under its old key, and its new key not yet taken."""
    out = []
    for item in items:
        old = item.get("renamed_from")
        if old and conn.execute(f"SELECT 1 FROM main.{table} WHERE plan_id = ? AND key = ? AND origin = 'seed'", (plan_id, old)).fetchone() \
                and not conn.execute(f"SELECT 1 FROM main.{table} WHERE plan_id = ? AND key = ?", (plan_id, item["key"])).fetchone():  # fmt: skip
            out.append((old, item["key"]))
    return out


def rename(conn: sqlite3.Connection, table: str, plan_id: int, old: str, new: str) -> None:
    """Give a seeded item a new key, and everything that refers to it by key."""
    conn.execute(f"UPDATE main.{table} SET key = ? WHERE plan_id = ? AND key = ?", (new, plan_id, old))  # cascades to FKs
    for ref_table, column in REFERENCES[table]:
        conn.execute(f"UPDATE main.{ref_table} SET {column} = ? WHERE plan_id = ? AND {column} = ?", (new, plan_id, old))


def used(conn: sqlite3.Connection, table: str, plan_id: int, key: str) -> bool:
    """Whether any row refers to the item (a figure, status, assignment … even one undone)."""
    return any(
        conn.execute(f"SELECT 1 FROM main.{ref_table} WHERE plan_id = ? AND {column} = ? LIMIT 1", (plan_id, key)).fetchone()
        for ref_table, column in REFERENCES[table]
    )


def _retire_or_rename(conn: sqlite3.Connection, table: str, items: list[dict[str, Any]], plan_id: int) -> None:
    """Follow keys a release renamed (``renamed_from``) and retire seeded items it dropped.

    A dropped item is deleted only if nothing refers to it; otherwise it stays, with its name
    marked, so that no figure, status or assignment a user recorded is lost.
    """
    for old, new in renames(conn, table, items, plan_id):
        rename(conn, table, plan_id, old, new)
    keys = [item["key"] for item in items]
    dropped = conn.execute(
        f"SELECT key, name_zh FROM main.{table} WHERE plan_id = ? AND origin = 'seed' AND key NOT IN ({', '.join('?' * len(keys))})",
        (plan_id, *keys),
    ).fetchall()
    for key, name in dropped:
        if used(conn, table, plan_id, key):
            if not name.endswith("(已不在报告中)"):
                conn.execute(f"UPDATE main.{table} SET name_zh = ? WHERE plan_id = ? AND key = ?", (f"{name}(已不在报告中)", plan_id, key))
        else:
            conn.execute(f"DELETE FROM main.{table} WHERE plan_id = ? AND key = ?", (plan_id, key))
