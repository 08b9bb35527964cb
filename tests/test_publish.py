"""Issue 20: search, the scorecard, the publication (sqlite-utils, Datasette) and the static site."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import YEAR_OVER, as_json, assert_refused, env_for

USER = "督查员王小明"


def found(cli, text: str, *args: str) -> list[dict]:
    return as_json(cli.ok("search", text, "--format", "json", *args))


def kinds_keys(hits: list[dict]) -> set[tuple[str, str]]:
    return {(h["kind"], h["key"]) for h in hits}


# ── search ───────────────────────────────────────────────────────────────────────────────
def test_search_finds_the_report_text_by_three_or_more_characters(cli, seeded):
    hits = found(cli, "土谷塘")
    assert ("milestone", "tugutang-bridge") in kinds_keys(hits)
    bridge = next(h for h in hits if h["key"] == "tugutang-bridge" and h["field"] == "phrase")
    assert bridge["snippet"] == "全力推动【土谷塘】大桥通车"
    assert bridge["plan"] == "hengnan-2022"
    assert bridge["locator"].startswith("二、")
    assert ("target", "shantytown") in kinds_keys(found(cli, "棚户区"))


def test_search_finds_two_characters_without_the_index(cli, seeded):
    hits = found(cli, "双碳")
    assert ("term", "27") in kinds_keys(hits)
    term = next(h for h in hits if h["key"] == "27")
    assert term["snippet"] == "【双碳】" and term["name_zh"] == "双碳"
    assert ("milestone", "tugutang-bridge") in kinds_keys(found(cli, "通车"))  # two characters, any kind
    assert found(cli, "碳")  # and one


def test_search_finds_a_glossary_term_and_its_explanation(cli, seeded):
    hits = found(cli, "三高四新")
    assert ("term", "1") in kinds_keys(hits)
    hits = found(cli, "先进制造业高地", "--kind", "term")
    assert {h["field"] for h in hits} == {"explanation"}


def test_search_finds_what_a_unit_recorded_and_loses_it_on_undo(cli, seeded):
    cli.ok("milestones", "set", "tugutang-bridge", "in_progress", "--as-of", "2022-06-30",
           "--progress", "主桥合龙", "--problems", "征地拆迁进度慢，资金缺口较大", "--next", "加快引桥施工")
    hits = found(cli, "资金缺口")
    assert [(h["kind"], h["key"], h["field"], h["as_of"]) for h in hits] == [("note", "tugutang-bridge", "problems", "2022-06-30")]
    assert hits[0]["snippet"] == "征地拆迁进度慢，【资金缺口】较大"
    assert hits[0]["name_zh"] == "土谷塘大桥通车"
    cli.ok("undo", "--yes")
    assert found(cli, "资金缺口") == []
    assert found(cli, "缺口") == []  # the short path filters by the visible changes too
    cli.ok("redo")
    assert len(found(cli, "资金缺口")) == 1


def test_search_finds_figure_notes_and_sources_but_not_a_retracted_figure(cli, seeded):
    cli.ok("record", "industry", "8.6", "--as-of", "2022-06-30", "--note", "受疫情影响回落", "--source", "县统计局6月统计月报")
    hits = found(cli, "疫情影响")
    assert [(h["kind"], h["key"], h["field"]) for h in hits] == [("figure", "industry", "note")]
    assert ("figure", "industry") in kinds_keys(found(cli, "6月统计月报"))
    figure_id = json.loads(cli.ok("history", "industry", "--format", "json").stdout)[0]["id"]
    cli.ok("retract", str(figure_id), "--reason", "录入错误")
    assert found(cli, "疫情影响") == []


def test_search_ranks_names_before_long_texts_and_lists_every_format(cli, seeded):
    hits = found(cli, "棚户区")
    assert hits[0]["field"] == "name"
    table = cli.ok("search", "棚户区").stdout
    assert "【棚户区】" in table and "shantytown" in table
    csv_text = cli.ok("search", "棚户区", "--format", "csv").stdout
    assert csv_text.splitlines()[0].lstrip("\ufeff").startswith("rank,kind,key,plan,field")
    assert "nothing found" in cli.ok("--lang", "en", "search", "不存在的文字").stdout


def test_search_refuses_bad_input(cli, seeded):
    assert_refused(cli("--lang", "en", "search", "  "), line="error: give the text to look for, e.g. hnreport search 棚户区")
    assert_refused(cli("--lang", "en", "search", "桥", "--kind", "bridge"))
    assert_refused(cli("--lang", "en", "search", "桥", "--plan", "other-2023"),
                   line="error: unknown plan 'other-2023'; the plans in this database: hengnan-2022")
    assert found(cli, "大桥", "--plan", "hengnan-2022")


def test_the_index_follows_renamed_items_and_changed_text(cli, seeded, db_path):
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE milestones SET phrase = '全力推动某某大桥通车' WHERE key = 'tugutang-bridge'")
    con.close()
    assert ("milestone", "tugutang-bridge") in kinds_keys(found(cli, "某某大桥"))
    assert {h["field"] for h in found(cli, "土谷塘")} == {"name"}


# ── the scorecard ────────────────────────────────────────────────────────────────────────
def test_scorecard_gives_each_promise_a_verdict_with_words_margin_and_source(cli, seeded):
    env = YEAR_OVER
    cli.ok("record", "gdp", "8.7", "--as-of", "2022-12-31", "--vintage", "final", "--source", "县统计局年报", env=env)
    cli.ok("record", "industry", "8.0", "--as-of", "2022-12-31", "--source", "统计快报", env=env)
    cli.ok("milestones", "due", "tugutang-bridge", "2022-10-31", env=env)
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-10-20", "--source", "通车公告", env=env)
    card = as_json(cli.ok("scorecard", "--as-of", "2022-12-31", "--format", "json", env=env))
    entries = {(e["kind"], e["key"]): e for e in card["entries"]}
    gdp = entries[("target", "gdp")]
    assert (gdp["verdict"], gdp["final"], gdp["margin"], gdp["margin_unit"], gdp["source"]) == ("kept", True, 0.2, "points", "县统计局年报")
    assert gdp["phrase"] == "地区生产总值增长8.5%以上"
    industry = entries[("target", "industry")]
    assert (industry["verdict"], industry["final"], industry["margin"]) == ("missed", False, -1.0)  # preliminary figure
    bridge = entries[("milestone", "tugutang-bridge")]
    assert (bridge["verdict"], bridge["final"], bridge["margin"], bridge["margin_unit"]) == ("kept", True, 11.0, "days")
    assert bridge["source"] == "通车公告" and bridge["phrase"] == "全力推动土谷塘大桥通车"
    assert card["counts"]["kept"] == 2 and card["counts"]["missed"] >= 1
    assert entries[("target", "investment")]["verdict"] == "not_rated"
    kept = as_json(cli.ok("scorecard", "--as-of", "2022-12-31", "--verdict", "已兑现", "--format", "json", env=env))
    assert {e["key"] for e in kept["entries"]} == {"gdp", "tugutang-bridge"}
    table = cli.ok("scorecard", "--as-of", "2022-12-31", env=env).stdout
    assert "已兑现" in table and "提前11天" in table and "+0.2个百分点" in table


def test_scorecard_writes_every_listing_format_to_a_file(cli, seeded, tmp_path):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-06-30")
    cli.ok("milestones", "set", "tugutang-bridge", "in_progress", "--as-of", "2022-06-30")
    for name in ("card.html", "card.csv", "card.md", "card.json"):
        cli.ok("scorecard", "-o", str(tmp_path / name))
    html = (tmp_path / "card.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "逾期15天" in html and "未兑现" in html
    assert "http://" not in html and "https://" not in html
    assert (tmp_path / "card.csv").read_text(encoding="utf-8").startswith("\ufeffplan,kind,key")
    assert as_json(type("R", (), {"stdout": (tmp_path / "card.json").read_text(encoding="utf-8")}))["counts"]["missed"] == 1
    assert_refused(cli("--lang", "en", "scorecard", "-o", str(tmp_path / "card.html")),
                   line=f"error: {tmp_path / 'card.html'} exists; add --force to replace it")
    assert_refused(cli("--lang", "en", "scorecard", "--format", "csv", "-o", str(tmp_path / "x.html")))
    assert_refused(cli("--lang", "en", "scorecard", "--verdict", "maybe"))


# ── the publication ──────────────────────────────────────────────────────────────────────
def world(cli):
    """Figures (one far behind, one behind), a unit's notes, assignments — made by a named user."""
    cli.ok("--user", USER, "record", "gdp", "5.1", "--as-of", "2022-06-30", "--source", "县统计局统计月报", "--note", "上半年")
    cli.ok("--user", USER, "record", "industry", "8.5", "--as-of", "2022-06-30", "--source", "统计月报")
    cli.ok("--user", USER, "milestones", "due", "tugutang-bridge", "2022-06-30")
    cli.ok("--user", USER, "milestones", "set", "tugutang-bridge", "in_progress", "--as-of", "2022-06-30",
           "--progress", "主桥已完成合龙施工", "--problems", "资金缺口较大", "--source", "县交通局报送")
    cli.ok("--user", USER, "assign", "tugutang-bridge", "县交通运输局", "--new")
    cli.ok("--user", USER, "assign", "gdp", "县发改局", "--new")
    cli.ok("--user", USER, "assign", "industry", "县工信局", "--new")


def all_text(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        parts = [str(r) for r in con.execute("SELECT type, name, sql FROM sqlite_master")]
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            parts += [str(r) for r in con.execute(f'SELECT * FROM "{name}"')]
        return "\n".join(parts)
    finally:
        con.close()


def test_publish_writes_a_public_database_and_its_metadata(cli, seeded, tmp_path):
    world(cli)
    site = tmp_path / "site.db"
    cli.ok("publish", "-o", str(site), "--as-of", "2022-07-15")
    con = sqlite3.connect(site)
    tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"plan", "targets", "figures", "milestones", "status_history", "units", "glossary", "scorecard", "search",
            "search_fts"} <= tables
    assert not tables & {"journal", "settings", "setting_log", "restores", "order_replies", "orders", "unit_reports"}
    columns = {c for t in tables for (_, c, *_rest) in con.execute(f'PRAGMA table_info("{t}")')}
    assert not columns & {"user", "change_id", "recorded_at", "person", "phone"}
    assert con.execute("SELECT status, latest, latest_source, lead_unit FROM targets WHERE key = 'gdp'").fetchone() == (
        "far_behind", 5.1, "县统计局统计月报", "县发改局")
    assert con.execute("SELECT status, problems, overdue, verdict FROM milestones WHERE key = 'tugutang-bridge'").fetchone() == (
        "in_progress", "资金缺口较大", 1, "missed")
    assert con.execute("SELECT count(*) FROM figures").fetchone() == (2,)
    assert con.execute("SELECT unit, rank FROM units ORDER BY unit").fetchall()
    assert con.execute("SELECT count(*) FROM glossary").fetchone() == (35,)
    assert con.execute("SELECT kind, key FROM search WHERE rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH '\"土谷塘\"')"
                       ).fetchall()
    fks = con.execute("PRAGMA foreign_key_list(figures)").fetchall()
    assert [(f[2], f[3], f[4]) for f in fks] == [("targets", "target_key", "key")]
    con.close()
    assert USER not in all_text(site)
    meta = json.loads((tmp_path / "site.metadata.json").read_text(encoding="utf-8"))
    assert meta["title"].startswith("衡南县2022年政府工作报告")
    assert "license" not in json.dumps(meta)
    assert "衡南县人民政府" in meta["source"]
    db_meta = meta["databases"]["site"]
    assert set(db_meta["queries"]) == {"滞后指标", "逾期事项", "按牵头单位", "已完成承诺", "搜索"}
    con = sqlite3.connect(site)
    for table, spec in db_meta["tables"].items():
        assert spec["title"] and spec["description"]
        cols = [c for (_, c, *_r) in con.execute(f'PRAGMA table_info("{table}")')]
        assert set(cols) == set(spec["columns"]), table
        assert all(spec["columns"][c] for c in cols)
    for name, query in db_meta["queries"].items():
        con.execute(query["sql"], {"q": "土谷塘"} if ":q" in query["sql"] else {}).fetchall()
    assert con.execute(db_meta["queries"]["搜索"]["sql"], {"q": "双碳"}).fetchall()
    con.close()


def test_publish_without_notes_leaves_out_what_units_wrote(cli, seeded, tmp_path):
    world(cli)
    cli.ok("publish", "-o", str(tmp_path / "site.db"), "--html", str(tmp_path / "web"), "--no-notes")
    text = all_text(tmp_path / "site.db")
    assert "资金缺口较大" not in text and "主桥已完成合龙施工" not in text and "上半年" not in text
    assert "县交通局报送" in text  # the evidence stays
    assert not any("资金缺口" in p.read_text(encoding="utf-8") for p in (tmp_path / "web").rglob("*.html"))


def test_publish_html_writes_a_static_site_readable_offline(cli, seeded, tmp_path):
    world(cli)
    web = tmp_path / "web"
    cli.ok("publish", "--html", str(web), "--as-of", "2022-07-15")
    index = (web / "index.html").read_text(encoding="utf-8")
    assert "承诺兑现记分卡" in index and 'href="targets/gdp.html"' in index and 'name="viewport"' in index
    bridge = (web / "milestones" / "tugutang-bridge.html").read_text(encoding="utf-8")
    assert "全力推动土谷塘大桥通车" in bridge and "原文出处：二、[(三)]竭尽全力惠民生" in bridge
    assert "资金缺口较大" in bridge and "县交通局报送" in bridge and "已逾期" in bridge
    gdp = (web / "targets" / "gdp.html").read_text(encoding="utf-8")
    assert "县统计局统计月报" in gdp and "地区生产总值增长8.5%以上" in gdp
    assert "县交通运输局" in (web / "units.html").read_text(encoding="utf-8")
    assert "三高四新" in (web / "glossary.html").read_text(encoding="utf-8")
    assert "土谷塘" in (web / "search.html").read_text(encoding="utf-8")
    for page in web.rglob("*"):
        if page.is_file():
            text = page.read_text(encoding="utf-8")
            assert "http://" not in text and "https://" not in text and "//" not in text.replace("<!--", ""), page
            assert USER not in text
    assert_refused(cli("--lang", "en", "publish", "--html", str(web)))  # the files exist: --force replaces them
    cli.ok("publish", "--html", str(web), "--force")


def test_publish_refuses_what_it_cannot_write(cli, seeded, tmp_path, db_path):
    assert_refused(cli("--lang", "en", "publish"),
                   line="error: say where to write: -o site.db (the publication database) and/or --html FOLDER/ (the static site)")
    assert_refused(cli("--lang", "en", "publish", "-o", str(tmp_path / "site.sqlite")))
    assert_refused(cli("--lang", "en", "publish", "-o", str(db_path)))
    assert_refused(cli("--lang", "en", "publish", "-o", str(tmp_path / "no" / "site.db")))
    (tmp_path / "site.db").write_bytes(b"")
    assert_refused(cli("--lang", "en", "publish", "-o", str(tmp_path / "site.db")))
    assert (tmp_path / "site.db").read_bytes() == b""


def test_serve_without_datasette_says_what_to_install(cli, seeded, monkeypatch):
    from hnreport.commands import publish

    monkeypatch.setattr(publish, "datasette_available", lambda: False)
    assert_refused(cli("--lang", "en", "serve"),
                   line="error: hnreport serve needs Datasette: pip install 'hnreport[web]' (that is datasette>=0.65,<1.0)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch_json(url: str, deadline: float):
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_datasette_serves_the_canned_queries(cli, seeded, tmp_path, db_path):
    pytest.importorskip("datasette")
    from datasette.utils import tilde_encode

    world(cli)
    site = tmp_path / "site.db"
    cli.ok("publish", "-o", str(site), "--as-of", "2022-07-15")
    report = as_json(cli.ok("report", "--format", "json", "--as-of", "2022-07-15"))
    behind = [(t["key"], t["status"], t["latest"]) for t in report["targets"] if t["status"] in ("behind", "far_behind")]
    assert {k for k, *_ in behind} == {"gdp", "industry"}
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "hnreport", "serve", "--from", str(site), "--port", str(port)],
                              env=env_for(db_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}/site/"
        rows = fetch_json(base + tilde_encode("滞后指标") + ".json?_shape=array", time.monotonic() + 60)
        assert [(r["key"], r["status"], r["latest"]) for r in rows] == behind
        hits = fetch_json(base + tilde_encode("搜索") + ".json?_shape=array&q=" + urllib.request.quote("双碳"), time.monotonic() + 10)
        assert ("term", "27") in {(h["kind"], h["key"]) for h in hits}
        overdue = fetch_json(base + tilde_encode("逾期事项") + ".json?_shape=array", time.monotonic() + 10)
        assert [r["key"] for r in overdue] == ["tugutang-bridge"]
        with urllib.request.urlopen(base + "targets", timeout=5) as response:
            assert "量化指标" in response.read().decode("utf-8")  # the table's Chinese title
    finally:
        server.terminate()
        try:
            server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


def test_published_figures_stand_as_history_says(cli, seeded, tmp_path):
    """The publication reads every figure in one pass; each one's state is the state `history` gives."""
    for value, vintage in (("5.0", "preliminary"), ("5.2", "final"), ("5.1", "preliminary"), ("5.3", "final")):
        cli.ok("record", "gdp", value, "--as-of", "2022-03-31", "--vintage", vintage, "--source", "季报")
    cli.ok("record", "gdp", "5.4", "--as-of", "2022-06-30", "--source", "半年报")
    cli.ok("record", "gdp", "5.6", "--as-of", "2022-06-30", "--source", "半年报（重报）")
    history = as_json(cli.ok("history", "gdp", "--format", "json"))
    retracted = next(f["id"] for f in history if f["value"] == 5.6)
    cli.ok("retract", str(retracted), "--reason", "重复")
    history = as_json(cli.ok("history", "gdp", "--format", "json"))
    cli.ok("publish", "-o", str(tmp_path / "site.db"))
    con = sqlite3.connect(tmp_path / "site.db")
    published = dict(con.execute("SELECT id, state FROM figures"))
    con.close()
    assert published == {f["id"]: f["state"] for f in history if f["state"] != "retracted"}
    assert sorted(published.values()).count("current") == 2


def test_serve_without_a_publication_makes_one_and_leaves_nothing_behind(cli, seeded, tmp_path, db_path):
    pytest.importorskip("datasette")
    temp = tmp_path / "temp"
    temp.mkdir()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "hnreport", "--lang", "en", "serve", "--port", str(port), "--no-notes"],
                              env=env_for(db_path, TMPDIR=str(temp)), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        rows = fetch_json(f"http://127.0.0.1:{port}/site/plan.json?_shape=array", time.monotonic() + 60)
        assert rows[0]["plan"] == "hengnan-2022" and rows[0]["as_of"] == "2022-07-15"
        assert len(list(temp.iterdir())) == 1  # the publication, in a folder of its own
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "serving" in err.decode("utf-8") and "127.0.0.1" in err.decode("utf-8")
    assert list(temp.iterdir()) == []


def test_a_units_reply_to_an_order_stays_out_of_every_publication(cli, seeded, tmp_path):
    """The 责任人 and 联系电话 a unit gives with its reply to a 督办单 are the office's own."""
    world(cli)
    cli.ok("--user", USER, "orders", "draft", "--all", "--as-of", "2022-07-15", "--issue", "-o", f"{tmp_path / 'orders'}/")
    order = as_json(cli.ok("orders", "list", "--format", "json"))[0]
    cli.ok("--user", USER, "orders", "reply", str(order["id"]), "--text", "已落实资金，8月1日复工", "--source", "衡南交通〔2022〕21号",
           "--person", "李明华", "--phone", "0734-7654321", "--date", "2022-07-15")  # fmt: skip
    site, web = tmp_path / "site.db", tmp_path / "web"
    cli.ok("publish", "-o", str(site), "--html", str(web), "--as-of", "2022-07-15")
    con = sqlite3.connect(site)
    tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    columns = {c for t in tables for (_, c, *_rest) in con.execute(f'PRAGMA table_info("{t}")')}
    con.close()
    assert not tables & {"orders", "order_items", "order_replies", "bulletins", "journal"}
    assert not columns & {"person", "phone", "user"}
    published = [all_text(site), (tmp_path / "site.metadata.json").read_text(encoding="utf-8")]
    published += [p.read_text(encoding="utf-8") for p in web.rglob("*") if p.is_file()]
    for text in published:
        assert "0734-7654321" not in text and "7654321" not in text
        assert "李明华" not in text and USER not in text


def test_a_note_on_many_figures_is_one_hit_a_target_dated_by_its_newest_figure(cli, seeded, tmp_path):
    sheet = tmp_path / "figures.csv"
    sheet.write_text("key,value,as_of,note,source\n" + "".join(
        f"industry,{8 + m / 10},2022-{m:02d}-28,受疫情影响回落,县统计局统计月报\ngdp,{7 + m / 10},2022-{m:02d}-28,,县统计局统计月报\n"
        for m in range(1, 7)), encoding="utf-8")  # fmt: skip
    cli.ok("import", str(sheet))
    hits = found(cli, "疫情影响")
    assert [(h["kind"], h["key"], h["field"], h["as_of"]) for h in hits] == [("figure", "industry", "note", "2022-06-28")]
    assert sorted((h["key"], h["as_of"]) for h in found(cli, "统计月报", "--kind", "figure")) == [
        ("gdp", "2022-06-28"), ("industry", "2022-06-28")]
    assert [h["key"] for h in found(cli, "疫情", "--kind", "figure")] == ["industry"]  # the short path: one hit too
    cli.ok("undo", "--yes")
    assert found(cli, "疫情影响") == [] and found(cli, "疫情", "--kind", "figure") == []
    cli.ok("redo")
    assert len(found(cli, "疫情影响")) == 1


def test_a_figure_text_changed_outside_hnreport_is_found_after_the_next_write(cli, seeded, db_path):
    cli.ok("record", "industry", "8.6", "--as-of", "2022-06-30", "--note", "受疫情影响回落")
    con = sqlite3.connect(db_path)
    with con:  # another tool adds a figure and changes a note in place
        con.execute("UPDATE observations SET note = '汛期停产影响' WHERE target_key = 'industry'")
        con.execute("INSERT INTO observations (target_key, value, as_of, recorded_at, source) "
                    "VALUES ('gdp', 7.5, '2022-06-30', '2022-07-01T00:00:00+00:00', '季度核算快报')")  # fmt: skip
    con.close()
    assert [h["key"] for h in found(cli, "汛期停产")] == ["industry"]  # changed in place: at once
    assert found(cli, "受疫情影响") == []
    cli.ok("record", "revenue", "3", "--as-of", "2022-03-31")  # the next write reads the new figure
    assert [h["key"] for h in found(cli, "核算快报")] == ["gdp"]


def test_the_published_search_has_each_figure_text_of_a_target_once(cli, seeded, tmp_path):
    for month, value in (("2022-03-31", "8.1"), ("2022-04-30", "8.3"), ("2022-05-31", "8.4")):
        cli.ok("record", "industry", value, "--as-of", month, "--note", "受疫情影响回落", "--source", "县统计局统计月报")
    cli.ok("publish", "-o", str(tmp_path / "site.db"))
    con = sqlite3.connect(tmp_path / "site.db")
    rows = con.execute("SELECT key, field, text, as_of FROM search WHERE kind = 'figure' ORDER BY field").fetchall()
    con.close()
    assert rows == [("industry", "note", "受疫情影响回落", "2022-05-31"), ("industry", "source", "县统计局统计月报", "2022-05-31")]
