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
    for name in ("plan", "results", "targets", "milestones", "glossary"):
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

    milestones = data["milestones"]["milestone"]
    for i, m in enumerate(milestones):
        _upsert(
            conn,
            "milestones",
            "key",
            {
                "key": m["key"], "ordinal": i, "name_zh": m["name_zh"], "name_en": m["name_en"],
                "section": m["section"], "locator": m["locator"], "phrase": m["phrase"],
                "strength": m.get("strength"), "terms": ",".join(str(n) for n in m.get("terms", [])) or None,
                "note": m.get("note"), "origin": "seed",
            },  # fmt: skip
            guard="WHERE milestones.origin = 'seed'",
        )
    mkeys = [m["key"] for m in milestones]
    conn.execute(
        f"DELETE FROM milestones WHERE origin = 'seed' AND key NOT IN ({', '.join('?' * len(mkeys))}) "
        "AND NOT EXISTS (SELECT 1 FROM milestone_status s WHERE s.milestone_key = milestones.key) "
        "AND NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.milestone_key = milestones.key)",
        mkeys,
    )
    for g in data["glossary"]["term"]:
        _upsert(conn, "glossary", "number", {
            "number": g["number"], "term": g["term"], "page": g.get("page"),
            "explanation_zh": g["explanation_zh"], "explanation_en": g["explanation_en"],
            "body_locator": g["body_locator"], "note": g.get("note"),
        })  # fmt: skip
