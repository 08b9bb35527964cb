"""The seeded facts after issue 17: counts, the commitments the audit named, how results and
targets are typed and paced, and a seed update that brings them into an existing database.

Goes through the CLI (the conftest fixtures) and reads data/*.toml with tomllib; the database is
read and, to build an older release's state, written with sqlite3 directly. No module of the
package is imported.
"""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import pytest

from helpers import as_json, by_key

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"


def _load(name: str, table: str) -> list[dict]:
    with open(DATA / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)[table]


TARGETS = by_key(_load("targets", "target"))
RESULTS = by_key(_load("results", "result"))
MILESTONES = by_key(_load("milestones", "milestone"))
GLOSSARY = _load("glossary", "term")

COUNTS = {"targets": 27, "results": 79, "milestones": 122, "glossary": 35}


# ── counts ──────────────────────────────────────────────────────────────────────────────────
def test_data_files_hold_the_counted_items() -> None:
    assert (len(TARGETS), len(RESULTS), len(MILESTONES), len(GLOSSARY)) == tuple(COUNTS.values())


def test_a_new_database_holds_the_counted_items(cli, seeded) -> None:
    assert len(as_json(cli.ok("targets", "list", "--format", "json"))) == COUNTS["targets"]
    assert len(as_json(cli.ok("results", "list", "--format", "json"))) == COUNTS["results"]
    assert len(as_json(cli.ok("milestones", "list", "--format", "json"))) == COUNTS["milestones"]
    assert len(as_json(cli.ok("glossary", "--format", "json"))) == COUNTS["glossary"]
    checked = as_json(cli.ok("db", "check", "--format", "json"))["checked"]
    assert {k: checked[k] for k in COUNTS} == COUNTS


def test_readme_states_the_counts() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, count in COUNTS.items():
        assert f"| {count} | `data/{name}.toml` |" in readme, name


# ── the commitments the audit named (issue 17, point 1) ─────────────────────────────────────
NAMED = {
    # phrase (repair marks as in the data) → paragraph of part 二
    "抓好国防动员和双拥工作": 12,
    "完善退役军人服务保障": 12,
    "扎实开展全民国防教育": 12,
    "坚决遏制较大安全事故发生": 7,
    "坚决守住不发生区域性金融风险底线": 9,
    "做大做强\"清泉农夫\"区域公用品牌": 18,
    "完善0-3岁幼托设施及服务": 28,
    "推动三孩政策落实落地": 28,
    "优化政府绩效考核": 35,
    "常态化开展扫黑除恶": 8,
    "坚决打好新时代禁毒、反诈人民战争": 8,
    "科学精准做好常态化疫情防控工作,加速构建全民免疫屏障": 9,
    "加大信访积案化解力度": 9,
    "坚决遏制耕地\"非农化\"、防止\"非粮化\"": 10,
    "努力提高全口径税占比": 16,
    "大力发展全域旅游": 16,
    "繁荣县城夜经济": 16,
    "着力推进园区生产、生活、生态\"三生融合\"": 20,
    "推动个转企、小升规、规改股、股上市": 19,
    "加强对农村精神病人的管理、收治": 27,
    "壮大村级集体经济": 29,
    "深入推进政务公开": 34,
    "聚焦公共资金、国有资产、工程建设、民生保障等重点领域,加强审计监督": 36,
}


@pytest.mark.parametrize("phrase", sorted(NAMED))
def test_each_named_commitment_is_a_milestone(cli, seeded, phrase: str) -> None:
    items = [m for m in MILESTONES.values() if m["phrase"] == phrase]
    assert items, phrase
    shown = by_key(as_json(cli.ok("milestones", "list", "--format", "json")))
    for m in items:
        assert m["locator"].endswith(f"¶{NAMED[phrase]}"), m["key"]
        assert shown[m["key"]]["name_zh"] == m["name_zh"]


def test_parallel_pairs_the_audit_named_are_one_item_each() -> None:
    def keys(phrase: str) -> set[str]:
        return {k for k, m in MILESTONES.items() if m["phrase"] == phrase}

    assert keys("坚决打好新时代禁毒、反诈人民战争") == {"anti-drug-war", "anti-fraud-war"}
    assert keys("坚决遏制耕地\"非农化\"、防止\"非粮化\"") == {"farmland-non-agri", "farmland-non-grain"}
    assert keys("抓好国防动员和双拥工作") == {"defence-mobilization", "double-support"}
    medical = keys("[稳]步推进紧密型县域\"医共体\"改革和\"医联体\"建设")
    assert medical == {"county-medical-community", "medical-alliance"}
    assert MILESTONES["county-medical-community"]["terms"] == [9]
    assert MILESTONES["medical-alliance"]["terms"] == [34]


def test_special_bond_projects_tracks_the_financing_not_the_parks_again() -> None:
    bonds = MILESTONES["special-bond-projects"]
    assert "债券" in bonds["name_zh"] and "园" not in bonds["name_zh"]
    assert "airport-economy-park" in bonds["note"] and "cold-chain-park" in bonds["note"]


def test_birth_subsidy_says_explore_introducing(cli, seeded) -> None:
    row = by_key(as_json(cli.ok("milestones", "list", "--format", "json")))["birth-subsidy"]
    assert row["name_zh"].startswith("积极探索出台")
    en = by_key(as_json(cli.ok("--lang", "en", "milestones", "list", "--format", "json")))["birth-subsidy"]
    assert en["name_en"].startswith("Explore introducing")


def test_every_milestone_has_the_fields_of_the_file_convention() -> None:
    for key, m in MILESTONES.items():
        assert {"key", "name_zh", "name_en", "section", "locator", "phrase", "strength"} <= set(m), key
        assert set(m) <= {"key", "renamed_from", "name_zh", "name_en", "section", "locator", "phrase",
                          "strength", "terms", "note"}, key  # fmt: skip
        assert all(m[f].strip() for f in ("name_zh", "name_en", "phrase", "strength")), key


# ── results: zero-valued facts, kinds, names shared with targets ────────────────────────────
def test_zero_valued_results_are_counts_of_zero(cli, seeded) -> None:
    rows = by_key(as_json(cli.ok("results", "list", "--format", "json")))
    for key, phrase in (("major-accidents-2021", "全年未发生较大安全事故"), ("weak-villages-2021", "集体经济\"薄弱村\"全部\"清零\"")):
        assert RESULTS[key]["phrase"] == phrase
        assert (rows[key]["kind"], rows[key]["value"], rows[key]["unit"]) == ("count", 0, None)


def test_approval_steps_cut_is_a_reduction(cli, seeded) -> None:
    row = by_key(as_json(cli.ok("results", "list", "--format", "json")))["approval-steps-cut-2021"]
    assert (row["kind"], row["value"], row["unit"]) == ("reduction", 78.5, "%")


def test_a_target_and_its_baseline_with_one_chinese_name_have_one_english_name() -> None:
    pairs = [(t, RESULTS[t["baseline"]]) for t in TARGETS.values() if t.get("baseline")]
    assert pairs
    for target, result in pairs:
        if target["name_zh"] == result["name_zh"]:
            assert target["name_en"] == result["name_en"], target["key"]
    assert TARGETS["industry"]["name_en"] == RESULTS["industry-2021"]["name_en"]


# ── pacing (issue 17, point 5) ──────────────────────────────────────────────────────────────
PACING = {
    "electronics-output": "quarterly",
    "shantytown": "annual",
    "rural-housing": "annual",
    "old-communities": "annual",
    "village-plans": "annual",
    "projects-100m": "quarterly",
}


@pytest.mark.parametrize("key", sorted(PACING))
def test_batch_and_quarterly_figures_are_paced_as_reported_and_say_why(key: str) -> None:
    target = TARGETS[key]
    assert target["frequency"] == PACING[key]
    assert f"({PACING[key]})" in target["note"], key  # the note gives the choice and its reason


def test_an_annual_batch_count_is_not_lit_behind_in_spring_by_pacing(cli, seeded) -> None:
    # rural-housing is finished in batches: nothing recorded yet is no_data, and no 序时进度 applies
    cli.ok("record", "rural-housing", "300", "--as-of", "2022-11-30", env={"HNREPORT_TODAY": "2022-12-10"})
    row = by_key(as_json(cli.ok("targets", "list", "--format", "json", "--as-of", "2022-12-31")))["rural-housing"]
    assert row["schedule_share"] is None and row["status"] == "achieved"
    spring = by_key(as_json(cli.ok("targets", "list", "--format", "json", "--as-of", "2022-04-30")))["rural-housing"]
    assert spring["status"] == "no_data"


# ── a seed update on an existing database ───────────────────────────────────────────────────
# Milestones this release adds; an existing database built from the previous data/ lacks them.
ADDED = [
    "major-accident-prevention", "anti-gang-crime", "anti-drug-war", "anti-fraud-war", "epidemic-prevention",
    "petition-backlog", "illegal-fundraising-crackdown", "financial-risk-floor", "farmland-non-agri",
    "farmland-non-grain", "cash-crops", "county-greening", "pollution-battles", "defence-mobilization",
    "double-support", "veteran-services", "national-defence-education", "tax-share", "all-area-tourism",
    "night-economy", "hq-enterprise-growth", "coastal-industry-transfer", "qingquan-nongfu-brand",
    "inclusive-finance", "enterprise-upgrading", "park-sansheng", "certificates-cut", "livelihood-projects",
    "left-behind-care", "rural-mental-patients", "medical-alliance", "childcare-0-3", "three-child-policy",
    "village-collective-economy", "lawful-decision-making", "government-openness", "streamline-administration",
    "performance-assessment", "audit-supervision",
]  # fmt: skip
RENAMED = {"zero-breakthrough-enterprises": "poling-enterprises", "county-medical-community": "medical-consortium"}
ADDED_RESULTS = ["weak-villages-2021", "major-accidents-2021"]


def _sql(db: Path, *statements: str) -> None:
    conn = sqlite3.connect(db)
    try:
        with conn:
            for statement in statements:
                conn.execute(statement)
    finally:
        conn.close()


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _as_previous_release(db: Path) -> None:
    """Turn a freshly seeded database into what the previous data/ had seeded (same digest for now,
    so the CLI works on it as it is)."""
    added = ", ".join(f"'{k}'" for k in ADDED)
    results = ", ".join(f"'{k}'" for k in ADDED_RESULTS)
    _sql(
        db,
        f"DELETE FROM milestones WHERE key IN ({added})",
        f"DELETE FROM results WHERE key IN ({results})",
        *(f"UPDATE {table} SET key = '{old}' WHERE key = '{new}'"
          for new, old in RENAMED.items() for table in ("targets", "milestones")),  # fmt: skip
        "UPDATE milestones SET name_zh = '医共体改革和医联体建设', phrase = '稳步推进紧密型县域\"医共体\"改革和\"医联体\"建设', "
        "terms = '9,34' WHERE key = 'medical-consortium'",
        "UPDATE milestones SET name_zh = '出台生育补贴及配套支持政策' WHERE key = 'birth-subsidy'",
        "UPDATE targets SET frequency = 'monthly' WHERE key = 'electronics-output'",
        "UPDATE results SET kind = 'share' WHERE key = 'approval-steps-cut-2021'",
    )


USER_TABLES = ("observations", "milestone_status", "deadlines", "setting_log", "assignment_log", "units")


def _user_rows(db: Path) -> dict[str, list[tuple]]:
    rows = {t: _rows(db, f"SELECT * FROM {t} ORDER BY 1") for t in USER_TABLES}
    for table in ("targets", "milestones"):
        rows[table] = _rows(db, f"SELECT * FROM {table} WHERE origin = 'user' ORDER BY key")
    return rows


def test_a_seed_update_adds_the_new_commitments_and_keeps_every_user_row(cli, seeded) -> None:
    db = seeded
    _as_previous_release(db)
    assert _rows(db, "SELECT count(*) FROM milestones") == [(83,)] == [(COUNTS["milestones"] - len(ADDED),)]

    # a user's year so far, recorded against the previous release's keys
    cli.ok("record", "poling-enterprises", "1", "--as-of", "2022-06-30", "--note", "首家破零")
    cli.ok("record", "key-project-investment", "70", "--as-of", "2022-06-30")
    cli.ok("config", "set", "light.tolerance", "0.2", "--target", "poling-enterprises")
    cli.ok("milestones", "set", "medical-consortium", "in_progress", "--as-of", "2022-05-31", "--source", "卫健局报告")
    cli.ok("milestones", "due", "medical-consortium", "2022-12-31", "--node", "2022-09-30 医共体总院挂牌")
    cli.ok("milestones", "set", "tugutang-bridge", "done", "--as-of", "2022-06-30")
    cli.ok("units", "add", "县卫生健康局", "--alias", "卫健局")
    cli.ok("assign", "medical-consortium", "卫健局")
    cli.ok("assign", "poling-enterprises", "卫健局", "--role", "support")
    cli.ok("targets", "add", "parking-spaces", "--name-zh", "新增停车位", "--section", "livelihood",
           "--kind", "cumulative", "--value", "500", "--unit", "个")  # fmt: skip
    cli.ok("milestones", "add", "minsheng-01", "--name-zh", "新建城区公厕10座", "--section", "livelihood",
           "--phrase", "新建城区公厕10座", "--locator", "民生实事第1项")  # fmt: skip
    cli.ok("record", "parking-spaces", "250", "--as-of", "2022-06-30")
    before = _user_rows(db)
    assert all(before[t] for t in ("observations", "milestone_status", "deadlines", "assignment_log", "targets", "milestones"))

    _sql(db, "UPDATE plans SET seed_digest = 'previous release'")  # data/ has changed since
    cli.ok("db", "init")

    # the new commitments and results are there; renamed keys carry what was recorded against them
    milestones = by_key(as_json(cli.ok("milestones", "list", "--format", "json", "--as-of", "2022-06-30")))
    assert len(milestones) == COUNTS["milestones"] + 1  # and the user's own
    assert set(ADDED) <= set(milestones)
    assert not {"medical-consortium", "poling-enterprises"} & set(milestones)
    assert milestones["county-medical-community"]["status"] == "in_progress"
    assert milestones["county-medical-community"]["due"] == "2022-12-31"
    assert milestones["county-medical-community"]["lead"] == "县卫生健康局"
    assert milestones["medical-alliance"]["status"] == "not_rated"
    assert milestones["birth-subsidy"]["name_zh"] == MILESTONES["birth-subsidy"]["name_zh"]
    assert milestones["tugutang-bridge"]["status"] == "done"
    assert milestones["minsheng-01"]["origin"] == "user"
    targets = by_key(as_json(cli.ok("targets", "list", "--format", "json", "--as-of", "2022-06-30")))
    assert targets["zero-breakthrough-enterprises"]["latest"] == 1
    assert targets["electronics-output"]["frequency"] == "quarterly"
    assert targets["parking-spaces"]["latest"] == 250
    results = by_key(as_json(cli.ok("results", "list", "--format", "json")))
    assert set(ADDED_RESULTS) <= set(results) and results["approval-steps-cut-2021"]["kind"] == "reduction"
    assert "poling-enterprises" not in targets

    # every user row is still there: the same rows, with the renamed keys followed
    after = _user_rows(db)

    def renamed(rows: list[tuple]) -> list[tuple]:
        back = {old: new for new, old in RENAMED.items()}
        return [tuple(back.get(v, v) if isinstance(v, str) else v for v in row) for row in rows]

    for table in before:
        assert after[table] == renamed(before[table]), table
    assert as_json(cli.ok("db", "check", "--format", "json"))["ok"] is True
    cli.ok("db", "init")  # idempotent: nothing more to do
    assert _user_rows(db) == after


def test_an_export_made_before_keys_were_renamed_restores_under_the_new_keys(cli, seeded, tmp_path):
    # An export from the release before: poling-enterprises and medical-consortium were renamed
    # (renamed_from in data/); their figures, statuses and assignments follow the new keys.
    cli.ok("record", "zero-breakthrough-enterprises", "3", "--as-of", "2022-06")
    cli.ok("milestones", "set", "county-medical-community", "in_progress", "--as-of", "2022-06-30", "--progress", "已挂牌")
    cli.ok("units", "add", "县卫健局")
    cli.ok("assign", "county-medical-community", "县卫健局")
    export = tmp_path / "old.json"
    cli.ok("export", "-o", str(export))
    text = export.read_text(encoding="utf-8")
    text = text.replace('"zero-breakthrough-enterprises"', '"poling-enterprises"').replace(
        '"county-medical-community"', '"medical-consortium"')
    assert '"poling-enterprises"' in text and '"medical-consortium"' in text
    export.write_text(text, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    cli.ok("--db", str(fresh), "import", str(export))
    history = as_json(cli.ok("--db", str(fresh), "history", "zero-breakthrough-enterprises", "--format", "json"))
    assert [h["value"] for h in history] == [3.0]
    ms = by_key(as_json(cli.ok("--db", str(fresh), "milestones", "list", "--format", "json", "--as-of", "2022-07-15")))
    assert ms["county-medical-community"]["status"] == "in_progress"
    assert ms["county-medical-community"]["lead"] == "县卫健局"


def test_glossary_lookups_ignore_quotes_and_brackets(cli, seeded):
    for query in ('"五好"园区', "五好园区", "“五好”园区", "（五好）园区"):
        rows = as_json(cli.ok("glossary", query, "--format", "json"))
        assert [r["term"] for r in rows] == ["五好园区"], query
