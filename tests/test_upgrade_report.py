"""Upgrading to many plans (migration 0012) changes nothing a user sees: a database made at every
earlier schema version — one plan, figures, a user's target, a revision and a retraction, units,
settings — prints, after the upgrade, byte for byte the report a fresh database prints with the
same rows entered through hnreport today; and every row is kept (test_upgrade checks each table).
"""

from __future__ import annotations

import pytest

from helpers import q
from test_upgrade import LATEST, NOTE, build_database

AUTUMN = {"HNREPORT_TODAY": "2022-10-15"}  # every period recorded below has ended


def _fresh(cli, tmp_path, version: int):
    """A new database with the rows test_upgrade.populate writes at ``version``, entered with
    today's commands."""
    db = tmp_path / "fresh.db"
    run = lambda *args: cli.ok("--db", str(db), *args, env=AUTUMN)  # noqa: E731
    run("db", "init")
    vintage = "final" if version >= 3 else "preliminary"  # vintages came with version 3
    run("record", "gdp", "8.1", "--as-of", "2022-03-31", "--vintage", vintage, "--note", NOTE, "--source", 'bulletin "2022-03"')
    run("record", "key-project-investment", "58.4", "--as-of", "2022-05-31")
    run("targets", "add", "my-parking", "--name-zh", "新增停车位", "--name-en", "New parking spaces", "--section", "livelihood",
        "--kind", "cumulative", "--value", "500", "--unit", "个", "--frequency", "quarterly")  # fmt: skip
    run("record", "my-parking", "120", "--as-of", "2022-06-30", "--note", "用户的指标", "--source", "县住建局")
    if version >= 2:  # milestones, their statuses and deadlines, units and assignments
        run("milestones", "add", "minsheng-01", "--name-zh", "新建城区停车位500个", "--name-en", "500 parking spaces", "--section", "livelihood")
        run("milestones", "set", "tugutang-bridge", "in_progress", "--as-of", "2022-03-31", "--progress", "主桥施工",
            "--problems", "汛期", "--next", "合龙", "--source", "衡南交通〔2022〕3号")  # fmt: skip
        run("milestones", "set", "minsheng-01", "done", "--as-of", "2022-06-30", "--source", NOTE)
        run("milestones", "due", "tugutang-bridge", "2022-09-30", "--node", "2022-06-30 主桥合龙")
        run("units", "add", "县交通运输局", "--alias", "交通局")
        run("units", "add", "县发展和改革局", "--alias", "发改局")
        run("assign", "tugutang-bridge", "县交通运输局")
        run("assign", "my-parking", "县发展和改革局")
        run("assign", "tugutang-bridge", "县发展和改革局", "--role", "support")
    run("config", "set", "light.preset", "points")
    if version >= 5:
        run("milestones", "node", "tugutang-bridge", "2022-06-30", "met", "--note", NOTE)
    if version >= 3:  # revisions and retractions came with the journal
        run("targets", "revise", "gdp", "9", "--effective", "2022-07-01", "--reason", "调整")
        run("retract", "2", "--reason", "录入错误")
    return db


@pytest.mark.parametrize("version", range(1, LATEST), ids=[f"v{n}" for n in range(1, LATEST)])
def test_report_after_the_upgrade_is_the_fresh_databases_byte_for_byte(cli, tmp_path, version) -> None:
    old = build_database(tmp_path / f"v{version}.db", version, digest="old")  # data/ brought up to date too
    figures = q(old, "SELECT id, value, as_of FROM observations ORDER BY id")
    fresh = _fresh(cli, tmp_path, version)
    for args in (["report", "--as-of", "2022-09-30"], ["--lang", "en", "report", "--as-of", "2022-06-30"],
                 ["--lang", "en", "report", "--as-of", "2022-09-30", "--format", "markdown"]):  # fmt: skip
        upgraded = cli.ok("--db", str(old), *args, env=AUTUMN).stdout
        made_now = cli.ok("--db", str(fresh), *args, env=AUTUMN).stdout
        assert upgraded == made_now, args
    assert q(old, "PRAGMA user_version") == [(LATEST,)]
    assert q(old, "SELECT id, value, as_of FROM observations ORDER BY id") == figures  # every figure kept
    assert q(old, "SELECT DISTINCT plan_id FROM observations") == [(1,)]


@pytest.mark.parametrize("version", range(1, LATEST), ids=[f"v{n}" for n in range(1, LATEST)])
def test_an_upgraded_database_reads_as_a_fresh_one_holding_its_rows(cli, tmp_path, version) -> None:
    """Every field of every format: the upgraded database against a fresh one into which the
    same rows were copied (figures a release before 0007 wrote carry no decimals, which no
    command today writes)."""
    import sqlite3

    old = build_database(tmp_path / f"v{version}.db", version, digest="old")
    cli.ok("--db", str(old), "db", "init")
    fresh = tmp_path / "fresh.db"
    cli.ok("--db", str(fresh), "db", "init")
    conn = sqlite3.connect(fresh)
    conn.execute("ATTACH ? AS old", (str(old),))
    tables = [t for (t,) in conn.execute("SELECT name FROM old.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    tables.sort(key=lambda t: t == "search_index")  # last: copying the tables fills it through its triggers
    conn.execute("PRAGMA foreign_keys = OFF")
    with conn:
        for table in tables:  # the fresh schema, holding exactly the upgraded database's rows
            if table.startswith("search_index_"):
                continue  # the full-text index's storage: the index is copied as rows below
            conn.execute(f"DELETE FROM main.{table}")
            columns = "rowid, *" if table == "search_index" else "*"
            conn.execute(f"INSERT INTO main.{table} ({'rowid, ' if table == 'search_index' else ''}"
                         f"{', '.join(r[1] for r in conn.execute(f'PRAGMA old.table_info({table})'))}) "
                         f"SELECT {columns} FROM old.{table}")
    conn.close()
    for args in (["report", "--as-of", "2022-09-30", "--format", "json"], ["report", "--as-of", "2022-09-30", "--format", "csv"],
                 ["report", "--as-of", "2022-09-30"], ["targets", "list", "--format", "json"], ["history", "gdp", "--format", "json"],
                 ["milestones", "list", "--format", "json"]):  # fmt: skip
        assert cli.ok("--db", str(old), *args, env=AUTUMN).stdout == cli.ok("--db", str(fresh), *args, env=AUTUMN).stdout, args
