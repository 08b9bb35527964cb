"""The static site a county can post on its 政务公开 page: plain HTML and one CSS file, no
server, no scripts from elsewhere, no fonts or images fetched — readable on a phone.

Pages: the index (the summary and the promise scorecard), a page per target and per commitment
(原文 with its locator, the figures with their sources, the status history), the unit ranking,
the glossary, and a search page (a small inline script over the published texts). Everything is
drawn from a ``domain.publication.Publication``: the same rows as the publication database.
"""

from __future__ import annotations

import json
import re
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from hnreport import words
from hnreport.domain.values import format_number

if TYPE_CHECKING:
    from hnreport.domain.publication import Publication

CSS = """\
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #d9dce1; --bg: #fff; --band: #f5f6f8;
  --kept: #1a7f37; --missed: #b42318; --progress: #9a6700; --none: #6e7781; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: var(--bg); line-height: 1.65;
  font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 16px; }
header.site { background: #8b1a1a; color: #fff; padding: .8rem 1rem; }
header.site a { color: #fff; text-decoration: none; }
header.site .title { font-size: 1.15rem; font-weight: bold; }
nav { display: flex; flex-wrap: wrap; gap: .2rem 1rem; margin-top: .3rem; font-size: .95rem; }
main { max-width: 68rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.45rem; margin: .4rem 0 .8rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
p.meta, .muted { color: var(--muted); font-size: .92rem; }
blockquote { margin: .6rem 0; padding: .6rem .9rem; background: var(--band); border-left: 4px solid #8b1a1a; }
blockquote cite { display: block; margin-top: .3rem; color: var(--muted); font-style: normal; font-size: .88rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .95rem; }
th, td { border-bottom: 1px solid var(--line); padding: .45rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--band); white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: .6rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.counts { display: flex; flex-wrap: wrap; gap: .6rem; margin: .6rem 0 1rem; padding: 0; list-style: none; }
.counts li { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; min-width: 7rem; }
.counts b { display: block; font-size: 1.4rem; }
.v-kept, .v-missed, .v-in_progress, .v-not_rated { white-space: nowrap; }
.v-kept { color: var(--kept); font-weight: bold; }
.v-missed { color: var(--missed); font-weight: bold; }
.v-in_progress { color: var(--progress); font-weight: bold; }
.v-not_rated { color: var(--none); }
mark { background: #ffe58f; color: inherit; padding: 0 .1em; }
input[type=search] { width: 100%; font-size: 1.05rem; padding: .55rem .7rem; border: 1px solid var(--muted); border-radius: 6px; }
footer { max-width: 68rem; margin: 2rem auto 1rem; padding: 0 1rem; color: var(--muted); font-size: .85rem; }
a { color: #0b57d0; }
@media (max-width: 640px) {
  main { padding: .7rem; }
  table.cards thead { display: none; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .7rem; padding: .3rem .5rem; }
  table.cards td { border: 0; padding: .15rem 0; text-align: left; white-space: normal; }
  table.cards td[data-label]::before { content: attr(data-label) "："; color: var(--muted); }
  dl.facts { grid-template-columns: 1fr; gap: 0; }
  dl.facts dd { margin-bottom: .4rem; }
}
"""

NAV = (("index.html", "首页·记分卡"), ("units.html", "单位排名"), ("glossary.html", "名词解释"), ("search.html", "搜索"))
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}$")


def page_name(kind: str, key: str) -> str:
    """The file of an item's page: its key when that is a plain file name (lower-cased: keys are
    case-blind, and so are Windows file names), else a name made from the key."""
    folder = "targets" if kind == "target" else "milestones"
    name = key.lower()
    if not _SAFE_NAME.match(name):
        import hashlib

        name = "item-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    return f"{folder}/{name}.html"


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value))


def page(title: str, body: str, *, plan: dict, depth: int = 0, site: bool = True) -> str:
    """One page; ``site=False``: a page on its own (its CSS inline, no links to a site)."""
    up = "../" * depth
    name = _e(plan.get("name_zh"))
    if site:
        nav = "".join(f'<a href="{up}{href}">{escape(label)}</a>' for href, label in NAV)
        style = f'<link rel="stylesheet" href="{up}style.css">'
        header = f'<a class="title" href="{up}index.html">{name} · 落实情况</a><nav>{nav}</nav>'
    else:
        style = f"<style>\n{CSS}</style>"
        header = f'<span class="title">{name} · 落实情况</span>'
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} · {name}</title>\n{style}\n</head>\n<body>\n"
        f'<header class="site">{header}</header>\n<main>\n{body}\n</main>\n'
        f"<footer>截至 {_e(plan.get('as_of'))}。原文：{_e(plan.get('source_title'))}（{_e(plan.get('source_issuer'))}，"
        f"{_e(plan.get('source_occasion'))}）。状态按序时进度计算；数据及来源见各指标页。</footer>\n</body>\n</html>\n"
    )


def _verdict(verdict: str) -> str:
    return f'<span class="v-{verdict}">{escape(words.verdict_word(verdict, "zh"))}</span>'


def _value(value: Any, unit: Any = None, decimals: Any = None) -> str:
    if value is None:
        return "—"
    return escape(f"{format_number(value, decimals)}{unit or ''}")


def _margin(row: dict) -> str:
    m, unit = row.get("margin"), row.get("margin_unit")
    if m is None:
        return "—"
    if unit == "days":
        d = int(m)
        return f"提前{d}天" if d > 0 else f"逾期{-d}天" if d < 0 else "按期"
    shown = "个百分点" if unit == "points" else (unit or "")
    return escape(f"{'+' if m > 0 else ''}{format_number(round(m, 2))}{shown}")


def _td(label: str, content: str, cls: str = "") -> str:
    return f'<td data-label="{escape(label)}"{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{content}</td>'


def scorecard_table(rows: list[dict], depth: int = 0, links: bool = True) -> str:
    up = "../" * depth
    head = "".join(f"<th>{h}</th>" for h in ("类别", "事项", "结论", "最终/初步", "差距", "原文", "依据"))
    out = [f'<table class="cards"><thead><tr>{head}</tr></thead><tbody>']
    for r in rows:
        link = f'<a href="{up}{page_name(r["kind"], r["key"])}">{_e(r["name_zh"])}</a>' if links else _e(r["name_zh"])
        source = _e(r.get("source")) + (f' <span class="muted">({_e(r["evidence_as_of"])})</span>' if r.get("evidence_as_of") else "")
        out.append("<tr>" + "".join((
            _td("类别", escape(words.pick(words.ITEM_KIND[r["kind"]], "zh"))), _td("事项", link), _td("结论", _verdict(r["verdict"])),
            _td("最终/初步", "—" if r["verdict"] == "not_rated" else "最终" if r["final"] else "初步"), _td("差距", _margin(r), "num"),
            _td("原文", f'{_e(r["phrase"])}<br><span class="muted">{_e(r["locator"])}</span>'), _td("依据", source or "—"),
        )) + "</tr>")  # fmt: skip
    out.append("</tbody></table>")
    return "\n".join(out)


def _counts(counts: dict[str, int]) -> str:
    items = "".join(f'<li><span class="v-{v}">{escape(words.verdict_word(v, "zh"))}</span><b>{n}</b></li>' for v, n in counts.items())
    return f'<ul class="counts">{items}</ul>'


def _verdict_counts(rows: list[dict]) -> dict[str, int]:
    out = {v: 0 for v in words.VERDICT}
    for r in rows:
        out[r["verdict"]] += 1
    return out


def scorecard_page(plan: dict, as_of: date, rows: list[dict], counts: dict[str, int]) -> str:
    """The scorecard alone as one HTML page (``scorecard --format html``, ``-o card.html``):
    ``rows`` as ``render.public.entry_dict`` makes them."""
    shown = dict(plan, as_of=as_of.isoformat())
    body = (f"<h1>承诺兑现记分卡</h1><p class=\"meta\">{_e(plan.get('name_zh'))} · 截至 {as_of.isoformat()}</p>"
            f"{_counts(counts)}{scorecard_table(rows, links=False)}")  # fmt: skip
    return page("承诺兑现记分卡", body, plan=shown, site=False)


def site_pages(pub: Publication) -> dict[str, str]:
    """Every file of the static site: relative path → text."""
    plan = pub.plan
    t = pub.tables
    pages: dict[str, str] = {"style.css": CSS}
    sections = {s["code"]: s for s in t["sections"]}

    # the index: summary and scorecard
    targets_by_status: dict[str, int] = {}
    for r in t["targets"]:
        targets_by_status[r["status"]] = targets_by_status.get(r["status"], 0) + 1
    status_line = "　".join(f"{escape(words.status_word(s, 'zh'))} {n}" for s, n in targets_by_status.items())
    m_by_status: dict[str, int] = {}
    for r in t["milestones"]:
        m_by_status[r["status"]] = m_by_status.get(r["status"], 0) + 1
    m_line = "　".join(f"{escape(words.milestone_word(s, 'zh'))} {n}" for s, n in m_by_status.items())
    overdue = sum(r["overdue"] for r in t["milestones"])
    body = [
        f"<h1>{_e(plan['name_zh'])}落实情况</h1>",
        f"<p class=\"meta\">截至 {_e(plan['as_of'])} · 量化指标 {len(t['targets'])} 项，承诺事项 {len(t['milestones'])} 项</p>",
        "<h2>总体情况</h2>", _counts(_verdict_counts(t["scorecard"])),
        f"<p>量化指标（对照序时进度）：{status_line}</p>",
        f"<p>承诺事项：{m_line}{f'；其中逾期 {overdue} 项' if overdue else ''}</p>",
        "<h2>承诺兑现记分卡</h2>",
        "<p class=\"muted\">已兑现：指标达到目标或事项已完成；未兑现：年终未达标、事项已取消或已过时限未完成；"
        "推进中：年内按序时进度评估；最终：全年最终核实数据或事项已办结，其余为初步结论。</p>",
        scorecard_table(t["scorecard"]),
    ]
    pages["index.html"] = page("首页", "\n".join(body), plan=plan)

    figures: dict[str, list[dict]] = {}
    for f in t["figures"]:
        figures.setdefault(f["target_key"], []).append(f)
    for r in t["targets"]:
        pages[page_name("target", r["key"])] = page(r["name_zh"], _target_body(r, figures.get(r["key"], []), sections), plan=plan, depth=1)
    history: dict[str, list[dict]] = {}
    for h in t["status_history"]:
        history.setdefault(h["milestone_key"], []).append(h)
    for r in t["milestones"]:
        pages[page_name("milestone", r["key"])] = page(r["name_zh"], _milestone_body(r, history.get(r["key"], []), sections),
                                                       plan=plan, depth=1)  # fmt: skip
    pages["units.html"] = page("单位排名", _units_body(t["units"]), plan=plan)
    pages["glossary.html"] = page("名词解释", _glossary_body(t["glossary"]), plan=plan)
    pages["search.html"] = page("搜索", _search_body(t["search"]), plan=plan)
    return pages


def _quote(phrase: str, locator: str) -> str:
    return f"<blockquote>{_e(phrase)}<cite>原文出处：{_e(locator)}</cite></blockquote>"


def _target_body(r: dict, figures: list[dict], sections: dict) -> str:
    section = sections.get(r["section"], {}).get("name_zh", r["section"])
    comparator = words.comparator_mark(r["comparator"], "zh")
    facts = [
        ("所属部分", _e(section)), ("目标", f"{escape(comparator)} {_value(r['target'], r['unit'])}"
                                    + (f"（原 {_value(r['original_target'], r['unit'])}）" if r.get("original_target") is not None else "")),
        ("2021年", _value(r["baseline"], r["baseline_unit"])),
        ("最新数据", f"{_value(r['latest'], r['unit'])}" + (f"（{_e(r['latest_as_of'])}，{escape(words.pick(words.VINTAGE[r['vintage']], 'zh'))}）" if r["latest_as_of"] else "")),
        ("来源", _e(r["latest_source"]) or "—"),
        ("序时应达", _value(r["expected"], r["unit"])),
        ("状态", escape(words.status_word(r["status"], "zh"))), ("结论", _verdict(r["verdict"])),
        ("牵头单位", _e(r["lead_unit"]) or "—"),
    ]  # fmt: skip
    out = [f"<h1>{_e(r['name_zh'])}</h1>", f"<p class=\"meta\">指标代码 {_e(r['key'])} · {_e(r['name_en'])}</p>",
           _quote(r["phrase"], r["locator"]), _facts(facts), "<h2>数据及来源</h2>"]  # fmt: skip
    if not figures:
        out.append("<p class=\"muted\">截至发布日尚无数据。</p>")
    else:
        head = "".join(f"<th>{h}</th>" for h in ("时期截止", "数值", "口径", "状态", "来源", "备注"))
        rows = [
            "<tr>" + "".join((_td("时期截止", _e(f["as_of"])), _td("数值", _value(f["value"], f["unit"], f["decimals"]), "num"),
                              _td("口径", escape(words.pick(words.VINTAGE[f["vintage"]], "zh"))),
                              _td("状态", escape(words.pick(words.STATE[f["state"]], "zh"))),
                              _td("来源", _e(f["source"]) or "—"), _td("备注", _e(f["note"])))) + "</tr>"
            for f in sorted(figures, key=lambda f: (f["as_of"], f["id"]), reverse=True)
        ]  # fmt: skip
        out.append(f'<table class="cards"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return "\n".join(out)


def _milestone_body(r: dict, history: list[dict], sections: dict) -> str:
    section = sections.get(r["section"], {}).get("name_zh", r["section"])
    due = _e(r["due_date"]) + ("（报告未写时限，按年底计）" if r["due_implied"] else "") + ("（已延期）" if r["extended"] else "")
    facts = [
        ("所属部分", _e(section)), ("状态", escape(words.milestone_word(r["status"], "zh")) + ("　<b class=\"v-missed\">已逾期</b>" if r["overdue"] else "")),
        ("结论", _verdict(r["verdict"])), ("完成时限", due), ("牵头单位", _e(r["lead_unit"]) or "—"),
        ("配合单位", _e(r["support_units"]) or "—"), ("最新报送", _e(r["status_as_of"]) or "—"),
    ]  # fmt: skip
    out = [f"<h1>{_e(r['name_zh'])}</h1>", f"<p class=\"meta\">事项代码 {_e(r['key'])} · {_e(r['name_en'])}</p>",
           _quote(r["phrase"], r["locator"]), _facts(facts)]  # fmt: skip
    latest = [(label, r[f]) for label, f in (("进展情况", "progress"), ("存在问题", "problems"), ("下一步措施", "next_steps"),
                                             ("佐证材料", "source")) if r.get(f)]  # fmt: skip
    if latest:
        out += ["<h2>最新进展</h2>", _facts([(label, _e(text)) for label, text in latest])]
    out.append("<h2>进展记录</h2>")
    if not history:
        out.append("<p class=\"muted\">截至发布日尚无报送。</p>")
    else:
        head = "".join(f"<th>{h}</th>" for h in ("日期", "状态", "进展情况", "存在问题", "下一步措施", "佐证材料"))
        rows = [
            "<tr>" + "".join((_td("日期", _e(h["as_of"])), _td("状态", escape(words.milestone_word(h["status"], "zh"))),
                              _td("进展情况", _e(h["progress"])), _td("存在问题", _e(h["problems"])),
                              _td("下一步措施", _e(h["next_steps"])), _td("佐证材料", _e(h["source"])))) + "</tr>"
            for h in sorted(history, key=lambda h: (h["as_of"], h["id"]), reverse=True)
        ]  # fmt: skip
        out.append(f'<table class="cards"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return "\n".join(out)


def _facts(facts: list[tuple[str, str]]) -> str:
    return '<dl class="facts">' + "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>"


def _units_body(units: list[dict]) -> str:
    out = ["<h1>牵头单位排名</h1>",
           "<p class=\"muted\">按正常率排序：已兑现与正常推进的事项占已评定事项的比例；同率时滞后、逾期少者在前。"
           "尚无已评定事项的单位不排名。</p>"]  # fmt: skip
    if not units:
        out.append("<p class=\"muted\">尚未分配牵头单位。</p>")
        return "\n".join(out)
    head = "".join(f"<th>{h}</th>" for h in ("名次", "单位", "牵头事项", "已兑现", "正常推进", "滞后/逾期", "未兑现", "尚未评定", "正常率"))
    rows = [
        "<tr>" + "".join((_td("名次", _e(u["rank"]) or "—", "num"), _td("单位", _e(u["unit"])), _td("牵头事项", _e(u["led"]), "num"),
                          _td("已兑现", _e(u["kept"]), "num"), _td("正常推进", _e(u["on_course"]), "num"),
                          _td("滞后/逾期", _e(u["behind"]), "num"), _td("未兑现", _e(u["missed"]), "num"),
                          _td("尚未评定", _e(u["not_rated"]), "num"),
                          _td("正常率", "—" if u["score"] is None else f"{u['score'] * 100:.0f}%", "num"))) + "</tr>"
        for u in units
    ]  # fmt: skip
    out.append(f'<table class="cards"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return "\n".join(out)


def _glossary_body(glossary: list[dict]) -> str:
    out = ["<h1>名词解释</h1>"]
    for g in glossary:
        out.append(f"<h2 id=\"t{_e(g['number'])}\">{_e(g['number'])}. {_e(g['term'])}</h2>"
                   f"<p>{_e(g['explanation_zh'])}</p><p class=\"muted\">正文位置：{_e(g['body_locator'])}"
                   f"{('，原文' + _e(g['page'])) if g.get('page') else ''}</p>")  # fmt: skip
    return "\n".join(out)


SEARCH_SCRIPT = """
(function () {
  var data = JSON.parse(document.getElementById('texts').textContent);
  var box = document.getElementById('q'), out = document.getElementById('hits');
  var KIND = {target: '指标', milestone: '承诺事项', note: '进展记录', figure: '数据', result: '2021年成绩', term: '名词解释'};
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]; }); }
  function show() {
    var q = box.value.trim(); out.innerHTML = '';
    if (!q) return;
    var n = 0, html = [];
    for (var i = 0; i < data.length && n < 200; i++) {
      var r = data[i], at = r[3].indexOf(q);
      if (at < 0) continue;
      n++;
      var from = Math.max(0, at - 24), to = Math.min(r[3].length, at + q.length + 24);
      var snip = (from > 0 ? '…' : '') + esc(r[3].slice(from, at)) + '<mark>' + esc(q) + '</mark>' +
                 esc(r[3].slice(at + q.length, to)) + (to < r[3].length ? '…' : '');
      var link = r[5] ? '<a href="' + r[5] + '">' + esc(r[2]) + '</a>' : esc(r[2]);
      html.push('<li><b>' + KIND[r[0]] + '</b> ' + link + (r[6] ? ' <span class="muted">' + esc(r[6]) + '</span>' : '') +
                '<br>' + snip + '<br><span class="muted">' + esc(r[4]) + '</span></li>');
    }
    out.innerHTML = n ? html.join('') : '<li class="muted">没有找到。</li>';
  }
  box.addEventListener('input', show);
  var m = /[?&]q=([^&]*)/.exec(location.search);
  if (m) { box.value = decodeURIComponent(m[1].replace(/\\+/g, ' ')); }
  show();
})();
"""


def _search_body(rows: list[dict]) -> str:
    data = []
    for r in rows:
        if r["kind"] == "figure" and r["field"] == "source":
            continue  # every figure's source is on its target's page; the search lists what was written
        href = page_name(r["kind"], r["key"]) if r["kind"] in ("target", "milestone") else ""
        if r["kind"] == "note":
            href = page_name("milestone", r["key"])
        elif r["kind"] == "figure":
            href = page_name("target", r["key"])
        elif r["kind"] == "term":
            href = f"glossary.html#t{r['key']}"
        name = r["name_zh"] or r["key"]
        data.append([r["kind"], r["key"], name, r["text"], r["locator"], href, r.get("as_of") or ""])
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        "<h1>搜索</h1><p class=\"muted\">在指标、承诺事项、进展记录、数据备注、2021年成绩和名词解释中查找（一个字起即可）。</p>"
        "<input type=\"search\" id=\"q\" placeholder=\"如：土谷塘、棚户区、双碳\" autofocus>"
        "<ol id=\"hits\"></ol>"
        f"<script type=\"application/json\" id=\"texts\">{text}</script>"
        f"<script>{SEARCH_SCRIPT}</script>"
    )
