"""Milestones, deadlines, units and assignments, the glossary, and items a user adds.

Every test runs against its own database with today pinned to 2022-07-15 (see conftest.py);
dates that matter are always given with --as-of. Expected keys, counts and wording come from
data/*.toml, not from the program's own output.
"""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from helpers import as_json, assert_refused, by_key, dump, q, seed_rows

SEED_MILESTONES = seed_rows("milestones.toml", "milestone")
SEED_TARGETS = seed_rows("targets.toml", "target")
SEED_GLOSSARY = seed_rows("glossary.toml", "term")
MILESTONE_STATUSES = ["not_started", "in_progress", "done", "stalled", "dropped", "not_rated"]
MILESTONE_FIELDS = {
    "key", "name_zh", "name_en", "section", "strength", "status", "status_as_of", "due",
    "original_due", "overdue", "lead", "support", "locator", "origin",
}  # fmt: skip




def squash(text: str) -> str:
    """Text without whitespace, so a table cell folded over two lines still matches."""
    return re.sub(r"\s+", "", text)


def milestones_json(cli, *extra: str) -> dict[str, dict]:
    return by_key(as_json(cli.ok("milestones", "list", "--format", "json", *extra)))


# ── the seeded milestones and glossary ───────────────────────────────────────────────────
def test_milestones_list_json_has_the_122_seeded_milestones_with_every_field(cli, seeded):
    rows = as_json(cli.ok("milestones", "list", "--format", "json"))
    assert len(rows) == 122 == len(SEED_MILESTONES)
    assert [r["key"] for r in rows] == [m["key"] for m in SEED_MILESTONES]
    for row in rows:
        assert MILESTONE_FIELDS <= set(row), MILESTONE_FIELDS - set(row)
        assert row["origin"] == "seed"


def test_every_milestone_has_a_nonempty_locator_matching_the_seed(cli, seeded):
    rows = by_key(as_json(cli.ok("milestones", "list", "--format", "json")))
    for m in SEED_MILESTONES:
        assert rows[m["key"]]["locator"].strip(), m["key"]
        assert rows[m["key"]]["locator"] == m["locator"]
        assert rows[m["key"]]["section"] == m["section"]
        assert rows[m["key"]]["name_zh"] == m["name_zh"]


def test_milestone_keys_do_not_collide_with_the_27_target_keys(cli, seeded):
    targets = {r["key"] for r in as_json(cli.ok("targets", "list", "--format", "json"))}
    milestones = {r["key"] for r in as_json(cli.ok("milestones", "list", "--format", "json"))}
    assert len(targets) == 27
    assert len(milestones) == 122
    assert not targets & milestones


def test_glossary_json_has_35_terms_numbered_1_to_35_with_explanations(cli, seeded):
    rows = as_json(cli.ok("glossary", "--format", "json"))
    assert [r["number"] for r in rows] == list(range(1, 36))
    for r in rows:
        assert r["explanation_zh"].strip(), r["number"]
        assert r["explanation_en"].strip(), r["number"]
        assert r["body_locator"].strip(), r["number"]
    seed = {g["number"]: g for g in SEED_GLOSSARY}
    assert {r["number"]: r["term"] for r in rows} == {n: g["term"] for n, g in seed.items()}


def test_glossary_term_27_is_shuangtan(cli, seeded):
    rows = {r["number"]: r for r in as_json(cli.ok("glossary", "--format", "json"))}
    assert rows[27]["term"] == "双碳"
    assert "碳达峰" in rows[27]["explanation_zh"]


# ── status vocabulary and history ────────────────────────────────────────────────────────
def test_every_milestone_is_not_rated_by_default(cli, seeded):
    rows = as_json(cli.ok("milestones", "list", "--format", "json", "--as-of", "2022-12-31"))
    assert {r["status"] for r in rows} == {"not_rated"}
    assert all(r["status_as_of"] is None for r in rows)


@pytest.mark.parametrize("status", MILESTONE_STATUSES)
def test_each_status_of_the_vocabulary_can_be_set_and_filtered(cli, seeded, status):
    cli.ok("milestones", "set", "quanxi-bridge", status, "--as-of", "2022-05-31")
    rows = as_json(cli.ok("milestones", "list", "--status", status, "--as-of", "2022-06-30", "--format", "json"))
    keys = [r["key"] for r in rows]
    assert "quanxi-bridge" in keys
    assert {r["status"] for r in rows} == {status}
    if status != "not_rated":
        assert keys == ["quanxi-bridge"]
        assert rows[0]["status_as_of"] == "2022-05-31"


def test_milestones_set_appends_and_show_lists_both_changes_with_their_details(cli, seeded, db_path):
    cli.ok("milestones", "set", "tugutang-bridge", "in_progress", "--as-of", "2022-03-31",
           "--progress", "桥墩完工", "--problems", "资金缺口", "--next", "争取专项债", "--source", "交通局简报3期")  # fmt: skip
    cli.ok("milestones", "set", "tugutang-bridge", "stalled", "--as-of", "2022-06-30",
           "--progress", "主桥合龙", "--problems", "汛期停工", "--next", "汛后复工", "--source", "交通局简报6期")  # fmt: skip
    conn = sqlite3.connect(db_path)
    try:
        count = conn.execute("SELECT count(*) FROM milestone_status WHERE milestone_key = 'tugutang-bridge'").fetchone()[0]
    finally:
        conn.close()
    assert count == 2  # appended, not overwritten
    out = squash(cli.ok("milestones", "show", "tugutang-bridge", "--as-of", "2022-07-15").stdout)
    for text in ("桥墩完工", "资金缺口", "争取专项债", "交通局简报3期", "主桥合龙", "汛期停工", "汛后复工", "交通局简报6期",
                 "2022-03-31", "2022-06-30"):  # fmt: skip
        assert text in out, text
    exported = as_json(cli.ok("export"))["milestone_status"]
    assert [(s["status"], s["as_of"], s["progress"], s["problems"], s["next_steps"], s["source"]) for s in exported] == [
        ("in_progress", "2022-03-31", "桥墩完工", "资金缺口", "争取专项债", "交通局简报3期"),
        ("stalled", "2022-06-30", "主桥合龙", "汛期停工", "汛后复工", "交通局简报6期"),
    ]


def test_as_of_reads_the_status_history(cli, seeded):
    cli.ok("milestones", "set", "tugutang-bridge", "in_progress", "--as-of", "2022-03-31")
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30")
    assert milestones_json(cli, "--as-of", "2022-02-28")["tugutang-bridge"]["status"] == "not_rated"
    may = milestones_json(cli, "--as-of", "2022-05-31")["tugutang-bridge"]
    assert (may["status"], may["status_as_of"]) == ("in_progress", "2022-03-31")
    june = milestones_json(cli, "--as-of", "2022-06-30")["tugutang-bridge"]
    assert (june["status"], june["status_as_of"]) == ("done", "2022-06-30")


def test_status_set_later_for_an_earlier_date_is_read_by_its_date(cli, seeded):
    # recorded out of order: the June status first, then the March one
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30")
    cli.ok("milestones", "set", "tugutang-bridge", "in_progress", "--as-of", "2022-03-31")
    assert milestones_json(cli, "--as-of", "2022-05-31")["tugutang-bridge"]["status"] == "in_progress"
    assert milestones_json(cli, "--as-of", "2022-07-31")["tugutang-bridge"]["status"] == "done"


def test_unknown_status_is_refused_with_the_valid_statuses(cli, seeded, db_path):
    before = dump(db_path)
    result = cli("milestones", "set", "tugutang-bridge", "finished", "--as-of", "2022-06-30")
    assert_refused(result, before, db_path)
    for status in MILESTONE_STATUSES:
        assert status in result.stderr


def test_unknown_milestone_key_is_refused_with_the_closest_keys(cli, seeded, db_path):
    before = dump(db_path)
    result = cli("milestones", "set", "tugutang-brige", "done", "--as-of", "2022-06-30")
    assert_refused(result, before, db_path)
    assert "tugutang-bridge" in result.stderr


def test_a_target_key_is_not_a_milestone(cli, seeded, db_path):
    before = dump(db_path)
    assert_refused(cli("milestones", "set", "gdp", "done", "--as-of", "2022-06-30"), before, db_path)


def test_milestones_list_refuses_an_unknown_status_filter(cli, seeded, db_path):
    before = dump(db_path)
    result = cli("milestones", "list", "--status", "finished")
    assert_refused(result, before, db_path)
    assert "not_started" in result.stderr


# ── the done-when ────────────────────────────────────────────────────────────────
def test_done_when_tugutang_bridge_done_shows_in_the_report_and_show(cli, seeded):
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30", "--source", "衡南交通〔2022〕15号")
    table = cli.ok("report", "--as-of", "2022-06-30").stdout
    row = next(line for line in table.splitlines() if "[(三)]竭尽全力惠民生" in line and "│" in line)
    cells = [c.strip() for c in row.strip("│").split("│")]
    # columns: section, then the six statuses in vocabulary order, then overdue
    assert cells[1 + MILESTONE_STATUSES.index("done")] == "1"
    report = as_json(cli.ok("report", "--as-of", "2022-06-30", "--format", "json"))
    sections = {s["code"]: s["summary"] for s in report["milestones"]["sections"]}
    assert sections["livelihood"]["done"] == 1
    livelihood_total = sum(1 for m in SEED_MILESTONES if m["section"] == "livelihood")
    assert sections["livelihood"]["not_rated"] == livelihood_total - 1
    assert all(s["done"] == 0 for code, s in sections.items() if code != "livelihood")
    assert report["milestones"]["summary"]["done"] == 1
    shown = squash(cli.ok("milestones", "show", "tugutang-bridge", "--as-of", "2022-06-30").stdout)
    assert "衡南交通〔2022〕15号" in shown
    assert "已完成" in shown


def test_done_before_the_as_of_date_is_not_counted(cli, seeded):
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30", "--source", "x")
    report = as_json(cli.ok("report", "--as-of", "2022-05-31", "--format", "json"))
    sections = {s["code"]: s["summary"] for s in report["milestones"]["sections"]}
    assert sections["livelihood"]["done"] == 0


# ── deadlines ────────────────────────────────────────────────────────────────────────────
def _due_items(cli, as_of: str, within: str = "7") -> list[dict]:
    data = as_json(cli.ok("due", "--within", within, "--as-of", as_of, "--format", "json"))
    assert data["as_of"] == as_of
    assert data["within"] == int(within)
    return data["items"]


def test_due_date_within_the_window_is_listed_as_due(cli, seeded):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30", "--node", "2022-08-31 主体完工")
    items = [i for i in _due_items(cli, "2022-09-25") if i["key"] == "tugutang-bridge"]
    # the node of 08-31 has passed and nobody marked it: it is listed too, before the due date
    assert [(i["kind"], i["date"], i["days"]) for i in items] == [("node_passed", "2022-08-31", -25), ("due", "2022-09-30", 5)]
    # outside the window: nothing
    assert not [i for i in _due_items(cli, "2022-09-01") if i["key"] == "tugutang-bridge" and i["kind"] == "due"]


def test_time_node_within_the_window_is_listed_as_node(cli, seeded):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30", "--node", "2022-08-31 主体完工")
    items = [i for i in _due_items(cli, "2022-08-28") if i["key"] == "tugutang-bridge"]
    assert [(i["kind"], i["date"], i["text"]) for i in items] == [("node", "2022-08-31", "主体完工")]


def test_past_due_date_is_overdue_in_due_list_and_report(cli, seeded):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30", "--node", "2022-08-31 主体完工")
    items = [i for i in _due_items(cli, "2022-10-05") if i["key"] == "tugutang-bridge"]
    assert [(i["kind"], i["date"], i["days"]) for i in items] == [("overdue", "2022-09-30", -5), ("node_passed", "2022-08-31", -35)]
    row = milestones_json(cli, "--as-of", "2022-10-05")["tugutang-bridge"]
    assert row["overdue"] is True
    report = as_json(cli.ok("report", "--as-of", "2022-10-05", "--format", "json"))
    assert [m["key"] for m in report["milestones"]["overdue"]] == ["tugutang-bridge"]
    table = cli.ok("report", "--as-of", "2022-10-05").stdout
    flagged = [line for line in table.splitlines() if "(tugutang-bridge)" in line]
    assert flagged and "逾期" in flagged[0]
    # on the due date itself it is not yet overdue
    assert not as_json(cli.ok("report", "--as-of", "2022-09-30", "--format", "json"))["milestones"]["overdue"]


def test_done_milestone_is_not_overdue(cli, seeded):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30")
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-09-20")
    assert milestones_json(cli, "--as-of", "2022-10-05")["tugutang-bridge"]["overdue"] is False
    assert not [i for i in _due_items(cli, "2022-10-05") if i["key"] == "tugutang-bridge"]


def test_extend_keeps_the_original_date(cli, seeded):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30", "--node", "2022-08-31 主体完工")
    cli.ok("milestones", "extend", "tugutang-bridge", "--to", "2023-03-31", "--reason", "汛期停工")
    row = milestones_json(cli, "--as-of", "2022-10-05")["tugutang-bridge"]
    assert row["original_due"] == "2022-09-30"
    assert row["due"] == "2023-03-31"
    assert row["overdue"] is False
    # no longer overdue; only its unmarked node of 08-31 is still to be chased
    assert [i["kind"] for i in _due_items(cli, "2022-10-05") if i["key"] == "tugutang-bridge"] == ["node_passed"]
    report = as_json(cli.ok("report", "--as-of", "2022-10-05", "--format", "json"))
    assert report["milestones"]["overdue"] == []
    shown = squash(cli.ok("milestones", "show", "tugutang-bridge", "--as-of", "2022-10-05").stdout)
    assert "2022-09-30" in shown and "2023-03-31" in shown and "汛期停工" in shown


def test_extend_without_a_due_date_is_refused(cli, seeded, db_path):
    before = dump(db_path)
    result = cli("milestones", "extend", "tugutang-bridge", "--to", "2023-03-31", "--reason", "汛期停工")
    assert_refused(result, before, db_path)
    assert "milestones due" in result.stderr


def test_extend_with_a_blank_reason_is_refused(cli, seeded, db_path):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30")
    before = dump(db_path)
    assert_refused(cli("milestones", "extend", "tugutang-bridge", "--to", "2023-03-31", "--reason", "  "), before, db_path)


def test_extend_without_reason_option_is_a_usage_error(cli, seeded, db_path):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30")
    before = dump(db_path)
    result = cli("milestones", "extend", "tugutang-bridge", "--to", "2023-03-31")
    assert result.exit_code == 2  # click's usage error: a required option is missing
    assert "--reason" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert dump(db_path) == before


def test_node_without_text_is_refused(cli, seeded, db_path):
    before = dump(db_path)
    assert_refused(cli("milestones", "due", "tugutang-bridge", "2022-09-30", "--node", "2022-08-31"), before, db_path)


# ── units and assignments ────────────────────────────────────────────────────────────────
def _add_ndrc(cli):
    cli.ok("units", "add", "县发展和改革局", "--alias", "县发改局", "--alias", "发改局")


def test_assign_resolves_an_alias_to_the_full_unit_name(cli, seeded):
    _add_ndrc(cli)
    out = cli.ok("assign", "investment", "发改局").stdout
    assert "县发展和改革局" in out
    units = as_json(cli.ok("units", "--format", "json"))
    assert [u["name"] for u in units] == ["县发展和改革局"]
    assert sorted(units[0]["aliases"]) == sorted(["县发改局", "发改局"])
    assert units[0]["lead"] == {"targets": ["investment"], "milestones": []}
    grouped = as_json(cli.ok("report", "--by", "unit", "--as-of", "2022-06-30", "--format", "json"))["by_unit"]
    ndrc = next(g for g in grouped if g["unit"] == "县发展和改革局")
    assert [t["key"] for t in ndrc["targets"]] == ["investment"]


def test_unknown_unit_is_refused_with_the_closest_names(cli, seeded, db_path):
    _add_ndrc(cli)
    before = dump(db_path)
    result = cli("assign", "investment", "县发改")
    assert_refused(result, before, db_path)
    assert "县发改局" in result.stderr or "县发展和改革局" in result.stderr


def test_unknown_unit_is_added_with_new(cli, seeded):
    cli.ok("assign", "tugutang-bridge", "县交通运输局", "--new")
    units = as_json(cli.ok("units", "--format", "json"))
    assert [u["name"] for u in units] == ["县交通运输局"]
    assert units[0]["lead"] == {"targets": [], "milestones": ["tugutang-bridge"]}
    assert milestones_json(cli, "--as-of", "2022-06-30")["tugutang-bridge"]["lead"] == "县交通运输局"


def test_unknown_item_key_for_assign_is_refused(cli, seeded, db_path):
    _add_ndrc(cli)
    before = dump(db_path)
    assert_refused(cli("assign", "investmnet", "发改局"), before, db_path)


def test_one_lead_per_item_and_several_supports(cli, seeded):
    _add_ndrc(cli)
    cli.ok("assign", "tugutang-bridge", "县交通运输局", "--new")
    cli.ok("assign", "tugutang-bridge", "县财政局", "--role", "support", "--new")
    cli.ok("assign", "tugutang-bridge", "县自然资源局", "--role", "support", "--new")
    row = milestones_json(cli, "--as-of", "2022-06-30")["tugutang-bridge"]
    assert row["lead"] == "县交通运输局"
    assert sorted(row["support"]) == sorted(["县财政局", "县自然资源局"])
    cli.ok("assign", "tugutang-bridge", "发改局")  # a second lead replaces the first
    row = milestones_json(cli, "--as-of", "2022-06-30")["tugutang-bridge"]
    assert row["lead"] == "县发展和改革局"
    assert sorted(row["support"]) == sorted(["县财政局", "县自然资源局"])
    units = {u["name"]: u for u in as_json(cli.ok("units", "--format", "json"))}
    assert units["县交通运输局"]["lead"] == {"targets": [], "milestones": []}
    assert units["县发展和改革局"]["lead"] == {"targets": [], "milestones": ["tugutang-bridge"]}
    assert units["县财政局"]["support"] == {"targets": [], "milestones": ["tugutang-bridge"]}
    leads = [g for g in as_json(cli.ok("report", "--by", "unit", "--format", "json", "--as-of", "2022-06-30"))["by_unit"]
             if any(m["key"] == "tugutang-bridge" for m in g["milestones"])]  # fmt: skip
    assert [g["unit"] for g in leads] == ["县发展和改革局"]


def test_units_json_shape_and_counts(cli, seeded):
    _add_ndrc(cli)
    cli.ok("units", "add", "县交通运输局", "--alias", "交通局")
    cli.ok("assign", "investment", "发改局")
    cli.ok("assign", "key-project-investment", "发改局")
    cli.ok("assign", "projects-100m", "交通局", "--role", "support")
    cli.ok("assign", "tugutang-bridge", "交通局")
    cli.ok("assign", "quanxi-bridge", "交通局")
    cli.ok("assign", "yunji-santang-bus", "交通局")
    cli.ok("assign", "tugutang-bridge", "发改局", "--role", "support")
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30")
    cli.ok("milestones", "set", "quanxi-bridge", "stalled", "--as-of", "2022-06-30")
    # key-project-investment ≥140 亿元: 70 at mid-year is exactly on pace (README's worked example)
    cli.ok("record", "key-project-investment", "70", "--as-of", "2022-06-30")
    units = {u["name"]: u for u in as_json(cli.ok("units", "--as-of", "2022-06-30", "--format", "json"))}
    assert set(units) == {"县发展和改革局", "县交通运输局"}
    for u in units.values():
        assert set(u) >= {"name", "aliases", "lead", "support", "targets_by_status", "milestones_by_status"}
        assert set(u["lead"]) == {"targets", "milestones"} == set(u["support"])
    ndrc, transport = units["县发展和改革局"], units["县交通运输局"]
    assert sorted(ndrc["lead"]["targets"]) == ["investment", "key-project-investment"]
    assert ndrc["lead"]["milestones"] == []
    assert ndrc["support"] == {"targets": [], "milestones": ["tugutang-bridge"]}
    assert ndrc["targets_by_status"] == {"no_data": 1, "on_pace": 1}
    assert ndrc["milestones_by_status"] == {}
    assert transport["aliases"] == ["交通局"]
    assert transport["lead"]["targets"] == []
    assert sorted(transport["lead"]["milestones"]) == sorted(["tugutang-bridge", "quanxi-bridge", "yunji-santang-bus"])
    assert transport["support"] == {"targets": ["projects-100m"], "milestones": []}
    assert transport["targets_by_status"] == {}
    assert transport["milestones_by_status"] == {"done": 1, "stalled": 1, "not_rated": 1}


def test_report_by_unit_lists_every_item_exactly_once_including_unassigned(cli, seeded):
    _add_ndrc(cli)
    cli.ok("assign", "investment", "发改局")
    cli.ok("assign", "tugutang-bridge", "县交通运输局", "--new")
    cli.ok("assign", "quanxi-bridge", "县交通运输局")
    cli.ok("assign", "gdp", "县统计局", "--role", "support", "--new")  # support only: still unassigned
    data = as_json(cli.ok("report", "--by", "unit", "--as-of", "2022-06-30", "--format", "json"))
    assert data["as_of"] == "2022-06-30"
    groups = {g["unit"]: g for g in data["by_unit"]}
    assert len(groups) == len(data["by_unit"])  # one group per unit
    assert set(groups) == {"县发展和改革局", "县交通运输局", None}
    target_keys = [t["key"] for g in data["by_unit"] for t in g["targets"]]
    milestone_keys = [m["key"] for g in data["by_unit"] for m in g["milestones"]]
    assert sorted(target_keys) == sorted(t["key"] for t in SEED_TARGETS)
    assert sorted(milestone_keys) == sorted(m["key"] for m in SEED_MILESTONES)
    assert [t["key"] for t in groups["县发展和改革局"]["targets"]] == ["investment"]
    assert groups["县发展和改革局"]["milestones"] == []
    assert sorted(m["key"] for m in groups["县交通运输局"]["milestones"]) == ["quanxi-bridge", "tugutang-bridge"]
    unassigned = groups[None]
    assert len(unassigned["targets"]) == 26 and "gdp" in [t["key"] for t in unassigned["targets"]]
    assert len(unassigned["milestones"]) == 120


def test_report_by_unit_with_nothing_assigned_puts_everything_under_null(cli, seeded):
    data = as_json(cli.ok("report", "--by", "unit", "--as-of", "2022-06-30", "--format", "json"))
    assert [g["unit"] for g in data["by_unit"]] == [None]
    assert len(data["by_unit"][0]["targets"]) == 27
    assert len(data["by_unit"][0]["milestones"]) == 122


def test_milestones_list_by_unit_shows_what_it_leads_or_supports(cli, seeded, db_path):
    _add_ndrc(cli)
    cli.ok("assign", "quanxi-bridge", "发改局")
    cli.ok("assign", "tugutang-bridge", "县发改局", "--role", "support")
    cli.ok("assign", "yunji-santang-bus", "县交通运输局", "--new")
    rows = as_json(cli.ok("milestones", "list", "--unit", "发改局", "--as-of", "2022-06-30", "--format", "json"))
    assert sorted(r["key"] for r in rows) == ["quanxi-bridge", "tugutang-bridge"]
    before = dump(db_path)
    assert_refused(cli("milestones", "list", "--unit", "县发改"), before, db_path)


def test_an_alias_already_naming_another_unit_is_refused(cli, seeded, db_path):
    _add_ndrc(cli)
    before = dump(db_path)
    assert_refused(cli("units", "add", "县交通运输局", "--alias", "发改局"), before, db_path)


@pytest.mark.parametrize("args,zh,en", [
    (["县发改局"], "'县发改局' 已是单位 县发展和改革局 的别名，未作改动",
     "'县发改局' already names the unit 县发展和改革局; nothing changed"),
    (["县发展和改革局"], "单位 县发展和改革局 已有，未作改动", "the unit 县发展和改革局 is already recorded; nothing changed"),
    (["县发展和改革局", "--alias", "发改局"], "单位 县发展和改革局 已有（别名：发改局），未作改动",
     "the unit 县发展和改革局 is already recorded (aliases: 发改局); nothing changed"),
    (["发改局", "--alias", "县发改局"], "'发改局' 已是单位 县发展和改革局 的别名（别名：县发改局），未作改动",
     "'发改局' already names the unit 县发展和改革局 (aliases: 县发改局); nothing changed"),
], ids=["alias", "name", "name-and-alias", "alias-and-alias"])  # fmt: skip
def test_adding_a_unit_it_already_is_changes_nothing_and_journals_nothing(cli, seeded, db_path, args, zh, en):
    _add_ndrc(cli)
    journal = len(as_json(cli.ok("log", "--format", "json")))
    before = dump(db_path)
    for lang, line in (("zh", zh), ("en", en)):
        result = cli.ok("--lang", lang, "units", "add", *args)  # exit 0, as assign --from or plan load with nothing new
        assert result.stdout == line + "\n"
    assert dump(db_path) == before
    assert len(as_json(cli.ok("log", "--format", "json"))) == journal


def test_assigning_a_role_a_unit_already_has_changes_nothing_and_journals_nothing(cli, seeded, db_path):
    _add_ndrc(cli)
    cli.ok("assign", "tugutang-bridge", "县发展和改革局")
    cli.ok("assign", "gdp", "县发改局", "--role", "support")
    journal = len(as_json(cli.ok("log", "--format", "json")))
    before = dump(db_path)
    for lang, args, line in (
        ("zh", ["tugutang-bridge", "县发改局"], "县发展和改革局 已是 tugutang-bridge 的牵头单位，未作改动"),
        ("en", ["tugutang-bridge", "县发展和改革局", "--role", "lead"],
         "县发展和改革局 already has the lead role for tugutang-bridge; nothing changed"),
        ("zh", ["gdp", "发改局", "--role", "配合"], "县发展和改革局 已是 gdp 的配合单位，未作改动"),
    ):  # fmt: skip
        assert cli.ok("--lang", lang, "assign", *args).stdout == line + "\n"
    assert dump(db_path) == before
    assert len(as_json(cli.ok("log", "--format", "json"))) == journal
    # a different role is a change: the lead becomes a supporting unit, journalled once
    cli.ok("assign", "tugutang-bridge", "县发改局", "--role", "support")
    assert len(as_json(cli.ok("log", "--format", "json"))) == journal + 1


def test_adding_a_new_alias_through_an_alias_journals_once_naming_the_unit(cli, seeded):
    _add_ndrc(cli)
    journal = as_json(cli.ok("log", "--format", "json"))
    cli.ok("--lang", "zh", "units", "add", "县发改局", "--alias", "发展改革局")
    after = as_json(cli.ok("--lang", "zh", "log", "--format", "json"))
    assert len(after) == len(journal) + 1
    assert after[-1]["summary"] == "单位 县发展和改革局（别名：发展改革局）"
    units = as_json(cli.ok("units", "--format", "json"))
    assert sorted(units[0]["aliases"]) == sorted(["县发改局", "发改局", "发展改革局"])


# ── items a user adds ────────────────────────────────────────────────────────────────────
def _add_user_items(cli):
    cli.ok("targets", "add", "parking-spaces", "--name-zh", "新增停车位", "--section", "livelihood",
           "--kind", "cumulative", "--value", "500", "--unit", "个")  # fmt: skip
    cli.ok("milestones", "add", "minsheng-01", "--name-zh", "新建城区公厕10座", "--section", "livelihood",
           "--phrase", "新建城区公厕10座", "--locator", "民生实事第1项")  # fmt: skip


def _origin(db_path, table, key):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT origin FROM {table} WHERE key = ?", (key,)).fetchone()[0]
    finally:
        conn.close()


def test_added_items_appear_in_lists_with_origin_user(cli, seeded, db_path):
    _add_user_items(cli)
    targets = by_key(as_json(cli.ok("targets", "list", "--format", "json", "--as-of", "2022-06-30")))
    assert len(targets) == 28
    assert targets["parking-spaces"]["target"] == 500
    assert targets["parking-spaces"]["unit"] == "个"
    assert targets["parking-spaces"]["section"] == "livelihood"
    assert _origin(db_path, "targets", "parking-spaces") == "user"
    milestones = milestones_json(cli, "--as-of", "2022-06-30")
    assert len(milestones) == 123
    assert milestones["minsheng-01"]["origin"] == "user"
    assert milestones["minsheng-01"]["locator"] == "民生实事第1项"
    exported = as_json(cli.ok("export"))
    assert [t["key"] for t in exported["targets_added"]] == ["parking-spaces"]
    assert [m["key"] for m in exported["milestones_added"]] == ["minsheng-01"]


def test_added_items_can_be_recorded_and_set(cli, seeded):
    _add_user_items(cli)
    cli.ok("record", "parking-spaces", "250", "--as-of", "2022-06-30")
    cli.ok("milestones", "set", "minsheng-01", "in_progress", "--as-of", "2022-06-30")
    row = by_key(as_json(cli.ok("targets", "list", "--format", "json", "--as-of", "2022-06-30")))["parking-spaces"]
    assert row["latest"] == 250
    assert row["status"] == "on_pace"  # 250 of 500 at mid-year, 序时进度 50 %
    assert milestones_json(cli, "--as-of", "2022-06-30")["minsheng-01"]["status"] == "in_progress"


def test_added_items_survive_a_seed_update(cli, seeded, db_path):
    _add_user_items(cli)
    cli.ok("record", "parking-spaces", "250", "--as-of", "2022-06-30")
    cli.ok("milestones", "set", "minsheng-01", "in_progress", "--as-of", "2022-06-30")
    targets_before = as_json(cli.ok("targets", "list", "--format", "json", "--as-of", "2022-06-30"))
    milestones_before = as_json(cli.ok("milestones", "list", "--format", "json", "--as-of", "2022-06-30"))
    history_before = as_json(cli.ok("history", "parking-spaces", "--format", "json"))
    conn = sqlite3.connect(db_path)
    try:
        rows_before = {
            t: conn.execute(f"SELECT * FROM {t} WHERE origin = 'user'").fetchall() for t in ("targets", "milestones")
        }
        with conn:
            conn.execute("UPDATE plans SET seed_digest = 'old'")  # as if data/ had changed since
    finally:
        conn.close()
    cli.ok("db", "init")
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT seed_digest FROM plans").fetchone()[0] != "old"  # the seed was re-applied
        rows_after = {
            t: conn.execute(f"SELECT * FROM {t} WHERE origin = 'user'").fetchall() for t in ("targets", "milestones")
        }
    finally:
        conn.close()
    assert rows_after == rows_before
    assert as_json(cli.ok("targets", "list", "--format", "json", "--as-of", "2022-06-30")) == targets_before
    assert as_json(cli.ok("milestones", "list", "--format", "json", "--as-of", "2022-06-30")) == milestones_before
    assert as_json(cli.ok("history", "parking-spaces", "--format", "json")) == history_before


@pytest.mark.parametrize(
    "args",
    [
        ("targets", "add", "gdp", "--name-zh", "重复", "--section", "main", "--kind", "level", "--value", "1"),
        ("targets", "add", "tugutang-bridge", "--name-zh", "重复", "--section", "main", "--kind", "level", "--value", "1"),
        ("milestones", "add", "tugutang-bridge", "--name-zh", "重复", "--section", "livelihood"),
        ("milestones", "add", "gdp", "--name-zh", "重复", "--section", "livelihood"),
        ("milestones", "add", "parking-spaces", "--name-zh", "重复", "--section", "livelihood"),
        ("targets", "add", "minsheng-01", "--name-zh", "重复", "--section", "main", "--kind", "level", "--value", "1"),
    ],
    ids=["target-as-target", "milestone-as-target", "milestone-as-milestone", "target-as-milestone",
         "user-target-as-milestone", "user-milestone-as-target"],  # fmt: skip
)
def test_a_key_already_used_is_refused(cli, seeded, db_path, args):
    _add_user_items(cli)
    before = dump(db_path)
    result = cli(*args)
    assert_refused(result, before, db_path)
    assert "already used" in result.stderr


def test_an_invalid_new_key_is_refused(cli, seeded, db_path):
    before = dump(db_path)
    assert_refused(cli("milestones", "add", "Bad Key", "--name-zh", "x", "--section", "livelihood"), before, db_path)


# ── glossary lookups and terms in show ───────────────────────────────────────────────────
def test_glossary_by_number(cli, seeded):
    rows = as_json(cli.ok("glossary", "27", "--format", "json"))
    assert [(r["number"], r["term"]) for r in rows] == [(27, "双碳")]


def test_glossary_by_term(cli, seeded):
    rows = as_json(cli.ok("glossary", "双碳", "--format", "json"))
    assert 27 in [r["number"] for r in rows]
    assert all("双碳" in r["term"] or "双碳" in r["explanation_zh"] for r in rows)


def test_glossary_by_substring(cli, seeded):
    rows = as_json(cli.ok("glossary", "园区", "--format", "json"))
    expected = {g["number"] for g in SEED_GLOSSARY if "园区" in g["term"] or "园区" in g["explanation_zh"]}
    assert {r["number"] for r in rows} == expected
    assert 29 in expected  # 五好园区


@pytest.mark.parametrize("query", ["不存在的名词", "99", "0"])
def test_glossary_no_match_is_refused(cli, seeded, db_path, query):
    before = dump(db_path)
    assert_refused(cli("glossary", query), before, db_path)


def test_milestones_show_explains_the_glossary_term_it_uses(cli, seeded):
    term = next(g for g in SEED_GLOSSARY if g["number"] == 26)
    assert term["term"] == "田长制"
    out = squash(cli.ok("milestones", "show", "field-chief").stdout)
    assert "[26]田长制" in out
    assert squash(term["explanation_zh"]) in out


def test_milestones_show_explains_in_english_with_lang_en(cli, seeded):
    term = next(g for g in SEED_GLOSSARY if g["number"] == 26)
    out = squash(cli.ok("--lang", "en", "milestones", "show", "field-chief").stdout)
    assert squash(term["explanation_en"]) in out


def test_targets_show_explains_the_glossary_term_it_uses(cli, seeded):
    term = next(g for g in SEED_GLOSSARY if g["number"] == 28)
    assert term["term"] == "破零倍增"
    out = squash(cli.ok("targets", "show", "zero-breakthrough-enterprises").stdout)
    assert squash(term["explanation_zh"]) in out


# ── implied deadlines (issue 12 #8) ──────────────────────────────────────────────────────
def test_a_milestone_without_a_stated_date_is_due_by_the_plan_years_end_shown_as_implied(cli, seeded):
    rows = milestones_json(cli, "--as-of", "2022-07-15")
    assert {(r["due"], r["due_implied"], r["original_due"]) for r in rows.values()} == {("2022-12-31", True, None)}
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30")
    row = milestones_json(cli, "--as-of", "2022-07-15")["tugutang-bridge"]
    assert (row["due"], row["due_implied"], row["original_due"]) == ("2022-09-30", False, "2022-09-30")
    table = cli.ok("milestones", "list", "--as-of", "2022-07-15").stdout
    assert re.search(r"│ energy-dual-control\s+│ 完成能耗\"双控\"目标任务\s+│ ○ 未评估 │ 2022-12-31 \(推定\) │ —\s*│", table)
    assert re.search(r"│ tugutang-bridge\s+│ 土谷塘大桥通车\s+│ ○ 未评估 │ 2022-09-30\s+│", table)
    english = cli.ok("--lang", "en", "milestones", "list", "--as-of", "2022-07-15").stdout
    assert "2022-12-31 (implied)" in english
    shown = cli.ok("milestones", "show", "energy-dual-control").stdout
    assert re.search(r"^时限\s+2022-12-31 \(推定\)\s*$", shown, re.M)


def test_due_flags_every_open_commitment_in_the_last_week_of_the_plan_year(cli, seeded):
    cli.ok("milestones", "set", "quanxi-bridge", "done", "--as-of", "2022-12-01")
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30")
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-09-30")
    items = _due_items(cli, "2022-12-28", "3")
    # 122 seeded, less one done with the implied date and one with a stated date (done too)
    assert len(items) == 120
    assert {(i["kind"], i["date"], i["days"], i["due_implied"]) for i in items} == {("due", "2022-12-31", 3, True)}
    assert [i["key"] for i in items] == [m["key"] for m in SEED_MILESTONES if m["key"] not in ("quanxi-bridge", "tugutang-bridge")]
    # three days too many: nothing yet
    assert _due_items(cli, "2022-12-27", "3") == []
    table = cli.ok("due", "--within", "3", "--as-of", "2022-12-28").stdout
    assert re.search(r"│ 未分配牵头单位 │ 即将到期\s+│ 完成能耗\"双控\"目标任务\s+│ 2022-12-31 \(推定\) │ 还有3天 │ ○ 未评估 │", table)


def test_after_the_plan_year_an_open_commitment_without_a_date_is_overdue(cli, seeded):
    cli.ok("milestones", "set", "quanxi-bridge", "in_progress", "--as-of", "2022-12-01")
    cli.ok("milestones", "set", "yunji-santang-bus", "dropped", "--as-of", "2022-12-01")
    items = by_key(_due_items(cli, "2023-01-05"))
    assert (items["quanxi-bridge"]["kind"], items["quanxi-bridge"]["date"], items["quanxi-bridge"]["days"]) == ("overdue", "2022-12-31", -5)
    assert items["quanxi-bridge"]["due_implied"] is True
    assert "yunji-santang-bus" not in items  # dropped: closed
    assert len(items) == 121
    report = as_json(cli.ok("report", "--as-of", "2023-01-05", "--format", "json"))
    assert len(report["milestones"]["overdue"]) == 121


def test_state_at_without_a_plan_year_leaves_an_unstated_due_date_empty():
    from datetime import date

    from hnreport.domain.milestones import Milestone, state_at

    m = Milestone("x", "某事", "something", "livelihood")
    assert state_at(m, date(2022, 7, 15), [], []).due is None
    implied = state_at(m, date(2023, 1, 2), [], [], plan_year=2022)
    assert (implied.due, implied.due_implied, implied.original_due, implied.overdue) == (date(2022, 12, 31), True, None, True)


def test_the_milestone_latest_view_gives_the_implied_due_date(cli, seeded, db_path):
    cli.ok("milestones", "due", "tugutang-bridge", "2022-09-30")
    rows = dict(((k, (d, i)) for k, d, i in q(db_path, "SELECT key, due_date, due_implied FROM milestone_latest")))
    assert rows["tugutang-bridge"] == ("2022-09-30", 0)
    assert rows["energy-dual-control"] == ("2022-12-31", 1)


# ── time nodes marked met or missed (issue 12 #9) ────────────────────────────────────────
def _bridge_with_nodes(cli):
    cli.ok("milestones", "due", "jiangkou-bridge-closure", "2022-09-30",
           "--node", "2022-06-30 主桥合龙", "--node", "2022-08-15 桥面铺装")  # fmt: skip


def test_a_passed_unmarked_node_is_listed_by_due_with_its_text_and_days(cli, seeded):
    _bridge_with_nodes(cli)
    items = [i for i in _due_items(cli, "2022-07-15") if i["key"] == "jiangkou-bridge-closure"]
    assert [(i["kind"], i["date"], i["days"], i["text"]) for i in items] == [("node_passed", "2022-06-30", -15, "主桥合龙")]
    table = cli.ok("due", "--as-of", "2022-07-15").stdout
    assert re.search(r"│ 未分配牵头单位 │ 节点已过未标记 │ 江口耒水渡改桥主桥合龙 — 主桥合龙 │ 2022-06-30 │ 逾期15天 │ ○ 未评估 │", table)
    # on the node's own day it is a node due today, not a passed one
    items = [i for i in _due_items(cli, "2022-06-30") if i["key"] == "jiangkou-bridge-closure"]
    assert [(i["kind"], i["days"]) for i in items] == [("node", 0)]


def test_marking_a_node_met_takes_it_off_the_due_list_and_shows_in_milestones_show(cli, seeded, db_path):
    _bridge_with_nodes(cli)
    out = cli.ok("milestones", "node", "jiangkou-bridge-closure", "2022-06-30", "met", "--note", "6月28日合龙").stdout
    assert re.fullmatch(r"jiangkou-bridge-closure node 2022-06-30 \(主桥合龙\) → met; change \d+\n", out)
    assert not [i for i in _due_items(cli, "2022-07-15") if i["key"] == "jiangkou-bridge-closure"]
    # the later node passes unmarked in its turn
    items = [i for i in _due_items(cli, "2022-08-20") if i["key"] == "jiangkou-bridge-closure"]
    assert [(i["kind"], i["date"], i["days"], i["text"]) for i in items] == [("node_passed", "2022-08-15", -5, "桥面铺装")]
    shown = cli.ok("milestones", "show", "jiangkou-bridge-closure", "--as-of", "2022-07-15").stdout
    assert re.search(r"│ 2022-06-30 │ 主桥合龙 │ ✓ 已完成 │ 6月28日合龙 │ \d{4}-\d\d-\d\d \d\d:\d\d UTC[0-9:+-]* │", shown)
    assert re.search(r"│ 2022-08-15 │ 桥面铺装 │ · 未到期\s+│\s+│\s+│", shown)
    row = milestones_json(cli, "--as-of", "2022-07-15")["jiangkou-bridge-closure"]
    assert row["nodes"] == [{"date": "2022-06-30", "text": "主桥合龙", "mark": "met", "note": "6月28日合龙"},
                            {"date": "2022-08-15", "text": "桥面铺装", "mark": None, "note": None}]  # fmt: skip
    assert q(db_path, "SELECT milestone_key, node_date, mark, note FROM node_marks") == [
        ("jiangkou-bridge-closure", "2022-06-30", "met", "6月28日合龙")]
    assert q(db_path, "SELECT key, node_date, text, mark FROM milestone_nodes") == [
        ("jiangkou-bridge-closure", "2022-06-30", "主桥合龙", "met"), ("jiangkou-bridge-closure", "2022-08-15", "桥面铺装", None)]
    entry = as_json(cli.ok("log", "--format", "json"))[-1]
    assert (entry["action"], entry["key"], entry["summary"], entry["reason"]) == (
        "milestones.node", "jiangkou-bridge-closure", "jiangkou-bridge-closure node 2022-06-30 (主桥合龙) → met", "6月28日合龙")


@pytest.mark.parametrize(("typed", "mark"), [("已完成", "met"), ("未完成", "missed"), ("MISSED", "missed")])
def test_node_marks_can_be_given_in_chinese(cli, seeded, typed, mark):
    _bridge_with_nodes(cli)
    cli.ok("milestones", "node", "jiangkou-bridge-closure", "2022-06-30", typed)
    row = milestones_json(cli, "--as-of", "2022-07-15")["jiangkou-bridge-closure"]
    assert row["nodes"][0]["mark"] == mark


def test_a_later_mark_replaces_an_earlier_one_and_undo_brings_the_node_back(cli, seeded):
    _bridge_with_nodes(cli)
    cli.ok("milestones", "node", "jiangkou-bridge-closure", "2022-06-30", "missed", "--note", "汛期")
    cli.ok("milestones", "node", "jiangkou-bridge-closure", "2022-06-30", "met", "--note", "7月5日补合龙")
    shown = cli.ok("milestones", "show", "jiangkou-bridge-closure", "--as-of", "2022-07-15").stdout
    assert "✓ 已完成" in shown and "7月5日补合龙" in shown and "汛期" not in shown
    cli.ok("undo")
    assert milestones_json(cli, "--as-of", "2022-07-15")["jiangkou-bridge-closure"]["nodes"][0]["mark"] == "missed"
    assert not [i for i in _due_items(cli, "2022-07-15") if i["key"] == "jiangkou-bridge-closure"]  # marked: not chased
    cli.ok("undo")
    items = [i for i in _due_items(cli, "2022-07-15") if i["key"] == "jiangkou-bridge-closure"]
    assert [i["kind"] for i in items] == ["node_passed"]
    cli.ok("redo")
    assert milestones_json(cli, "--as-of", "2022-07-15")["jiangkou-bridge-closure"]["nodes"][0]["mark"] == "missed"


def test_a_node_marked_met_early_is_not_listed_as_coming_up(cli, seeded):
    _bridge_with_nodes(cli)
    cli.ok("milestones", "node", "jiangkou-bridge-closure", "2022-08-15", "met")
    assert not [i for i in _due_items(cli, "2022-08-10") if i["key"] == "jiangkou-bridge-closure" and i["kind"] == "node"]


def test_a_done_milestone_has_no_passed_nodes_to_chase(cli, seeded):
    _bridge_with_nodes(cli)
    cli.ok("milestones", "set", "jiangkou-bridge-closure", "done", "--as-of", "2022-07-01")
    assert not [i for i in _due_items(cli, "2022-07-15") if i["key"] == "jiangkou-bridge-closure"]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("jiangkou-bridge-closure", "2022-06-30", "done"),
         "error: unknown node mark 'done'; choose one of: met, missed, 已完成, 未完成"),
        (("jiangkou-bridge-closure", "2022-06-29", "met"),
         "error: jiangkou-bridge-closure has no time node on 2022-06-29; its nodes: 2022-06-30 主桥合龙, 2022-08-15 桥面铺装"),
        (("quanxi-bridge", "2022-06-30", "met"),
         "error: quanxi-bridge has no time nodes; give it some with "
         "'hnreport milestones due quanxi-bridge DATE --node \"DATE TEXT\"'"),
        (("no-such-bridge", "2022-06-30", "met"), None),
    ],
    ids=["unknown-mark", "no-node-that-day", "no-nodes", "unknown-milestone"],
)
def test_a_bad_node_mark_is_refused_and_changes_nothing(cli, seeded, db_path, args, line):
    _bridge_with_nodes(cli)
    before = dump(db_path)
    assert_refused(cli("milestones", "node", *args), before, db_path, line=line)


def test_node_marks_survive_export_and_restore(cli, seeded, tmp_path, monkeypatch):
    _bridge_with_nodes(cli)
    cli.ok("milestones", "node", "jiangkou-bridge-closure", "2022-06-30", "met", "--note", "合龙")
    exported = as_json(cli.ok("export"))
    assert [(n["key"], n["node_date"], n["mark"], n["note"]) for n in exported["node_marks"]] == [
        ("jiangkou-bridge-closure", "2022-06-30", "met", "合龙")]
    export = tmp_path / "export.json"
    export.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("HNREPORT_DB", str(tmp_path / "other.db"))
    cli.ok("import", str(export))
    row = milestones_json(cli, "--as-of", "2022-07-15")["jiangkou-bridge-closure"]
    assert [n["mark"] for n in row["nodes"]] == ["met", None]
