"""Many plans in one database (issue 18): plan files, --plan / HNREPORT_PLAN / plan use, figures
that stay in their plan, undo of a load and a remove, the next year's review as last year's
outcomes, and the promise ledger.

The second plans are synthetic (tests/plans/*.toml, labelled so in their headers): a made-up
衡南县 2023 report whose review states GDP, investment and income, and a made-up county.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import REPO, dump, one, q

PLANS = REPO / "tests" / "plans"
NEXT_YEAR = PLANS / "synthetic-hengnan-2023.toml"
LAKESIDE = PLANS / "synthetic-lakeside-2022.toml"
MINIMAL = REPO / "docs" / "examples" / "minimal-plan.toml"
YEAR_OVER = {"HNREPORT_TODAY": "2023-03-25"}


def keys(cli, *args) -> list[str]:
    return [p["plan"] for p in json.loads(cli.ok(*args, "plan", "list", "--format", "json").stdout)]


@pytest.fixture
def two(cli, seeded):
    cli.ok("plan", "load", str(LAKESIDE))
    return seeded


def test_the_synthetic_plan_files_say_they_are_synthetic():
    for path in (NEXT_YEAR, LAKESIDE):
        assert "SYNTHETIC TEST DATA" in path.read_text(encoding="utf-8").splitlines()[0]


def test_with_one_plan_a_database_reads_as_before(cli, seeded):
    assert keys(cli) == ["hengnan-2022"]
    assert one(seeded, "SELECT count(*) FROM plans") == 1
    report = cli.ok("--lang", "en", "report").stdout
    assert report.startswith("Hengnan County 2022 Government Work Report — as of")


def test_a_second_plan_loads_beside_the_first_and_figures_never_leak(cli, two):
    assert keys(cli) == ["hengnan-2022", "lakeside-2022-synthetic"]
    cli.ok("record", "gdp", "6.5", "--as-of", "2022-06-30", "--plan", "lakeside-2022-synthetic")
    cli.ok("record", "gdp", "7.9", "--as-of", "2022-06-30")
    mine = json.loads(cli.ok("history", "gdp", "--format", "json").stdout)
    theirs = json.loads(cli.ok("--plan", "lakeside-2022-synthetic", "history", "gdp", "--format", "json").stdout)
    assert [h["value"] for h in mine] == [7.9]
    assert [h["value"] for h in theirs] == [6.5]
    # the lakeside plan has no such target; hengnan's report knows nothing of parks
    assert cli("--plan", "lakeside-2022-synthetic", "record", "industry", "5", "--as-of", "2022-06-30").exit_code == 1
    assert "parks" not in cli.ok("targets", "list", "--format", "json").stdout
    lakeside = json.loads(cli.ok("--plan", "lakeside-2022-synthetic", "report", "--format", "json").stdout)
    assert "湖畔县" in json.dumps(lakeside, ensure_ascii=False)
    assert q(two, "SELECT p.key, o.value FROM observations o JOIN plans p ON p.id = o.plan_id ORDER BY o.id") == [
        ("lakeside-2022-synthetic", 6.5), ("hengnan-2022", 7.9)]


def test_plan_chosen_by_option_environment_and_plan_use(cli, two):
    cli.ok("record", "gdp", "6.5", "--as-of", "2022-06-30", env={"HNREPORT_PLAN": "lakeside-2022-synthetic"})
    assert q(two, "SELECT plan_id FROM observations") == [(2,)]
    head = cli.ok("--lang", "en", "--plan", "lakeside-2022-synthetic", "report").stdout.splitlines()[0]
    assert head.startswith("Lakeside County 2022 Government Work Report (synthetic test data)")
    assert cli.ok("--lang", "en", "report", "--plan", "lakeside-2022-synthetic").stdout.splitlines()[0] == head
    cli.ok("plan", "use", "lakeside-2022-synthetic")
    assert cli.ok("--lang", "en", "report").stdout.splitlines()[0] == head
    assert [p["plan"] for p in json.loads(cli.ok("plan", "list", "--format", "json").stdout) if p["in_use"]] == ["lakeside-2022-synthetic"]
    # --plan and HNREPORT_PLAN still win over plan use
    assert cli.ok("--lang", "en", "--plan", "hengnan-2022", "report").stdout.startswith("Hengnan County")
    assert cli.ok("--lang", "en", "report", env={"HNREPORT_PLAN": "hengnan-2022"}).stdout.startswith("Hengnan County")
    cli.ok("undo")  # plan use is a journalled change too
    assert cli.ok("--lang", "en", "report").stdout.startswith("Hengnan County")


def test_an_unknown_plan_is_one_line_and_changes_nothing(cli, two):
    before = dump(two)
    result = cli("--lang", "en", "--plan", "lakeside-2022", "report")
    assert result.exit_code == 1
    assert result.stderr == "error: unknown plan 'lakeside-2022' — did you mean 'lakeside-2022-synthetic'?\n"
    assert cli("--lang", "en", "plan", "show", "nowhere").stderr.startswith("error: unknown plan 'nowhere'")
    assert dump(two) == before


def test_loading_the_same_file_twice_changes_nothing(cli, two):
    before = dump(two)
    out = cli.ok("--lang", "en", "plan", "load", str(LAKESIDE)).stdout
    assert "already holds this file; nothing changed" in out
    assert dump(two) == before


def test_a_changed_file_updates_the_seeded_facts_never_a_users_rows(cli, two, tmp_path):
    cli.ok("--plan", "lakeside-2022-synthetic", "record", "gdp", "6.5", "--as-of", "2022-06-30")
    changed = tmp_path / "lakeside.toml"
    changed.write_text(LAKESIDE.read_text(encoding="utf-8").replace("value = 7\n", "value = 7.5\n"), encoding="utf-8")
    assert "updated the seeded facts" in cli.ok("--lang", "en", "plan", "load", str(changed)).stdout
    targets = json.loads(cli.ok("--plan", "lakeside-2022-synthetic", "targets", "list", "--format", "json").stdout)
    assert [t["target"] for t in targets if t["key"] == "gdp"] == [7.5]
    assert q(two, "SELECT value FROM observations") == [(6.5,)]
    assert one(two, "SELECT count(*) FROM plans") == 2


def test_load_checks_the_whole_file_first_every_problem_with_its_line(cli, seeded, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[plan]\nkey = "bad-2023"\nname_zh = "坏"\nname_en = "Bad"\ncounty_zh = "县"\ncounty_en = "County"\nyear = 2023\n\n'
        '[[section]]\ncode = "main"\npart = "二"\nname_zh = "主要"\nname_en = "Main"\nlocator = "x"\n\n'
        '[[target]]\nkey = "gdp"\nname_zh = "增长"\nname_en = "Growth"\nsection = "nowhere"\nkind = "speed"\ncomparator = ">="\n'
        'value = "lots"\nfrequency = "annual"\nlocator = "x"\nphrase = "x"\n\n'
        '[[target]]\nkey = "gdp"\nname_zh = "另一个"\nname_en = "Other"\nsection = "main"\nkind = "level"\ncomparator = ">="\n'
        'value = 1\nfrequency = "annual"\nlocator = "x"\n',
        encoding="utf-8",
    )
    before = dump(seeded)
    result = cli("--lang", "en", "plan", "load", str(bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: the plan file {bad} has 5 problem(s); nothing was written:"
    assert lines[1:] == [
        f"{bad}:20: [[target]] gdp: section = 'nowhere' is no [[section]] of the file",
        f"{bad}:21: [[target]] gdp: kind = 'speed' is not one of growth_rate, level, share, cumulative, reduction",
        f"{bad}:23: [[target]] gdp: value must be a number, not 'lots'",
        f"{bad}:28: [[target]] gdp lacks the field phrase",
        f"{bad}:28: [[target]] gdp repeats the key of line 16",
    ]
    assert dump(seeded) == before
    syntax = tmp_path / "syntax.toml"
    syntax.write_text('[plan]\nkey = "x"\nyear = \n', encoding="utf-8")
    result = cli("--lang", "en", "plan", "load", str(syntax))
    assert result.exit_code == 1 and f"{syntax}:3: not valid TOML" in result.stderr
    assert dump(seeded) == before


def test_drafts_are_refused_unless_accepted(cli, seeded, tmp_path):
    draft = tmp_path / "draft.toml"
    draft.write_text(LAKESIDE.read_text(encoding="utf-8").replace('key = "parks"\n', 'key = "parks"\nconfidence = 0.6\nreview = true\n'),
                     encoding="utf-8")  # fmt: skip
    result = cli("--lang", "en", "plan", "load", str(draft))
    assert result.exit_code == 1
    assert "[[target]] parks is a draft awaiting review (review = true, confidence 0.6)" in result.stderr
    assert "--accept-drafts" in result.stderr
    assert keys(cli) == ["hengnan-2022"]
    cli.ok("plan", "load", str(draft), "--accept-drafts")
    assert keys(cli) == ["hengnan-2022", "lakeside-2022-synthetic"]


def test_undo_takes_back_a_load_and_a_remove(cli, two):
    cli.ok("undo")
    assert keys(cli) == ["hengnan-2022"]
    cli.ok("redo")
    assert keys(cli) == ["hengnan-2022", "lakeside-2022-synthetic"]
    cli.ok("--plan", "lakeside-2022-synthetic", "record", "gdp", "6.5", "--as-of", "2022-06-30")
    refused = cli("--lang", "en", "plan", "remove", "lakeside-2022-synthetic")
    assert refused.exit_code == 1
    assert refused.stderr == ("error: plan lakeside-2022-synthetic holds what users recorded (observations 1); add --force to "
                              "remove it anyway (hnreport undo brings it back)\n")  # fmt: skip
    cli.ok("plan", "remove", "lakeside-2022-synthetic", "--force")
    assert keys(cli) == ["hengnan-2022"]
    assert cli("--plan", "lakeside-2022-synthetic", "report").exit_code == 1
    undone = cli.ok("--lang", "en", "undo").stdout
    assert "undone change" in undone and "of plan lakeside-2022-synthetic: removed plan lakeside-2022-synthetic" in undone
    assert keys(cli) == ["hengnan-2022", "lakeside-2022-synthetic"]
    history = json.loads(cli.ok("--plan", "lakeside-2022-synthetic", "history", "gdp", "--format", "json").stdout)
    assert [h["value"] for h in history] == [6.5]  # every row came back with it


def test_log_names_each_changes_plan_and_filters_by_plan(cli, two):
    cli.ok("--plan", "lakeside-2022-synthetic", "record", "gdp", "6.5", "--as-of", "2022-06-30")
    cli.ok("record", "gdp", "7.9", "--as-of", "2022-06-30")
    entries = json.loads(cli.ok("log", "--format", "json").stdout)
    assert [(e["action"], e["plan"]) for e in entries] == [
        ("plan.load", "lakeside-2022-synthetic"), ("record", "lakeside-2022-synthetic"), ("record", "hengnan-2022")]
    only = json.loads(cli.ok("log", "--plan", "hengnan-2022", "--format", "json").stdout)
    assert [e["summary"] for e in only] == ["recorded gdp = 7.9% for 2022-06-30 (preliminary)"]


def test_export_writes_a_plan_file_that_loads_back(cli, seeded, tmp_path):
    out = tmp_path / "hengnan.toml"
    cli.ok("plan", "export", "hengnan-2022", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 衡南县2022年政府工作报告 (hengnan-2022)")
    moved = tmp_path / "copy.toml"
    moved.write_text(text.replace('key = "hengnan-2022"', 'key = "hengnan-2022-copy"', 1), encoding="utf-8")
    cli.ok("plan", "load", str(moved))
    mine = json.loads(cli.ok("targets", "list", "--format", "json").stdout)
    copy = json.loads(cli.ok("--plan", "hengnan-2022-copy", "targets", "list", "--format", "json").stdout)
    assert [(t["key"], t["target"], t["unit"]) for t in copy] == [(t["key"], t["target"], t["unit"]) for t in mine]
    assert len(json.loads(cli.ok("--plan", "hengnan-2022-copy", "milestones", "list", "--format", "json").stdout)) == 122
    # the output guard: an existing file needs --force, the database is never overwritten
    assert cli("--lang", "en", "plan", "export", "hengnan-2022", "-o", str(out)).stderr.endswith("exists; add --force to replace it\n")
    assert cli("plan", "export", "hengnan-2022", "-o", str(seeded), "--force").exit_code == 1


def test_the_documented_minimal_plan_file_loads(cli, seeded):
    assert MINIMAL.exists()
    cli.ok("plan", "load", str(MINIMAL))
    plan = json.loads(cli.ok("plan", "show", "example-2023", "--format", "json").stdout)
    assert (plan["plan"], plan["year"], plan["targets"]) == ("example-2023", 2023, 1)


def test_the_embedded_plan_is_not_loaded_from_a_file(cli, seeded, tmp_path):
    out = tmp_path / "hengnan.toml"
    cli.ok("plan", "export", "hengnan-2022", "-o", str(out))
    result = cli("--lang", "en", "plan", "load", str(out))
    assert result.exit_code == 1 and "is the embedded plan" in result.stderr


def test_outcomes_from_the_next_years_review(cli, seeded):
    cli.ok("plan", "load", str(NEXT_YEAR))
    before = dump(seeded)
    dry = json.loads(cli.ok("plan", "outcomes", "--from", "hengnan-2023-synthetic", "--for", "hengnan-2022", "--dry-run",
                            "--format", "json").stdout)  # fmt: skip
    assert [(r["result"], r["target"], r["vintage"], r["unmatched"]) for r in dry] == [
        ("gdp-2022", "gdp", "final", None), ("investment-2022", "investment", "final", None),
        ("income-2022", "income", "final", None), ("new-jobs-2022", None, "preliminary", "no_target")]
    assert dump(seeded) == before
    out = cli.ok("--lang", "en", "plan", "outcomes", "--from", "hengnan-2023-synthetic", "--for", "hengnan-2022")
    assert "recorded 3 year-end outcome(s) of hengnan-2022" in out.stderr and "1 unmatched" in out.stderr
    assert "unmatched: no such target" in out.stdout
    rows = q(seeded, "SELECT target_key, value, as_of, vintage, source FROM observations WHERE plan_id = 1 ORDER BY id")
    assert rows == [
        ("gdp", 4.6, "2022-12-31", "final", "衡南县2023年政府工作报告（合成测试数据） 一、2022年工作回顾 ¶2"),
        ("investment", 11.2, "2022-12-31", "final", "衡南县2023年政府工作报告（合成测试数据） 一、2022年工作回顾 ¶2"),
        ("income", 6.1, "2022-12-31", "final", "衡南县2023年政府工作报告（合成测试数据） 一、2022年工作回顾 ¶3"),
    ]
    report = {t["key"]: t for t in json.loads(cli.ok("report", "--plan", "hengnan-2022", "--format", "json", env=YEAR_OVER).stdout)["targets"]}
    assert (report["gdp"]["status"], report["investment"]["status"], report["income"]["status"]) == ("missed", "achieved", "missed")
    # again: nothing new
    again = cli.ok("--lang", "en", "plan", "outcomes", "--from", "hengnan-2023-synthetic", "--for", "hengnan-2022")
    assert "recorded 0 year-end outcome(s)" in again.stderr
    entries = json.loads(cli.ok("log", "--format", "json").stdout)
    assert [(e["action"], e["plan"]) for e in entries][-1] == ("plan.outcomes", "hengnan-2022")


def test_outcomes_are_preliminary_unless_the_text_says_final():
    from hnreport.domain.model import Result, Target
    from hnreport.domain.outcomes import match_outcomes

    def result(key, name, phrase, kind="growth_rate", unit="%"):
        return Result(key, name, name, "review", kind, 5.0, unit, None, "¶1", phrase)

    def target(key, name, kind="growth_rate", unit="%"):
        return Target(key=key, name_zh=name, name_en=name, section="main", kind=kind, comparator=">=", value=6.0, unit=unit,
                      frequency="annual", locator="", phrase="", strength=None, note=None)  # fmt: skip

    older = [target("gdp", "地区生产总值增长"), target("retail", "社会消费品零售总额增长"), target("output", "产值", kind="level", unit="亿元")]
    matches = match_outcomes(
        [result("gdp-2022", "地区生产总值增长", "增长5%"), result("sales-2022", "社零额", "经最终核实增长5%"),
         result("x", "产值", "产值5", kind="growth_rate"), result("y", "未知", "…")],
        [], older, {"retail": {"社零额"}},
    )  # fmt: skip
    assert [(m.result.key, m.target.key if m.target else None, m.how, m.vintage) for m in matches] == [
        ("gdp-2022", "gdp", "key", "preliminary"), ("sales-2022", "retail", "alias", "final"),
        ("x", "output", "kind", "preliminary"), ("y", None, "no_target", "preliminary")]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_ledger_over_two_plans_in_every_format(cli, seeded, fmt):
    cli.ok("plan", "load", str(NEXT_YEAR))
    cli.ok("plan", "outcomes", "--from", "hengnan-2023-synthetic", "--for", "hengnan-2022")
    out = cli.ok("--lang", "en", "ledger", "--format", fmt).stdout
    if fmt == "json":
        rows = {(r["indicator"], r["year"]): r for r in json.loads(out)}
        gdp = rows[("gdp", 2022)]
        assert (gdp["result_before"], gdp["target"], gdp["outcome"], gdp["status"], gdp["next_target"]) == (8.3, 8.5, 4.6, "missed", 6.5)
        assert rows[("investment", 2022)]["status"] == "achieved"
        assert rows[("gdp", 2023)]["result_before"] == 4.6
    elif fmt == "csv":
        assert out.splitlines()[0].startswith("county_zh,county_en,indicator,name_zh,name_en,year,plan")
        assert "衡南县,Hengnan County,gdp,地区生产总值增长,GDP growth,2022,hengnan-2022,%,8.3,>=,8.5,4.6,figure,missed,>=,6.5" in out
    elif fmt == "markdown":
        assert "| GDP growth | 2022 | 8.3% | ≥8.5% | 4.6% | ✗ missed | ≥6.5% |" in out
    else:
        line = next(l for l in out.splitlines() if "GDP growth" in l and "2022" in l)
        assert "4.6%" in line and "missed" in line and "≥6.5%" in line


def test_ledger_for_a_year_across_counties_and_to_a_file(cli, seeded, tmp_path):
    cli.ok("plan", "load", str(LAKESIDE))
    cli.ok("--plan", "lakeside-2022-synthetic", "record", "gdp", "7.2", "--as-of", "2022-12-31", env=YEAR_OVER)
    rows = json.loads(cli.ok("ledger", "--year", "2022", "--format", "json").stdout)
    assert {(r["county_zh"], r["indicator"]) for r in rows} >= {("衡南县", "gdp"), ("湖畔县", "gdp"), ("湖畔县", "parks")}
    lake = next(r for r in rows if r["county_zh"] == "湖畔县" and r["indicator"] == "gdp")
    assert (lake["target"], lake["outcome"], lake["status"]) == (7.0, 7.2, "achieved")
    assert [r["county_zh"] for r in json.loads(cli.ok("ledger", "--county", "Lakeside County", "--format", "json").stdout)] == ["湖畔县"] * 2
    out = tmp_path / "ledger.csv"
    cli.ok("ledger", "--year", "2022", "-o", str(out))
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("county_zh,")
    assert cli("--lang", "en", "ledger", "--county", "Nowhere").stderr.startswith("error: unknown county 'Nowhere'")


def test_units_are_a_countys_shared_by_its_plans(cli, seeded):
    cli.ok("plan", "load", str(NEXT_YEAR))
    cli.ok("plan", "load", str(LAKESIDE))
    cli.ok("units", "add", "县发展和改革局")
    cli.ok("--plan", "hengnan-2023-synthetic", "assign", "gdp", "县发展和改革局")
    assert "县发展和改革局" in cli.ok("--plan", "hengnan-2023-synthetic", "units", "list").stdout
    assert "县发展和改革局" not in cli.ok("--plan", "lakeside-2022-synthetic", "units", "list").stdout
    cli.ok("--plan", "lakeside-2022-synthetic", "units", "add", "县发展和改革局")  # every county has its own
    assert q(seeded, "SELECT county, name FROM units ORDER BY id") == [("衡南县", "县发展和改革局"), ("湖畔县", "县发展和改革局")]


FACT_TABLES = ("plans", "sections", "results", "targets", "milestones", "glossary", "target_aliases")


def facts(db, plan_id: int = 2) -> dict[str, list]:
    """The plan's facts, table by table (rowids aside: rows are compared by what they hold)."""
    out = {}
    for table in FACT_TABLES:
        where = "id = ?" if table == "plans" else "plan_id = ?"
        cols = [c for (c,) in q(db, f"SELECT name FROM pragma_table_info('{table}')") if c != "id" or table == "plans"]
        out[table] = sorted(q(db, f"SELECT {', '.join(cols)} FROM {table} WHERE {where}", (plan_id,)), key=repr)
    return out


CHANGED_LAKESIDE = (
    LAKESIDE.read_text(encoding="utf-8")
    .replace("value = 7\n", "value = 7.5\n")  # gdp's target changed
    .split("[[target]]\nkey = \"parks\"")[0]  # parks removed
    + '[[target]]\nkey = "roads"\nname_zh = "新修农村公路"\nname_en = "New rural roads"\nsection = "main"\nkind = "cumulative"\n'
    'comparator = ">="\nvalue = 30\nunit = "公里"\nfrequency = "annual"\nlocator = "二 ¶5"\nphrase = "新修农村公路30公里"\n\n'
    '[[milestone]]\nkey = "library"\nname_zh = "建成县图书馆新馆"\nname_en = "New county library"\nsection = "main"\n'
    'locator = "二 ¶6"\nphrase = "建成县图书馆新馆"\n\n'
    '[[aliases]]\nkey = "roads"\nnames = ["农村公路里程"]\n'
)


def test_undo_of_a_load_that_updated_a_plan_puts_its_facts_back(cli, two, tmp_path):
    lake = ("--plan", "lakeside-2022-synthetic")
    cli.ok(*lake, "record", "gdp", "6.5", "--as-of", "2022-06-30")  # a user's row: never touched
    first = facts(two)
    shown = [cli.ok(*lake, "--lang", "en", "plan", "show", "lakeside-2022-synthetic").stdout,
             cli.ok(*lake, "targets", "list", "--format", "json").stdout]
    changed = tmp_path / "lakeside.toml"
    changed.write_text(CHANGED_LAKESIDE, encoding="utf-8")
    assert "updated the seeded facts" in cli.ok("--lang", "en", "plan", "load", str(changed)).stdout
    loaded = facts(two)
    targets = {t["key"]: t["target"] for t in json.loads(cli.ok(*lake, "targets", "list", "--format", "json").stdout)}
    assert targets == {"gdp": 7.5, "roads": 30}
    assert loaded != first and loaded["milestones"] and loaded["target_aliases"]

    undone = cli.ok("--lang", "en", "undo").stdout
    assert "of plan lakeside-2022-synthetic" in undone and "lakeside-2022-synthetic" in undone.split(":", 1)[1]
    assert facts(two) == first
    assert [cli.ok(*lake, "--lang", "en", "plan", "show", "lakeside-2022-synthetic").stdout,
            cli.ok(*lake, "targets", "list", "--format", "json").stdout] == shown
    assert q(two, "SELECT value FROM observations") == [(6.5,)]
    # the file is news again: loading it updates once more
    assert "updated the seeded facts" in cli.ok("--lang", "en", "plan", "load", str(changed)).stdout
    cli.ok("undo")
    assert facts(two) == first

    cli.ok("redo")  # as the load left them
    assert facts(two) == loaded
    cli.ok("undo")
    assert facts(two) == first
    cli.ok("undo")  # the observation
    cli.ok("undo")  # and the first load: the plan goes
    assert keys(cli) == ["hengnan-2022"]
    assert "lakeside-2022-synthetic" in cli.ok("--lang", "en", "log").stdout


def test_undo_of_an_updating_load_follows_a_renamed_key_back(cli, two, tmp_path):
    lake = ("--plan", "lakeside-2022-synthetic")
    cli.ok(*lake, "record", "parks", "5", "--as-of", "2022-12-31", "--force")
    first = facts(two)
    renamed = tmp_path / "lakeside.toml"
    renamed.write_text(LAKESIDE.read_text(encoding="utf-8").replace('key = "parks"\n', 'key = "pocket_parks"\nrenamed_from = "parks"\n'),
                       encoding="utf-8")  # fmt: skip
    cli.ok("plan", "load", str(renamed))
    assert q(two, "SELECT target_key FROM observations") == [("pocket_parks",)]
    cli.ok("undo")
    assert facts(two) == first
    assert q(two, "SELECT target_key FROM observations") == [("parks",)]
    cli.ok("redo")
    assert q(two, "SELECT target_key FROM observations") == [("pocket_parks",)]
    assert [t["key"] for t in json.loads(cli.ok(*lake, "targets", "list", "--format", "json").stdout)] == ["gdp", "pocket_parks"]


# ── every output names its plan ─────────────────────────────────────────────────────────────
LAKE_ZH = "湖畔县2022年政府工作报告（合成测试数据）"
LAKE_EN = "Lakeside County 2022 Government Work Report (synthetic test data)"
# Every listing of one plan's things (the plans themselves, the ledger across them, the whole
# journal and db check are the database's).
LISTINGS = [
    ("targets", "list"), ("results", "list"), ("milestones", "list"), ("history", "gdp"), ("report",), ("lights",),
    ("due",), ("units", "list"), ("units", "show", "县发改局"), ("glossary",), ("search", "公园"), ("scorecard",),
    ("log", "--plan", "lakeside-2022-synthetic"), ("config", "show"), ("units", "missing"),
]  # fmt: skip
# (orders list draws through the same render.common.emit; a listing with nothing in it is one
# line saying so, no table.)
# The ones that write documents (-o FILE by extension: the title names the plan).
DOCUMENTS = [("targets", "list"), ("results", "list"), ("milestones", "list"), ("history", "gdp"), ("report",), ("lights",),
             ("due",), ("units", "list"), ("log", "--plan", "lakeside-2022-synthetic")]  # fmt: skip


@pytest.fixture
def lake_world(cli, two):
    lake = ("--plan", "lakeside-2022-synthetic")
    cli.ok(*lake, "units", "add", "县发改局")
    cli.ok(*lake, "assign", "gdp", "县发改局")
    cli.ok(*lake, "record", "gdp", "6.5", "--as-of", "2022-06-30")
    cli.ok("config", "set", "pace.basis", "days", "--target", "gdp", *lake)
    return two


@pytest.mark.parametrize("args", LISTINGS, ids=lambda a: " ".join(a[:2]))
def test_every_listing_names_its_plan_in_its_table_and_json(cli, lake_world, args):
    for lang, name in (("zh", LAKE_ZH), ("en", LAKE_EN)):
        out = cli.ok("--lang", lang, "--plan", "lakeside-2022-synthetic", *args, env={"COLUMNS": "200"}).stdout
        assert name in out, (lang, out[:400])
        assert "衡南县2022年政府工作报告" not in out and "Hengnan County 2022" not in out
    with_json = cli("--plan", "lakeside-2022-synthetic", *args, "--format", "json")
    if with_json.exit_code == 0:  # (every JSON object names the plan; arrays keep their shape)
        data = json.loads(with_json.stdout)
        objects = data if isinstance(data, list) else [data]
        plans = [o.get("plan") for o in objects if isinstance(o, dict)]
        assert all(p == "lakeside-2022-synthetic" or (isinstance(p, dict) and p["key"] == "lakeside-2022-synthetic") for p in plans)


@pytest.mark.parametrize("args", DOCUMENTS, ids=lambda a: " ".join(a[:2]))
def test_every_document_names_its_plan_in_its_title(cli, lake_world, args, tmp_path):
    from openpyxl import load_workbook

    lake = ("--plan", "lakeside-2022-synthetic")
    md = cli.ok(*lake, *args, "--format", "markdown").stdout
    assert md.splitlines()[0].startswith("# ") and LAKE_ZH in md.splitlines()[0]
    html = cli.ok("--lang", "en", *lake, *args, "--format", "html").stdout
    assert f"<h1>{LAKE_EN}" in html.replace("&#x27;", "'") and f"<title>{LAKE_EN}" in html
    book = tmp_path / "out.xlsx"
    cli.ok(*lake, *args, "-o", str(book))
    workbook = load_workbook(book)
    assert LAKE_ZH in workbook.properties.title
    sheet = workbook.worksheets[0]
    assert LAKE_ZH not in sheet.title  # the sheet keeps the view's name
    if args[0] != "history":  # (its workbook is a data sheet: the header in the first row, to import back)
        assert LAKE_ZH in str(sheet.cell(row=1, column=1).value)


def test_with_one_plan_the_header_names_it_briefly(cli, seeded):
    out = cli.ok("--lang", "zh", "targets", "list").stdout
    assert out.splitlines()[0] == "衡南县2022年政府工作报告 — 目标指标"
    assert cli.ok("--lang", "en", "targets", "list").stdout.splitlines()[0] == "Hengnan County 2022 Government Work Report — Targets"
    # the report heads itself with the plan, once
    report = cli.ok("--lang", "zh", "report").stdout
    assert report.count("衡南县2022年政府工作报告") == 1
    # listings of the database, not of one plan, name none
    assert "衡南县2022年政府工作报告" not in cli.ok("--lang", "zh", "log").stdout


# ── db check: every plan against its own source, and the search index ──────────────────────
def test_db_check_passes_a_healthy_two_plan_database(cli, two, tmp_path):
    changed = tmp_path / "lakeside.toml"
    changed.write_text(CHANGED_LAKESIDE, encoding="utf-8")
    cli.ok("plan", "load", str(changed))  # an updated plan: checked against the file it now follows
    out = cli.ok("--lang", "en", "db", "check").stdout
    assert out.startswith(f"ok: {two}: integrity and foreign keys sound, every plan's seeded facts match data/ and the plan files loaded (2 plans,")
    report = json.loads(cli.ok("db", "check", "--format", "json").stdout)
    assert report["ok"] and report["checked"]["plan"] == 2 and report["checked"]["search_index"] == 1
    assert report["checked"]["targets"] == 27 + 2
    cli.ok("undo")  # back to the first file: checked against that one
    assert json.loads(cli.ok("db", "check", "--format", "json").stdout)["ok"]


def test_db_check_finds_a_fact_of_the_second_plan_changed_outside_hnreport(cli, two):
    import sqlite3

    with sqlite3.connect(two) as conn:
        conn.execute("UPDATE targets SET value = 9 WHERE plan_id = 2 AND key = 'gdp'")
    result = cli("--lang", "en", "db", "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "drift: target gdp: value is 9.0 in the database but 7 in plan lakeside-2022-synthetic's file synthetic-lakeside-2022.toml "
        "(changed outside hnreport: no journal entry explains it)"
    ]
    zh = cli("--lang", "zh", "db", "check")
    assert zh.exit_code == 1 and "计划 lakeside-2022-synthetic 的文件 synthetic-lakeside-2022.toml 中为 7" in zh.stdout
    with sqlite3.connect(two) as conn:  # the kept copy of the file itself altered
        conn.execute("UPDATE plan_files SET content = CAST(replace(CAST(content AS TEXT), 'value = 7', 'value = 9') AS BLOB)")
    lines = cli("--lang", "en", "db", "check").stdout.splitlines()
    assert lines == ["seed: the copy of plan lakeside-2022-synthetic's file synthetic-lakeside-2022.toml kept in the database is not the "
                     "file that was loaded (changed outside hnreport), so its facts cannot be checked; load the file again "
                     "('hnreport plan load FILE')"]  # fmt: skip


def test_db_check_runs_the_search_indexs_own_check(cli, two):
    import sqlite3

    conn = sqlite3.connect(two)
    conn.execute("DELETE FROM search_index_docsize WHERE id = (SELECT min(id) FROM search_index_docsize)")
    conn.commit()
    conn.close()
    result = cli("--lang", "en", "db", "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "search index: the full-text search index is damaged (database disk image is malformed): 'hnreport search' may miss or "
        "misplace hits; 'hnreport db restore BACKUP' replaces the database with a backup"
    ]
    conn = sqlite3.connect(two)  # a backup (rollback journal, read-only file) is checked on a copy in memory
    conn.execute("PRAGMA journal_mode = delete")
    conn.close()
    two.chmod(0o444)
    try:
        assert "search index: the full-text search index is damaged" in cli("--lang", "en", "db", "check").stdout
    finally:
        two.chmod(0o644)


# ── plan load: a file it cannot read is one line ───────────────────────────────────────────
@pytest.mark.parametrize("case", ["missing", "directory", "unreadable", "binary", "gbk", "device"])
def test_plan_load_of_what_is_no_readable_plan_file_is_one_line(cli, two, tmp_path, monkeypatch, case):
    import os

    path = {"missing": tmp_path / "missing.toml", "directory": tmp_path, "unreadable": tmp_path / "locked.toml",
            "binary": tmp_path / "scan.toml", "gbk": tmp_path / "gbk.toml", "device": None}[case]  # fmt: skip
    if case == "unreadable":
        path.write_text(LAKESIDE.read_text(encoding="utf-8"), encoding="utf-8")
        real_open = os.open

        def refusing(p, *a, **kw):  # (the tests may run as root, whom file modes do not stop)
            if str(p) == str(path):
                raise PermissionError(13, "Permission denied", str(p))
            return real_open(p, *a, **kw)

        monkeypatch.setattr(os, "open", refusing)
    elif case == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    elif case == "gbk":
        path.write_bytes(LAKESIDE.read_text(encoding="utf-8").replace("¶", "段").encode("gbk"))  # as Notepad saves ANSI on a Chinese Windows
    elif case == "device":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        path = Path("/dev/zero")
    before = dump(two)
    expected = {
        "missing": (f"错误：文件不存在：{path}", f"error: no such file: {path}"),
        "directory": (f"错误：{path} 是一个文件夹；请给出计划文件（.toml）", f"error: {path} is a directory; give a plan file (.toml)"),
        "unreadable": (f"错误：无法读取 {path}（Permission denied）", f"error: cannot read {path} (Permission denied)"),
        "binary": (f"错误：{path} 不是 UTF-8 文本；请以 UTF-8 保存计划文件", f"error: {path} is not UTF-8 text; save the plan file as UTF-8"),
        "gbk": (f"错误：{path} 不是 UTF-8 文本；请以 UTF-8 保存计划文件", f"error: {path} is not UTF-8 text; save the plan file as UTF-8"),
        "device": (f"错误：{path} 不是普通文件（是设备、管道或终端）；请给出保存在磁盘上的文件",
                   f"error: {path} is not a regular file (a device, pipe or terminal); give a file saved on disk"),
    }[case]  # fmt: skip
    for lang, line in zip(("zh", "en"), expected):
        result = cli("--lang", lang, "plan", "load", str(path))
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr == line + "\n"
    assert dump(two) == before


def test_a_plan_loaded_before_plan_files_were_kept_is_checked_once_loaded_again(cli, two):
    import sqlite3

    conn = sqlite3.connect(two)
    conn.execute("DELETE FROM plan_files")  # as a database of schema 12 had it
    conn.commit()
    conn.close()
    out = cli.ok("--lang", "en", "db", "check").stdout.splitlines()
    assert out[1] == ("1 more plan(s) were loaded before the database kept plan files, so their facts were not checked; load each "
                      "file once more ('hnreport plan load FILE') to have them checked")  # fmt: skip
    journal = q(two, "SELECT count(*) FROM journal")
    assert "nothing changed" in cli.ok("--lang", "en", "plan", "load", str(LAKESIDE)).stdout
    assert q(two, "SELECT count(*) FROM journal") == journal  # no change of the plan: the copy only
    assert len(cli.ok("--lang", "en", "db", "check").stdout.splitlines()) == 1
    conn = sqlite3.connect(two)
    conn.execute("UPDATE targets SET value = 9 WHERE plan_id = 2 AND key = 'gdp'")
    conn.commit()
    conn.close()
    assert "value is 9.0 in the database but 7 in plan lakeside-2022-synthetic's file" in cli("--lang", "en", "db", "check").stdout


def test_an_import_into_one_plan_retracts_its_own_figure_not_the_other_plans(cli, two, tmp_path):
    """The figures' ids are the database's, shared by the plans: a row the file says is retracted
    must retract the figure the import writes, even when another plan holds the last id."""
    cli.ok("record", "gdp", "7.9", "--as-of", "2022-03-31")
    cli.ok("record", "gdp", "6.5", "--as-of", "2022-06-30", "--plan", "lakeside-2022-synthetic")
    sheet = tmp_path / "figures.csv"
    sheet.write_text("key,value,as_of,state\ngdp,8.1,2022-06-30,retracted\ngdp,8.3,2022-06-30,\n", encoding="utf-8")
    cli.ok("import", str(sheet))
    mine = json.loads(cli.ok("history", "gdp", "--format", "json").stdout)
    theirs = json.loads(cli.ok("--plan", "lakeside-2022-synthetic", "history", "gdp", "--format", "json").stdout)
    assert [(h["value"], h["state"]) for h in theirs] == [(6.5, "current")]
    assert sorted((h["value"], h["state"]) for h in mine) == [(7.9, "current"), (8.1, "retracted"), (8.3, "current")]


def test_the_ledger_marks_a_status_of_a_year_not_over_as_so_far(cli, seeded):
    """Today (pinned) is mid-2022: a status is the year's so far, not its outcome, and says so."""
    cli.ok("record", "gdp", "4.0", "--as-of", "2022-06-30")
    rows = {r["indicator"]: r for r in json.loads(cli.ok("ledger", "--format", "json").stdout)}
    assert (rows["gdp"]["status"], rows["gdp"]["status_as_of"], rows["gdp"]["outcome"]) == ("far_behind", "2022-07-15", None)
    line = next(l for l in cli.ok("ledger").stdout.splitlines() if "地区生产总值增长" in l)
    assert "严重滞后（截至2022-07-15，年度未完）" in line
    over = {r["indicator"]: r for r in json.loads(cli.ok("ledger", "--format", "json", env=YEAR_OVER).stdout)}
    assert over["gdp"]["status_as_of"] is None
