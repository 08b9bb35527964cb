"""hnreport extract: a draft plan from a work report's text (issue 19).

Quality is measured on the seed report (tests/source/hengnan-2022-report.txt, the Traditional
conversion the plan was read from) against data/targets.toml and data/results.toml, and on two
synthetic reports written before the rules (tests/source/extract/*.txt with *.expected.toml).

Pairing rule: an extracted item matches a seeded one when their values and units are equal after
normalising the unit — Simplified script (both sides are), full-width forms folded (NFKC), and
the 亿/万 prefixes multiplied out (369.33亿 = 36 933 000 000 of no unit; 138万亩 = 1 380 000 亩).
Each seeded item takes at most one extracted item and the reverse; among candidates the one in
the same paragraph (¶N of the same part) is preferred, then the first in report order.
Comparators are then scored on the matched targets. The results are counted out of 77: the 79
seeded results less the two that the report states only in words and that carry no unit (全部
"清零", 未发生较大安全事故 — value 0), which no figure in the text can match.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "tests" / "source"
SEED = SOURCE / "hengnan-2022-report.txt"
SYNTHETIC = ("qingshui-2023", "baishi-2023")


def _data(name: str, table: str) -> list[dict]:
    with open(REPO / "data" / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)[table]


def normal(value: float, unit: str | None) -> tuple[float, str]:
    """(value, unit) with the unit normalised as the pairing rule says."""
    unit = unicodedata.normalize("NFKC", unit or "")
    for prefix, factor in (("亿", 1e8), ("万", 1e4)):
        if unit.startswith(prefix):
            return round(value * factor, 6), unit[len(prefix):]
    return round(float(value), 6), unit


def paragraph(locator: str) -> tuple[str, str]:
    m = re.search(r"¶(\d+)", locator)
    return (locator[:1], m.group(1) if m else "")


def pair(seeded: list[dict], found: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one pairs by normalised value and unit (see the module's pairing rule)."""
    free = list(found)
    pairs = []
    for s in seeded:
        want = normal(s["value"], s.get("unit"))
        candidates = [f for f in free if normal(f["value"], f.get("unit")) == want]
        if not candidates:
            continue
        same = [f for f in candidates if paragraph(f["locator"]) == paragraph(s["locator"])]
        chosen = (same or candidates)[0]
        free.remove(chosen)
        pairs.append((s, chosen))
    return pairs


@pytest.fixture(scope="module")
def seed_draft(tmp_path_factory) -> dict:
    from typer.testing import CliRunner

    from hnreport.commands.app import app

    out = tmp_path_factory.mktemp("extract") / "draft.toml"
    result = CliRunner().invoke(app, ["--lang", "en", "extract", str(SEED), "-o", str(out), "--key", "hengnan-2022-draft"])
    assert result.exit_code == 0, result.output
    with open(out, "rb") as fh:
        draft = tomllib.load(fh)
    draft["_stderr"] = result.stderr
    return draft


# ── quality on the seed ──────────────────────────────────────────────────────────────────────
def test_seed_targets_found_with_their_comparators(seed_draft) -> None:
    seeded = _data("targets", "target")
    found = seed_draft["target"]
    pairs = pair(seeded, found)
    matched = {id(f) for _, f in pairs}
    false = [f for f in found if id(f) not in matched]
    right = sum(1 for s, f in pairs if s["comparator"] == f["comparator"])
    print(f"\nseed targets: {len(pairs)} of {len(seeded)} found; {len(false)} false; "
          f"comparators {right} of {len(pairs)} right ({100 * right / max(len(pairs), 1):.0f} %)")
    for s in seeded:
        if not any(s is p for p, _ in pairs):
            print("  missed target:", s["key"], s["phrase"])
    for f in false:
        print("  false target:", f["key"], f["phrase"])
    kinds = sum(1 for s, f in pairs if s["kind"] == f["kind"])
    strengths = sum(1 for s, f in pairs if s.get("strength") == f.get("strength"))
    print(f"  kinds {kinds} of {len(pairs)} as data/ has them; strengths {strengths} of {len(pairs)}")
    assert len(pairs) >= 26
    assert len(false) <= 3
    assert right >= 0.9 * len(pairs)
    assert kinds >= 0.9 * len(pairs) and strengths >= 0.8 * len(pairs)


def test_seed_results_found(seed_draft) -> None:
    seeded = [r for r in _data("results", "result") if not (r["value"] == 0 and "unit" not in r)]
    assert len(seeded) == 77
    pairs = pair(seeded, seed_draft["result"])
    print(f"\nseed results: {len(pairs)} of {len(seeded)} found ({len(seed_draft['result'])} extracted)")
    for s in seeded:
        if not any(s is p for p, _ in pairs):
            print("  missed result:", s["key"], s["phrase"])
    kinds = sum(1 for s, f in pairs if s["kind"] == f["kind"])
    print(f"  kinds {kinds} of {len(pairs)} as data/ has them")
    assert len(pairs) >= 70 and kinds >= 0.9 * len(pairs)
    ranks = [(s, f) for s, f in pairs if s["kind"] == "rank"]
    assert ranks and all(f.get("scope") == s["scope"] for s, f in ranks)


def test_seed_known_indicators_keep_their_keys(seed_draft) -> None:
    keys = {t["key"] for t in seed_draft["target"]}
    assert {"gdp", "industry", "investment", "retail", "trade", "revenue", "income"} <= keys
    main = [t for t in seed_draft["target"] if t["section"] == "main"]
    assert len(main) == 7 and all(t["strength"] == "预期" for t in main)
    gdp = next(t for t in seed_draft["target"] if t["key"] == "gdp")
    assert gdp["baseline"] == "gdp-2021" and any(r["key"] == "gdp-2021" and r["value"] == 8.3 for r in seed_draft["result"])
    assert {a["key"] for a in seed_draft["aliases"]} == {"gdp", "industry", "investment", "retail", "trade", "revenue", "income"}


def test_seed_structure_glossary_and_damage(seed_draft) -> None:
    plan = seed_draft["plan"]
    assert (plan["key"], plan["county_zh"], plan["year"], plan["delivered"]) == ("hengnan-2022-draft", "衡南县", 2022, "2022-03-23")
    codes = [s["code"] for s in seed_draft["section"]]
    assert codes == ["review-overview", "review-1", "review-2", "review-3", "review-4", "review-5",
                     "plan-overview", "main", "plan-1", "plan-2", "plan-3", "plan-4"]  # fmt: skip
    # the heading that lost its (三) is named with the number in brackets, and reported
    assert seed_draft["section"][10]["name_zh"] == "[(三)]竭尽全力惠民生"
    assert "[(三)]竭尽全力惠民生" in seed_draft["_stderr"]
    glossary = _data("glossary", "term")
    terms = {t["number"]: t["term"] for t in seed_draft["term"]}
    assert terms == {g["number"]: g["term"] for g in glossary}
    assert next(t for t in seed_draft["term"] if t["number"] == 28)["body_locator"].endswith("¶19")
    # conversion damage is reported, not repaired: the phrases keep 关键词2 as printed
    err = seed_draft["_stderr"]
    assert "关键词2 (28 place(s)" in err and "麵" in err and "著力" in err
    assert any("关键词2" in m["phrase"] for m in seed_draft["milestone"])
    # the one numeric sentence it cannot read is named
    assert "2524" in err


def test_seed_draft_has_every_field_data_requires(seed_draft) -> None:
    """Every row holds the fields every row of data/ holds (so `plan load` reads it like data/),
    plus confidence and review = true; keys are unique across targets, results and milestones."""
    tables = {"target": ("targets", "target"), "result": ("results", "result"), "milestone": ("milestones", "milestone"),
              "term": ("glossary", "term"), "section": ("plan", "section"), "aliases": ("aliases", "aliases")}  # fmt: skip
    for table, (file, name) in tables.items():
        rows = _data(file, name)
        required = set.intersection(*(set(r) for r in rows))
        assert seed_draft[table], table
        for row in seed_draft[table]:
            assert required <= set(row), (table, required - set(row))
            if table not in ("section", "aliases"):
                assert row["review"] is True and 0.0 <= row["confidence"] <= 1.0
    assert set(_data("plan", "plan")) <= set(seed_draft["plan"])
    keys = [r["key"] for t in ("target", "result", "milestone") for r in seed_draft[t]]
    assert len(keys) == len(set(keys))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k) for k in keys)
    sections = {s["code"] for s in seed_draft["section"]}
    assert all(r["section"] in sections for t in ("target", "result", "milestone") for r in seed_draft[t])
    for t in seed_draft["target"]:
        assert t["comparator"] in (">=", ">", "<=", "~") and t["kind"] in ("growth_rate", "level", "share", "cumulative", "reduction")
        assert ("unit" in t) != bool(t.get("unit_missing"))


# ── the synthetic reports (written before the rules) ─────────────────────────────────────────
def _extract(cli, path: Path, out: Path, *extra: str):
    result = cli("--lang", "en", "extract", str(path), "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    with open(out, "rb") as fh:
        return tomllib.load(fh), result.stderr


@pytest.mark.parametrize("name", SYNTHETIC)
def test_synthetic_report(cli, tmp_path, name) -> None:
    with open(SOURCE / "extract" / f"{name}.expected.toml", "rb") as fh:
        expected = tomllib.load(fh)
    draft, err = _extract(cli, SOURCE / "extract" / f"{name}.txt", tmp_path / "d.toml")
    assert draft["plan"]["county_zh"] == expected["plan"]["county_zh"] and draft["plan"]["year"] == expected["plan"]["year"]
    for want in expected["target"]:
        want.setdefault("locator", "")
    pairs = pair(expected["target"], draft["target"])
    missed = [w for w in expected["target"] if not any(w is s for s, _ in pairs)]
    false = [f for f in draft["target"] if not any(f is g for _, g in pairs)]
    print(f"\n{name}: targets {len(pairs)} of {len(expected['target'])}, {len(false)} false")
    assert not missed, missed
    assert not false, false
    for want, got in pairs:
        if want["comparator"] == "range":
            assert got["comparator"] == ">=" and f"–{want['high']:g}" in got["note"], got
        else:
            assert got["comparator"] == want["comparator"], (want, got)
        assert got["kind"] == want["kind"], (want, got)
        if "key" in want:
            assert got["key"] == want["key"]
        if "strength" in want:
            assert got["strength"] == want["strength"], (want, got)
    for want in expected["result"]:
        want.setdefault("locator", "")
    rpairs = pair(expected["result"], draft["result"])
    assert len(rpairs) == len(expected["result"]), [w for w in expected["result"] if not any(w is s for s, _ in rpairs)]
    assert all(got.get("scope") == want["scope"] for want, got in rpairs if "scope" in want)
    for want in expected["milestone"]:
        hits = [m for m in draft["milestone"] if want["contains"] in m["phrase"]]
        assert hits, want
        if want["deadline"]:
            assert any(f"期限：{want['deadline']}" in (m.get("note") or "") and m.get("due") for m in hits), (want, hits)
    assert [(t["number"], t["term"]) for t in draft["term"]] == [(t["number"], t["term"]) for t in expected["term"]]
    for damage in expected.get("damage", []):
        assert damage["text"] in err
    if name == "baishi-2023":
        assert "Traditional script" in err and "(1 place(s)" in err  # 全麵 only: 麵粉 (flour) is no damage
        due = {m["due"] for m in draft["milestone"] if m.get("due")}
        assert {"2023-06-30", "2023-12-31"} <= due


def test_gbk_docx_and_html_read_like_the_text(cli, tmp_path) -> None:
    text = (SOURCE / "extract" / "qingshui-2023.txt").read_text(encoding="utf-8")
    plain, _ = _extract(cli, SOURCE / "extract" / "qingshui-2023.txt", tmp_path / "plain.toml")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(text.replace("—", "-").encode("gbk"))
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            document.add_paragraph(line)
    document.save(tmp_path / "report.docx")
    page = tmp_path / "report.html"
    page.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>x</title><style>p{}</style></head><body>"
                    + "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip()) + "</body></html>", encoding="utf-8")
    utf16 = tmp_path / "notepad-unicode.txt"
    utf16.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))  # Notepad's "Unicode": UTF-16 with a BOM, CRLF
    for source in (gbk, utf16, tmp_path / "report.docx", page):
        got, _ = _extract(cli, source, tmp_path / f"{source.name}.toml")
        assert [(t["key"], t["value"]) for t in got["target"]] == [(t["key"], t["value"]) for t in plain["target"]], source.name
        assert len(got["result"]) == len(plain["result"]) and len(got["term"]) == len(plain["term"])


# ── bad input: one line, nothing written ─────────────────────────────────────────────────────
def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    words = tmp_path / "words.txt"
    words.write_text("一、工作回顾\n\n过去一年，我们做了很多工作。\n\n二、今年安排\n\n今年我们要继续努力。\n", encoding="utf-8")
    years = tmp_path / "years.txt"
    years.write_text("某某县2023年政府工作报告\n\n2023年1月10日\n\n一、2022年工作回顾\n\n2022年，我们做了很多工作。\n", encoding="utf-8")
    damaged = tmp_path / "report.docx"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    old = tmp_path / "report.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    return {
        "empty": (empty, "is empty"), "binary": (binary, "not a text file"), "no numbers": (words, "holds no figures"), "only years": (years, "holds no figures"),
        "damaged docx": (damaged, "not a readable .docx"), "old word": (old, "old Word/WPS document"),
        "missing": (tmp_path / "nope.txt", "no such file"),
    }  # fmt: skip


def test_bad_input_is_one_line_and_writes_nothing(cli, tmp_path) -> None:
    for what, (path, words) in _bad_inputs(tmp_path).items():
        out = tmp_path / "draft.toml"
        result = cli("--lang", "en", "extract", str(path), "-o", str(out))
        assert result.exit_code == 1, (what, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.output, (what, result.stderr)
        assert not out.exists() and not list(tmp_path.glob(".draft.toml*")), what


def test_bad_input_in_chinese_under_a_gbk_console(tmp_path) -> None:
    import os
    import subprocess
    import sys

    path, _ = _bad_inputs(tmp_path)["no numbers"]
    env = dict(os.environ, PYTHONIOENCODING="gbk")
    run = subprocess.run([sys.executable, "-m", "hnreport", "--lang", "zh", "extract", str(path), "-o", str(tmp_path / "d.toml")],
                         capture_output=True, env=env)  # fmt: skip
    assert run.returncode == 1
    err = run.stderr.decode("gbk")
    assert "没有任何指标数字" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    ok = subprocess.run([sys.executable, "-m", "hnreport", "--lang", "zh", "extract", str(SEED), "-o", str(tmp_path / "d.toml")],
                        capture_output=True, env=env)  # fmt: skip
    assert ok.returncode == 0 and "Traceback" not in ok.stderr.decode("gbk", "replace")


def test_output_guard_and_key(cli, tmp_path, db_path) -> None:
    out = tmp_path / "draft.toml"
    out.write_text("mine", encoding="utf-8")
    source = SOURCE / "extract" / "qingshui-2023.txt"
    refused = cli("--lang", "en", "extract", str(source), "-o", str(out))
    assert refused.exit_code == 1 and "add --force" in refused.stderr and out.read_text(encoding="utf-8") == "mine"
    onto_db = cli("--lang", "en", "extract", str(source), "-o", str(db_path))
    assert onto_db.exit_code == 1 and "it is the database" in onto_db.stderr
    bad_key = cli("--lang", "en", "extract", str(source), "-o", str(tmp_path / "x.toml"), "--key", "Qing Shui")
    assert bad_key.exit_code == 1 and "--key 'Qing Shui'" in bad_key.stderr
    draft, _ = _extract(cli, source, out, "--force")
    assert draft["plan"]["key"] == "qingshui-2023"


# ── end to end: the draft loads as a plan whose targets report tracks ─────────────────────────
def test_seed_draft_loads_beside_the_embedded_plan_and_is_tracked(cli, tmp_path) -> None:
    """extract the seed → plan load --accept-drafts into a fresh database under another key →
    report tracks its targets (and the embedded plan keeps its own). Needs `plan load` (issue 18)."""
    import importlib.util
    import json

    if importlib.util.find_spec("hnreport.commands.plan") is None:
        pytest.skip("plan load (issue 18) is not in this tree")
    draft = tmp_path / "draft.toml"
    cli.ok("--lang", "en", "extract", str(SEED), "-o", str(draft), "--key", "hengnan-2022-draft")
    refused = cli("--lang", "en", "plan", "load", str(draft))
    assert refused.exit_code == 1 and "is a draft awaiting review" in refused.stderr
    cli.ok("--lang", "en", "plan", "load", str(draft), "--accept-drafts")
    cli.ok("--plan", "hengnan-2022-draft", "record", "gdp", "8.7", "--as-of", "2022-06")
    cli.ok("--plan", "hengnan-2022-draft", "record", "liangshi-bozhong-mianji", "120", "--as-of", "2022-06")
    report = json.loads(cli.ok("--plan", "hengnan-2022-draft", "report", "--format", "json").stdout)
    assert len(report["targets"]) == 27
    tracked = {t["key"]: t for t in report["targets"] if t.get("latest") is not None}
    assert tracked["gdp"]["status"] == "on_pace" and tracked["liangshi-bozhong-mianji"]["status"] == "far_behind"
    embedded = json.loads(cli.ok("report", "--format", "json").stdout)
    assert all(t.get("latest") is None for t in embedded["targets"])


# ── robustness: any text gives a draft or NoFigures, never an exception ──────────────────────
def test_any_text_gives_a_draft_or_says_it_has_no_figures() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from hnreport.domain.extract import draft

    seed = SEED.read_text(encoding="utf-8")
    pieces = st.sampled_from(["一、", "二、", "(一)", "（二）", "名词解释", "\n", "\n\n", "分别", "、", "增长", "%", "‰", "以上",
                              "左右", "以内", "—", "-", "至", "全市第1", "第", "年底前", "6月底前", "[3]", "1.", ":", "：",
                              "亿元", "万亩", "个", "计划", "突破", "关键词2", "麵", "5G", "2022年", "。", "，"])  # fmt: skip
    texts = st.one_of(
        st.lists(st.one_of(pieces, st.text(max_size=5), st.integers(0, 99999).map(str)), max_size=60).map("".join),
        st.tuples(st.integers(0, len(seed)), st.integers(0, 3000)).map(lambda a: seed[a[0] : a[0] + a[1]]),
    )

    @settings(max_examples=150, deadline=None)
    @given(texts)
    def check(text: str) -> None:
        try:
            result = draft.build(text)
        except draft.NoFigures:
            return
        for t in result.targets:
            assert t["comparator"] in (">=", ">", "<=", "~") and t["phrase"] is not None

    check()


def test_toml_strings_read_back_as_written() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from hnreport.render.formats.toml import string_text, value_text

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), st.floats(allow_nan=False, allow_infinity=False))
    def check(text: str, number: float) -> None:
        back = tomllib.loads(f"s = {string_text(text)}\nn = {value_text(number)}\n")
        assert back["s"] == text and back["n"] == number

    check()


def test_seed_commitments_have_candidates(seed_draft) -> None:
    """A seeded milestone counts as found when a candidate shares its first eight characters (repair
    marks and footnote markers dropped): a floor, printed, not a pairing as strict as the targets'."""
    seeded = _data("milestones", "milestone")
    candidates = [re.sub(r"\[\d+\]", "", m["phrase"]) for m in seed_draft["milestone"]]
    found = sum(1 for m in seeded if any(re.sub(r"\[[^\]]*\]", "", m["phrase"])[:8] in c for c in candidates))
    print(f"\nseed commitments: {found} of {len(seeded)} have a candidate ({len(candidates)} candidates)")
    assert found >= 100
    assert all(m.get("due") is None for m in seed_draft["milestone"])  # the seed states no deadline of this form


def test_other_wordings() -> None:
    """Wordings the three reports lack: 一是/二是 paragraphs, a CPI rise (涨幅), 居全市第二位,
    deadlines in other months, a figure in 万元 per head, the strength of a clause its own."""
    from hnreport.domain.extract import draft

    text = ("某某县2023年政府工作报告\n\n一、2022年工作回顾\n\n全年实现地区生产总值312.5亿元，同比增长4.8%；规模以上工业增加值"
            "增长7.2%，居全市第二位。城镇居民人均可支配收入4.2万元。\n\n二、2023年主要目标任务\n\n2023年全县经济社会发展的主要预期"
            "目标是：地区生产总值增长6.5%左右；城镇调查失业率控制在5.5%以内；居民消费价格涨幅控制在3%左右；单位GDP能耗下降2.5%。\n\n"
            "一是抓项目。全年实施重点项目200个以上，年度计划投资300亿元。6月底前完成县城污水处理厂提标改造，10月底前建成城东学校。\n\n"
            "二是惠民生。新增城镇就业6000人，新建改造农村公路150公里。\n")  # fmt: skip
    d = draft.build(text)
    targets = {(t["value"], t.get("unit")): t for t in d.targets}
    assert targets[(3, "%")]["kind"] == "growth_rate" and targets[(3, "%")]["comparator"] == "~"
    assert targets[(2.5, "%")]["kind"] == "reduction" and targets[(5.5, "%")]["comparator"] == "<="
    assert targets[(150, "公里")].get("strength") is None  # 新增 belongs to the clause before
    assert targets[(150, "公里")]["locator"] == "二、2023年主要目标任务 › 二是惠民生 ¶3"
    assert targets[(6.5, "%")]["key"] == "gdp" or targets[(6.5, "%")]["section"] == "main"
    results = {(r["value"], r.get("unit")): r for r in d.results}
    assert results[(2, "名")]["scope"] == "全市" and results[(4.2, "万元")]["kind"] == "level"
    due = {m["phrase"]: m.get("due") for m in d.milestones}
    assert due["6月底前完成县城污水处理厂提标改造"] == "2023-06-30" and due["10月底前建成城东学校"] == "2023-10-31"
