"""Turning computed progress into tables, JSON, CSV and Markdown. No queries, no status rules."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from hnreport import labels
from hnreport.errors import one_line
from hnreport.model import STATUSES, Observation, Plan, Result, Section, Target
from hnreport.progress import Assessment
from hnreport.values import format_number

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("table", "json", "csv", "markdown")


# ── plain values ─────────────────────────────────────────────────────────────────────────
def _num(value: float | None, digits: int = 4) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def short_time(iso: str) -> str:
    """A recorded moment as tables show it: minutes, UTC (JSON keeps the full timestamp)."""
    return iso[:16].replace("T", " ") + ("Z" if len(iso) > 16 else "")


def with_unit(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    return f"{format_number(value)}{unit or ''}"


def target_text(t: Target, lang: str) -> str:
    text = f"{labels.pick(labels.COMPARATOR[t.comparator], lang)}{with_unit(t.value, t.unit)}"
    if t.revised:
        text += f" ({labels.pick(labels.WORDS['revised_from'], lang)}{format_number(t.original_value)})"
    return text


def name_of(item: Target | Result | Section, lang: str) -> str:
    return item.name_en if lang == "en" else item.name_zh


TARGET_FIELDS = (
    "key", "name_zh", "name_en", "section", "kind", "comparator", "target", "unit", "frequency", "baseline",
    "baseline_unit", "latest", "latest_as_of", "progress", "status", "expected", "gap", "completion_rate",
    "schedule_share", "gap_points", "projected", "shortfall", "part_year", "latest_vintage", "revised",
    "original_target", "locator",
)  # fmt: skip


def assessment_dict(a: Assessment) -> dict[str, Any]:
    t = a.target
    obs = a.observation
    return {
        "key": t.key,
        "name_zh": t.name_zh,
        "name_en": t.name_en,
        "section": t.section,
        "kind": t.kind,
        "comparator": t.comparator,
        "target": t.value,
        "unit": t.unit,
        "frequency": t.frequency,
        "baseline": t.baseline.value if t.baseline else None,
        "baseline_unit": t.baseline.unit if t.baseline else None,
        "latest": obs.value if obs else None,
        "latest_as_of": obs.as_of.isoformat() if obs else None,
        "progress": _num(a.progress),
        "status": a.status,
        "expected": _num(a.expected),
        "gap": _num(a.gap),
        "completion_rate": _num(a.completion_rate),
        "schedule_share": _num(a.schedule_share),
        "gap_points": _num(a.gap_points, 2),
        "projected": _num(a.projected),
        "shortfall": _num(a.shortfall),
        "part_year": a.part_year,
        "latest_vintage": obs.vintage if obs else None,
        "revised": t.revised,
        "original_target": t.original_value,
        "locator": t.locator,
    }


def result_dict(r: Result) -> dict[str, Any]:
    return {
        "key": r.key, "name_zh": r.name_zh, "name_en": r.name_en, "section": r.section,
        "kind": r.kind, "value": r.value, "unit": r.unit, "scope": r.scope, "locator": r.locator,
    }  # fmt: skip


def observation_dict(o: Observation) -> dict[str, Any]:
    return {
        "id": o.id, "value": o.value, "as_of": o.as_of.isoformat(), "recorded_at": o.recorded_at,
        "note": o.note, "source": o.source, "vintage": o.vintage, "state": o.state,
        "supersedes": o.supersedes,
    }  # fmt: skip


def write_json(data: Any, out=None) -> None:
    out = out or sys.stdout
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


FORMULA_START = ("=", "+", "-", "@")


def excel_safe(value: Any) -> Any:
    """Neutralise a text cell Excel/WPS would run as a formula (a leading apostrophe, which
    ``import`` removes again); numbers stay numbers."""
    if isinstance(value, str) and (value[:1] in FORMULA_START or (value[:1] == "'" and value[1:2] in FORMULA_START)):
        return "'" + value  # an apostrophe already there is kept by doubling it
    return value


def excel_safe_csv(text: str) -> str:
    """Re-write CSV text with formula-like text cells neutralised (numbers, even negative, stay)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow([cell if _is_number(cell) else excel_safe(cell) for cell in row])
    return out.getvalue()


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def write_csv(rows: list[dict[str, Any]], out=None, *, safe: bool = False, fieldnames: Sequence[str] = ()) -> None:
    """CSV with a header row — also when there are no rows, if the caller knows the fields."""
    out = out or sys.stdout
    names = list(rows[0]) if rows else list(fieldnames)
    if not names:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: excel_safe(v) for k, v in row.items()} if safe else row)
    out.write(buffer.getvalue())


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    def cell(text: str) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def emit(
    fmt: str,
    console: Console,
    rows: list[dict[str, Any]],
    headers: Sequence[str],
    body: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    right: Sequence[int] = (),
    empty: str | None = None,
    fieldnames: Sequence[str] = (),
    show_lines: bool = False,
    nowrap: Sequence[int] = (0,),
) -> None:
    """One listing in the format asked for: ``rows`` for JSON/CSV, ``headers``/``body`` for
    Markdown and the rich table (cells may be rich Text); ``right`` are right-aligned columns,
    ``nowrap`` columns (keys, dates, ids: things users copy) are never split."""
    if fmt == "json":
        write_json(rows)
        return
    if fmt == "csv":
        write_csv(rows, fieldnames=fieldnames)
        return
    if fmt == "markdown":
        sys.stdout.write(markdown_table(headers, [[str(c) for c in row] for row in body]))
        return
    if not body and empty is not None:
        console.print(empty)
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left", pad_edge=False, show_lines=show_lines)
    for i, h in enumerate(headers):
        table.add_column(h, justify="right" if i in right else "left", overflow="fold", no_wrap=i in nowrap)
    for row in body:
        table.add_row(*(one_line(c) if isinstance(c, str) else c for c in row))
    console.print(table)


def rule_text(rules, lang: str) -> str:
    """The light rule in force, in the reader's language (JSON keeps ``Rules.describe()``)."""
    if lang == "en":
        return rules.describe()

    def short(rule, cls: str) -> str:
        if rule.measure == "relative":
            return f"比序时应达少≤{rule.tolerance * 100:g}%"
        if cls == "amount":
            return f"完成率低于序时进度≤{rule.tolerance:g}个百分点"
        return f"低于目标≤{rule.tolerance:g}个百分点"

    basis = "按月" if rules.basis == "months" else "按日"
    return (f"{rules.preset}:总量类{short(rules.amount, 'amount')}、增速/占比类{short(rules.rate, 'rate')}为滞后,"
            f"超出为严重滞后;序时进度{basis}计")  # fmt: skip


# ── cells shared by tables and Markdown ──────────────────────────────────────────────────
def progress_bar(fraction: float | None, width: int = 10) -> str:
    if fraction is None:
        return "—"
    filled = max(0, min(width, round(fraction * width)))
    return "█" * filled + "░" * (width - filled) + f" {fraction * 100:.0f}%"


def completion_text(a: Assessment) -> str:
    if a.completion_rate is None:
        return "—"
    done = f"{a.completion_rate * 100:.1f}%"
    if a.schedule_share is None:
        return done
    return f"{done}/{a.schedule_share * 100:.1f}%"


def gap_text(a: Assessment, lang: str) -> str:
    if a.gap is None:
        return "—"
    if a.gap_points is not None:
        return f"{a.gap_points:+.2f}{'pts' if lang == 'en' else '个百分点'}"
    unit = a.target.unit or ""
    if unit == "%":
        return f"{a.gap:+.2f}{'pts' if lang == 'en' else '个百分点'}"
    return f"{a.gap:+,.2f}".rstrip("0").rstrip(".") + unit


def cells(a: Assessment, lang: str) -> dict[str, str]:
    t = a.target
    obs = a.observation
    return {
        "key": t.key,
        "name": name_of(t, lang),
        "baseline": with_unit(t.baseline.value, t.baseline.unit) if t.baseline else "—",
        "target": target_text(t, lang),
        "latest": with_unit(obs.value, t.unit) if obs else "—",
        "as_of": obs.as_of.isoformat() if obs else "—",
        "expected": with_unit(_num(a.expected, 2), t.unit) if a.expected is not None and obs else "—",
        "gap": gap_text(a, lang),
        "completion": completion_text(a),
        "projected": with_unit(_num(a.projected, 2), t.unit) if a.projected is not None else "—",
        "progress": progress_bar(a.progress),
        "status": labels.status_word(a.status, lang)
        + (" *" if a.part_year else "")
        + (f" ({labels.pick(labels.WORDS['preliminary'], lang)})" if a.final and obs and obs.vintage == "preliminary" else ""),
        "kind": labels.pick(labels.KIND[t.kind], lang),
        "frequency": labels.pick(labels.FREQUENCY[t.frequency], lang),
    }


WIDE = ("name", "baseline", "target", "latest", "as_of", "expected", "gap", "completion", "projected", "progress", "status")
MEDIUM = ("name", "baseline", "target", "latest", "as_of", "progress", "status")
NARROW = ("name", "latest", "target", "status")


def columns_for(width: int) -> tuple[str, ...]:
    """Which columns fit: at 80 columns name, latest, target and status; wider shows more."""
    if width >= 170:
        return WIDE
    if width >= 110:
        return MEDIUM
    return NARROW


# ── rich tables ──────────────────────────────────────────────────────────────────────────
def column_widths(assessments: list[Assessment], lang: str, columns: Sequence[str]) -> dict[str, int]:
    """The width each column needs across all rows, so every section's table lines up."""
    from rich.cells import cell_len

    widths = {col: cell_len(labels.pick(labels.COLUMNS[col], lang)) for col in columns}
    for a in assessments:
        c = cells(a, lang)
        for col in columns:
            widths[col] = max(widths[col], cell_len(c[col]))
    return widths


def assessment_table(
    title: str | None,
    assessments: list[Assessment],
    lang: str,
    columns: Sequence[str],
    widths: dict[str, int] | None = None,
):
    rows = []
    for a in assessments:
        c = cells(a, lang)
        style = labels.status_style(a.status)
        rows.append([(c[col], style if col == "status" or (col == "progress" and a.progress is not None) else None)
                     for col in columns])  # fmt: skip
    return Grid(
        [labels.pick(labels.COLUMNS[col], lang) for col in columns],
        rows,
        ["left" if col in ("name", "status", "key", "progress", "as_of") else "right" for col in columns],
        [(widths or {}).get(col, 0) for col in columns],
        wrap=columns.index("name") if "name" in columns else None,
    )


class Grid:
    """A table drawn straight to segments, in rich's heavy-head box, on known column widths.

    The progress report is printed dozens of times a day; rich's Table measures and wraps every
    cell, which costs more than the rest of the command together. Here each cell is padded once;
    only the ``wrap`` column (the name) wraps when the terminal is too narrow.
    """

    def __init__(self, headers, rows, justify, widths, wrap: int | None = None) -> None:
        from rich.cells import cell_len

        self.headers = headers
        self.rows = rows  # each row: [(text, style or None), …]
        self.justify = justify
        self.widths = [
            max([w, cell_len(h)] + [cell_len(r[i][0]) for r in rows]) for i, (w, h) in enumerate(zip(widths, headers))
        ]
        self.wrap = wrap

    def __rich_console__(self, console, options):
        from rich.segment import Segment
        from rich.style import Style

        widths = list(self.widths)
        overflow = sum(widths) + 3 * len(widths) + 1 - options.max_width
        if overflow > 0 and self.wrap is not None:
            widths[self.wrap] = max(4, widths[self.wrap] - overflow)
        bold = Style(bold=True)
        styles: dict[str, Style] = {}

        def rule(left: str, fill: str, mid: str, right: str) -> list[Segment]:
            return [Segment(left + mid.join(fill * (w + 2) for w in widths) + right), Segment.line()]

        def line(cells: list[tuple[str, Style | None]], bar: str) -> list[Segment]:
            out = [Segment(bar)]
            for i, (text, style) in enumerate(cells):
                pad = widths[i] - _cell_len(text)
                padded = text + " " * pad if self.justify[i] == "left" else " " * pad + text
                out += [Segment(" "), Segment(padded, style), Segment(" " + bar)]
            return out + [Segment.line()]

        yield from rule("┏", "━", "┳", "┓")
        yield from line([(h, bold) for h in self.headers], "┃")
        yield from rule("┡", "━", "╇", "┩")
        for row in self.rows:
            parts = []
            for i, (text, style_name) in enumerate(row):
                style = None
                if style_name:
                    style = styles.get(style_name) or styles.setdefault(style_name, Style.parse(style_name))
                parts.append((_split_cells(text, widths[i]), style))
            height = max(len(p[0]) for p in parts)
            for k in range(height):
                yield from line([(p[0][k] if k < len(p[0]) else "", p[1]) for p in parts], "│")
        yield from rule("└", "─", "┴", "┘")


def _cell_len(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _split_cells(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` terminal cells (CJK characters count two)."""
    from rich.cells import get_character_cell_size

    if _cell_len(text) <= width:
        return [text]
    pieces, current, used = [], "", 0
    for ch in text:
        size = get_character_cell_size(ch)
        if used + size > width and current:
            pieces.append(current)
            current, used = "", 0
        current += ch
        used += size
    return pieces + [current]


def summary_text(counts: dict[str, int], lang: str):
    from rich.text import Text

    text = Text()
    for status in STATUSES:
        if counts.get(status):
            if text:
                text.append("  ")
            text.append(f"{labels.status_word(status, lang)} {counts[status]}", style=labels.status_style(status))
    return text if text else Text("—")


def render_targets(assessments: list[Assessment], fmt: str, lang: str, console: Console) -> None:
    if fmt == "json":
        write_json([assessment_dict(a) for a in assessments])
    elif fmt == "csv":
        write_csv([assessment_dict(a) for a in assessments], fieldnames=TARGET_FIELDS)
    elif fmt == "markdown":
        cols = WIDE
        sys.stdout.write(
            markdown_table(
                [labels.pick(labels.COLUMNS["key"], lang)] + [labels.pick(labels.COLUMNS[c], lang) for c in cols],
                [[a.target.key] + [cells(a, lang)[c] for c in cols] for a in assessments],
            )
        )
    else:
        columns = ("key",) + columns_for(console.width)
        console.print(assessment_table(None, assessments, lang, columns))


def render_report(
    plan: Plan,
    as_of: date,
    rule_text: str,
    sections: list[Section],
    assessments: list[Assessment],
    counts: dict[str, int],
    fmt: str,
    lang: str,
    console: Console,
    *,
    grouped: bool = True,
    milestones: list | None = None,
) -> None:
    from hnreport import render_tracking

    milestones = milestones or []
    by_section: dict[str, list[Assessment]] = {}
    for a in assessments:
        by_section.setdefault(a.target.section, []).append(a)
    shown = [s for s in sections if s.code in by_section]
    if fmt == "json":
        write_json(
            {
                "plan": {"key": plan.key, "name_zh": plan.name_zh, "name_en": plan.name_en, "year": plan.year},
                "as_of": as_of.isoformat(),
                "rule": rule_text,
                "summary": counts,
                "sections": [
                    {"code": s.code, "name_zh": s.name_zh, "name_en": s.name_en,
                     "summary": _count(by_section[s.code])}
                    for s in shown
                ],  # fmt: skip
                "targets": [assessment_dict(a) for a in assessments],
                "milestones": render_tracking.milestones_summary(milestones, [s.code for s in sections]),
            }
        )
        return
    if fmt == "markdown":
        sys.stdout.write(report_markdown(plan, as_of, rule_text, shown, by_section, counts, lang))
        if milestones:
            sys.stdout.write("\n" + render_tracking.milestones_markdown(milestones, sections, lang))
        return
    if fmt == "csv":
        write_csv([assessment_dict(a) for a in assessments], fieldnames=TARGET_FIELDS)
        return
    from rich.text import Text

    title = name_of(plan, lang) if hasattr(plan, "name_en") else plan.name_zh
    header = Text(f"{title} — {labels.pick(labels.WORDS['as_of'], lang)} {as_of.isoformat()}", style="bold")
    console.print(header)
    console.print(summary_text(counts, lang))
    console.print(Text(f"{labels.pick(labels.WORDS['rule'], lang)}: {rule_text}", style="dim"))
    columns = columns_for(console.width)
    widths = column_widths(assessments, lang, columns)
    if not grouped:
        console.print(assessment_table(None, assessments, lang, columns, widths))
    else:
        for s in shown:
            console.print()
            title_text = Text(name_of(s, lang), style="bold")
            title_text.append("  ")
            title_text.append_text(summary_text(_count(by_section[s.code]), lang))
            console.print(title_text)
            console.print(assessment_table(None, by_section[s.code], lang, columns, widths))
    if any(a.part_year for a in assessments):
        console.print(Text(labels.pick(labels.WORDS["part_year"], lang), style="dim"))
    if milestones:
        render_tracking.render_milestones_part(milestones, sections, lang, console)


def _count(assessments: list[Assessment]) -> dict[str, int]:
    counts = {s: 0 for s in STATUSES}
    for a in assessments:
        counts[a.status] += 1
    return counts


def _counts_line(counts: dict[str, int], lang: str) -> str:
    return " · ".join(f"{labels.status_word(s, lang)} {n}" for s, n in counts.items() if n) or "—"


def report_markdown(plan, as_of, rule_text, sections, by_section, counts, lang) -> str:
    done_word = "Progress" if lang == "en" else "完成情况"
    lines = [f"# {name_of(plan, lang)} — {done_word}", ""]
    lines.append(f"{labels.pick(labels.WORDS['as_of'], lang)} {as_of.isoformat()}  ")
    lines.append(f"{labels.pick(labels.WORDS['rule'], lang)}: {rule_text}")
    lines += ["", _counts_line(counts, lang), ""]
    for s in sections:
        lines.append(f"## {name_of(s, lang)}")
        lines += ["", _counts_line(_count(by_section[s.code]), lang), ""]
        cols = WIDE
        lines.append(
            markdown_table(
                [labels.pick(labels.COLUMNS[c], lang) for c in cols],
                [[cells(a, lang)[c] for c in cols] for a in by_section[s.code]],
            )
        )
    if any(a.part_year for rows in by_section.values() for a in rows):
        lines.append(labels.pick(labels.WORDS["part_year"], lang) + "\n")
    return "\n".join(lines)


def render_results(results: list[Result], sections: dict[str, Section], fmt: str, lang: str, console: Console) -> None:
    def value_cell(r: Result) -> str:
        if r.kind == "rank":
            return f"{r.scope or ''}第{format_number(r.value)}" if lang != "en" else f"#{format_number(r.value)} ({r.scope or ''})"
        return with_unit(r.value, r.unit)

    headers = [labels.pick(labels.COLUMNS[c], lang) for c in ("key", "name", "value", "kind", "section")]
    body = [
        [r.key, name_of(r, lang), value_cell(r), labels.pick(labels.KIND[r.kind], lang),
         name_of(sections[r.section], lang) if r.section in sections else r.section]
        for r in results
    ]  # fmt: skip
    emit(fmt, console, [result_dict(r) for r in results], headers, body, right=(2,))


def render_history(target: Target, observations: list[Observation], fmt: str, lang: str, console: Console) -> None:
    cols = ("id", "as_of", "value", "vintage", "state", "note", "source", "recorded_at")
    headers = [labels.pick(labels.COLUMNS[c], lang) for c in cols]
    body = [
        [str(o.id), o.as_of.isoformat(), with_unit(o.value, target.unit), labels.pick(labels.VINTAGE[o.vintage], lang),
         labels.pick(labels.STATE[o.state], lang) + (f" ← {o.supersedes}" if o.supersedes else ""),
         o.note or "", o.source or "", short_time(o.recorded_at)]
        for o in observations
    ]  # fmt: skip
    nothing = f"{name_of(target, lang)} ({target.key}): " + ("nothing recorded yet" if lang == "en" else "尚无记录")
    emit(fmt, console, [observation_dict(o) for o in observations], headers, body,
         title=f"{name_of(target, lang)} ({target.key})", right=(2,), empty=nothing, nowrap=(0, 1, 2, 7),
         fieldnames=("id", "value", "as_of", "recorded_at", "note", "source", "vintage", "state", "supersedes"))  # fmt: skip
