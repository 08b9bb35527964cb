"""Renderers for single items and grids: ``targets show``, ``lights``, ``config show``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from hnreport import words
from hnreport.text import one_line
from hnreport.render.common import name_of, packed, published, short_time, with_unit
from hnreport.render.formats import write_csv
from hnreport.render.formats import write_json
from hnreport.render.formats import markdown_table
from hnreport.render.targets import cells, target_text
from hnreport.domain.values import format_number
from hnreport.outfile import write_exact

if TYPE_CHECKING:
    from rich.console import Console

    from hnreport.domain.model import Observation, Target
    from hnreport.domain.names import Alias
    from hnreport.domain.progress import Assessment, LightRule, Rules, TargetRules
    from hnreport.domain.series import SeriesPoint


def target_details(
    target: Target,
    a: Assessment,
    history: list[Observation],
    rules: TargetRules,
    terms: list[tuple],
    lang: str,
    console: Console,
    series: list[SeriesPoint] = (),  # type: ignore[assignment]
    *,
    lead: str | None = None,
    support: tuple[str, ...] = (),
    aliases: list[Alias] = (),  # type: ignore[assignment]
) -> None:
    from rich.table import Table
    from rich.text import Text

    zh = lang != "en"
    c = cells(a, lang)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")

    def row(label_zh: str, label_en: str, value: Any) -> None:
        grid.add_row(label_zh if zh else label_en, one_line(value) if isinstance(value, str) else value)

    row("代码", "key", target.key)
    row("名称", "name", f"{target.name_zh} / {target.name_en}" if lang == "en" else target.name_zh)
    row("目标", "target", target_text(target, lang) + (f"  {words.pick(words.WORDS['no_unit'], lang)}" if target.unit_missing else ""))
    row("类型", "kind", f"{words.pick(words.KIND[target.kind], lang)} ({target.kind}), "
        f"{words.pick(words.FREQUENCY[target.frequency], lang)}")  # fmt: skip
    row("牵头单位", "lead unit", lead or words.pick(words.UNASSIGNED, lang))
    row("配合单位", "supporting", "、".join(support) if support else "—")
    if target.baseline:
        b = target.baseline
        row("2021年基数", "2021 baseline", f"{with_unit(b.value, b.unit, None, lang)}  ({b.name_zh}; {b.locator})")
    else:
        row("2021年基数", "2021 baseline", "—")
    row("原文", "wording", f"“{target.phrase}”" + (f"  ({target.strength})" if target.strength else ""))
    row("位置", "locator", target.locator)
    added = words.pick(words.WORDS["alias_added"], lang)
    row("统计表名称", "names in tables", "、".join(a.name + (added if a.added else "") for a in aliases) or "—")
    if target.note:
        row("说明", "note", target.note)
    for number, term, _page, expl_zh, expl_en, _loc, _note in terms:
        grid.add_row(one_line(f"[{number}] {term}"), one_line(expl_en if lang == "en" else expl_zh))
    row("截至", "as of", a.as_of.isoformat())
    row("状态", "status", Text(c["status"], style=words.status_style(a.status)))
    if a.observation:
        row("最新值", "latest", f"{c['latest']} ({c['as_of']})")
        row("序时应达", "expected", c["expected"])
        row("差距", "gap", c["gap"])
        if a.completion_rate is not None:
            row("完成率/序时进度", "done/schedule", c["completion"])
        if a.projected is not None:
            row("预计全年", "projected", c["projected"])
    row("亮灯规则", "light rule", target_rule_text(rules, target.kind, lang))
    console.print(grid)
    console.print()
    if not history:
        console.print("尚无记录" if zh else "nothing recorded yet")
        return
    if any(p.value is not None for p in series):
        from hnreport.render.chart import year_chart

        for line in year_chart(list(series), target.unit, target.paced, lang):
            console.print(one_line(line), overflow="ignore", crop=False, soft_wrap=True)
        console.print()
    expected = {p.day: p.expected for p in series if p.value is not None}
    table = Table(title="记录" if zh else "observations", title_justify="left")
    for col in ("id", "as_of", "value", "expected", "vintage", "state", "note", "source", "recorded_at"):
        table.add_column(words.pick(words.COLUMNS[col], lang), overflow="fold", justify="right" if col in ("value", "expected") else "left",
                         # figures and dates never break, nor (Chinese) the two-character words
                         no_wrap=col in ("id", "as_of", "value", "expected") or (zh and col in ("vintage", "state")))
    for o in history:
        due = with_unit(round(expected[o.as_of], 2), target.unit, None, lang) if o.state == "current" and o.as_of in expected else ""
        state = words.pick(words.STATE[o.state], lang) + (f" · {words.flag_word(o.flag, lang)}" if o.flag else "")
        table.add_row(*map(one_line, (str(o.id), o.as_of.isoformat(), with_unit(o.value, target.unit, o.decimals, lang), due,
                      words.pick(words.VINTAGE[o.vintage], lang), state,
                      o.note or "", o.source or "", short_time(o.recorded_at))))  # fmt: skip
    if target.revisions:
        console.print()
        for r in target.revisions:
            console.print(one_line(f"{'目标调整' if zh else 'target revised'}: {format_number(r.value)}{target.unit or ''} "
                                   f"{'自' if zh else 'from'} {r.effective.isoformat()} — {r.reason}"))  # fmt: skip
    console.print(table)


MONTH_ZH = "{}月"


def lights(
    months: list[date], grid: dict[date, list[Assessment]], fmt: str, lang: str, console: Console,
    *, targets: list[Target], values: bool = False,
) -> None:
    """The grid of lights; a month missing from ``grid`` (it has not ended by today) is empty:
    ``null`` in JSON, blank in tables — never a verdict. ``values``: the figures instead."""
    if not months:
        return
    if values:
        lights_values(months, grid, fmt, lang, console, targets=targets)
        return
    keys = targets
    statuses: dict[date, dict[str, str | None]] = {
        m: {a.target.key: a.status for a in grid[m]} if m in grid else {} for m in months
    }
    for m in months:
        for t in keys:
            statuses[m].setdefault(t.key, None)
    if fmt == "json":
        write_json(
            console.file,
            {
                "months": [m.isoformat() for m in months],
                "targets": [
                    {"key": t.key, "name_zh": t.name_zh, "name_en": t.name_en, "section": t.section,
                     "lights": {m.isoformat(): statuses[m][t.key] for m in months}}
                    for t in keys
                ],  # fmt: skip
            }
        )
        return
    if fmt == "csv":
        write_csv(console.file, [{"key": t.key, **{m.isoformat(): statuses[m][t.key] for m in months}} for t in keys])
        return
    if len({x.year for x in months}) > 1:
        heads = [m.strftime("%Y-%m") for m in months]
    elif console.width < 100 and fmt == "table":  # twelve months must fit 80 columns
        heads = [str(m.month) for m in months]
    else:
        heads = [f"{m.month}月" if lang != "en" else m.strftime("%b") for m in months]
    if fmt == "document":
        from hnreport.render.listing import Cell, tone_of

        doc = console.document
        doc.title = words.pick(("亮灯情况", "Lights"), lang)
        doc.table([words.pick(words.COLUMNS["name"], lang)] + heads,
                  [[name_of(t, lang)] + [Cell(_mark(s), tone=tone_of(words.status_style(s))) if (s := statuses[m][t.key]) else ""
                                         for m in months] for t in keys], name=doc.title)  # fmt: skip
        doc.paragraph("  ".join(words.status_word(s, lang) for s in words.STATUS))
        return
    if fmt == "markdown":
        write_exact(console.file, 
            markdown_table(
                [words.pick(words.COLUMNS["name"], lang)] + heads,
                [[name_of(t, lang)] + [_mark(statuses[m][t.key]) for m in months] for t in keys],
            )
        )
        return
    from rich.table import Table
    from rich.text import Text

    table = Table()
    table.add_column(words.pick(words.COLUMNS["name"], lang), overflow="ellipsis", no_wrap=True,
                     max_width=14 if console.width < 100 else None)  # fmt: skip
    for h in heads:
        table.add_column(h, justify="center", no_wrap=True)
    for t in keys:
        row: list[Any] = [one_line(name_of(t, lang))]
        for m in months:
            s = statuses[m][t.key]
            row.append(Text(_mark(s), style=words.status_style(s) if s else ""))
        table.add_row(*row)
    console.print(table)
    for line in packed([words.status_word(s, lang) for s in words.STATUS], console.width):
        console.print(line, no_wrap=True, overflow="ignore", crop=False)


def _mark(status: str | None) -> str:
    return words.STATUS[status][0] if status else ""


def lights_values(
    months: list[date], grid: dict[date, list[Assessment]], fmt: str, lang: str, console: Console,
    *, targets: list[Target],
) -> None:
    """``lights --values``: in each month's cell the figure for the period ending that month, with
    its unit (· where the month has no figure of its own) — the year's figures side by side."""
    figures: dict[str, dict[date, Observation | None]] = {t.key: {m: None for m in months} for t in targets}
    for m in months:
        for a in grid.get(m, []):  # a month not ended by today has no figures of its own
            o = a.observation
            figures[a.target.key][m] = o if o is not None and (o.as_of.year, o.as_of.month) == (m.year, m.month) else None
    if fmt == "json":
        write_json(console.file, {
            "months": [m.isoformat() for m in months],
            "targets": [{"key": t.key, "name_zh": t.name_zh, "name_en": t.name_en, "section": t.section, "unit": t.unit,
                         "values": {m.isoformat(): ({"value": o.value, "as_of": o.as_of.isoformat(), "decimals": o.decimals} if o else None)
                                    for m, o in figures[t.key].items()}}
                        for t in targets],
        })  # fmt: skip
        return
    if fmt == "csv":
        write_csv(console.file, [{"key": t.key, "unit": t.unit or "", **{m.isoformat(): (published(o.value, o.decimals) if o else None)
                                   for m, o in figures[t.key].items()}} for t in targets])  # fmt: skip
        return
    heads = [m.strftime("%Y-%m") if len({x.year for x in months}) > 1 else (f"{m.month}月" if lang != "en" else m.strftime("%b"))
             for m in months]  # fmt: skip
    rows = [[name_of(t, lang)] + [with_unit(o.value, t.unit, o.decimals, lang) if o else "·" for o in figures[t.key].values()] for t in targets]
    if fmt == "document":
        from hnreport.render.listing import number

        doc = console.document
        doc.title = words.pick(("逐月数值", "Figures by month"), lang)
        doc.table([words.pick(words.COLUMNS["name"], lang)] + heads,
                  [[name_of(t, lang)] + [number(o.value, with_unit(o.value, t.unit, o.decimals, lang), o.decimals, t.unit) if o else "·"
                                         for o in figures[t.key].values()] for t in targets], name=doc.title)  # fmt: skip
        return
    if fmt == "markdown":
        write_exact(console.file, markdown_table([words.pick(words.COLUMNS["name"], lang)] + heads, rows))
        return
    from rich.table import Table

    table = Table()
    table.add_column(words.pick(words.COLUMNS["name"], lang), overflow="ellipsis", no_wrap=True,
                     max_width=14 if console.width < 100 else None)  # fmt: skip
    for h in heads:
        table.add_column(h, justify="right", overflow="fold")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def target_rule_text(rules, kind: str, lang: str) -> str:
    """One target's light rule in the reader's language: 默认：比序时应达少≤10%为滞后；序时进度按月计 /
    default: relative ≤10% short; pace by months."""
    from hnreport.domain.rules import RULE_CLASS

    preset = words.pick(words.PRESET[rules.preset], lang) if rules.preset in words.PRESET else rules.preset
    rule = rules.rule
    basis = words.pick(words.BASIS.get(rules.basis, (rules.basis, rules.basis)), lang)
    if lang == "en":
        return (f"{preset}: {rule.measure} {rule.describe()}; pace by {basis}"
                + (" (seasonal profile)" if rules.profile else ""))  # fmt: skip
    if rule.measure == "relative":
        short = f"比序时应达少≤{rule.tolerance * 100:g}%"
    elif RULE_CLASS.get(kind) == "amount":
        short = f"完成率低于序时进度≤{rule.tolerance:g}个百分点"
    else:
        short = f"低于目标≤{rule.tolerance:g}个百分点"
    return f"{preset}：{short}为滞后，超出为严重滞后；序时进度按{basis}计" + ("（季节性进度曲线）" if rules.profile else "")


def label_list(table: dict, codes: list[str], lang: str) -> str:
    """Codes as typed, with their words in Chinese: red,overdue（红灯数、逾期数）."""
    typed = ",".join(codes)
    if lang == "en":
        return typed
    return f"{typed}（{'、'.join(table[c][0] if c in table else c for c in codes)}）"


def config(
    settings: dict, presets: dict[str, dict[str, LightRule]], rules: Rules, fmt: str, console: Console, *, due_day: int | None = None,
    lang: str = "zh",
    documents: dict | None = None,
) -> None:
    per_target = {f"{scope}:{key}": value for (scope, key), value in sorted(settings.items()) if scope}
    data = {
        "light.preset": rules.preset,
        "pace.basis": rules.basis,
        "report.due_day": due_day,
        **(documents or {}),  # office.name, order.reply_days, ranking.order: the bulletin and the orders
        "presets": {
            name: {cls: {"measure": r.measure, "tolerance": r.tolerance} for cls, r in classes.items()}
            for name, classes in presets.items()
        },
        "targets": per_target,
        "rule": rules.describe(),
    }
    if fmt == "json":
        write_json(console.file, data)
        return
    from rich.table import Table

    def label(table: dict, code: str) -> str:  # a code with its words: default（默认）
        return one_line(f"{code}（{table[code][0]}）" if lang != "en" and code in table else code)

    console.print(f"light.preset = {label(words.PRESET, rules.preset)}")
    console.print(f"pace.basis = {label(words.BASIS, rules.basis)}")
    if due_day is not None:
        console.print(f"report.due_day = {due_day}")
    for k, v in (documents or {}).items():  # the bulletin's and the orders' settings
        if v is None:
            v = words.pick(("（未设置）", "(not set)"), lang)
        elif k == "ranking.order":
            v = label_list(words.RANK_ORDER, str(v).split(","), lang)
        console.print(one_line(f"{k} = {v}"))
    table = Table(title=words.pick(words.CONFIG["title"], lang), title_justify="left")
    for col in ("preset", "class", "measure", "tolerance", "in_use"):
        table.add_column(words.pick(words.CONFIG[col], lang))
    for name, classes in presets.items():
        for cls, r in classes.items():
            table.add_row(label(words.PRESET, name), label(words.RULE_CLASS, cls), label(words.MEASURE, r.measure),
                          format_number(r.tolerance), "✓" if name == rules.preset else "")  # fmt: skip
    console.print(table)
    if per_target:
        plan_title = getattr(console.file, "plan_title", None)
        if plan_title:  # the settings above are the database's; a target's own are its plan's
            console.print(one_line(plan_title))
        for k, v in per_target.items():
            console.print(one_line(f"{k} = {v}"))
