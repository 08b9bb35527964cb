"""Bringing the seeded facts of data/ into a database: idempotent, never touching user data.

Runs inside the caller's transaction. Seeded rows are upserted by key; rows a user added
(origin 'user') are never overwritten; a seeded target that disappeared from data/ is removed
only if nothing was recorded against it.
"""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path
from typing import Any


def load(data_dir: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("plan", "results", "targets"):
        with open(data_dir / f"{name}.toml", "rb") as fh:
            out[name] = tomllib.load(fh)
    return out


def _upsert(conn: sqlite3.Connection, table: str, key: str, row: dict[str, Any], guard: str = "") -> None:
    columns = list(row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates} {guard}",
        [row[c] for c in columns],
    )


def apply(conn: sqlite3.Connection, data_dir: Path, digest: str) -> None:
    data = load(data_dir)
    plan = data["plan"]["plan"]
    conn.execute(
        "INSERT INTO plan (id, key, name_zh, name_en, county_zh, county_en, year, delivered, seed_digest) "
        "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET key = excluded.key, "
        "name_zh = excluded.name_zh, name_en = excluded.name_en, county_zh = excluded.county_zh, "
        "county_en = excluded.county_en, year = excluded.year, delivered = excluded.delivered, "
        "seed_digest = excluded.seed_digest",
        (plan["key"], plan["name_zh"], plan["name_en"], plan["county_zh"], plan["county_en"],
         plan["year"], plan.get("delivered"), digest),
    )  # fmt: skip
    for i, s in enumerate(data["plan"]["section"]):
        _upsert(conn, "sections", "code", {
            "code": s["code"], "part": s["part"], "ordinal": i, "name_zh": s["name_zh"],
            "name_en": s["name_en"], "locator": s["locator"], "note": s.get("note"),
        })  # fmt: skip

    results = data["results"]["result"]
    for i, r in enumerate(results):
        _upsert(conn, "results", "key", {
            "key": r["key"], "ordinal": i, "name_zh": r["name_zh"], "name_en": r["name_en"],
            "section": r["section"], "kind": r["kind"], "value": r["value"], "unit": r.get("unit"),
            "scope": r.get("scope"), "locator": r["locator"], "phrase": r["phrase"],
            "note": r.get("note"),
        })  # fmt: skip

    targets = data["targets"]["target"]
    for i, t in enumerate(targets):
        _upsert(
            conn,
            "targets",
            "key",
            {
                "key": t["key"], "ordinal": i, "name_zh": t["name_zh"], "name_en": t["name_en"],
                "section": t["section"], "kind": t["kind"], "comparator": t["comparator"],
                "value": t["value"], "unit": t.get("unit"),
                "unit_missing": int(bool(t.get("unit_missing"))), "frequency": t["frequency"],
                "baseline": t.get("baseline"), "locator": t["locator"], "phrase": t["phrase"],
                "strength": t.get("strength"), "note": t.get("note"), "origin": "seed",
            },  # fmt: skip
            guard="WHERE targets.origin = 'seed'",
        )
    keys = [t["key"] for t in targets]
    conn.execute(
        f"DELETE FROM targets WHERE origin = 'seed' AND key NOT IN ({', '.join('?' * len(keys))}) "
        "AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.target_key = targets.key)",
        keys,
    )
    result_keys = [r["key"] for r in results]
    conn.execute(
        f"DELETE FROM results WHERE key NOT IN ({', '.join('?' * len(result_keys))}) "
        "AND NOT EXISTS (SELECT 1 FROM targets t WHERE t.baseline = results.key)",
        result_keys,
    )
