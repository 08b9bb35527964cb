"""Targets as rows: the cells, JSON fields and tables of ``targets list``, ``results list``
and ``history``, shared by the report and the by-unit view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from hnreport import words
from hnreport.domain.model import STATUSES, Observation, Result, Section, Target
from hnreport.domain.progress import Assessment
from hnreport.domain.values import format_number
from hnreport.render.common import emit, local_moment, name_of, num, published, short_time, with_unit
from hnreport.render.formats import write_csv, write_csv_rows
from hnreport.render.formats import write_json, write_json_rows
from hnreport.render.grid import Grid, cell_len
from hnreport.outfile import write_exact
from hnreport.text import one_line

if TYPE_CHECKING:
    from rich.console import Console


def target_text(t: Target, lang: str) -> str:
    text = f"{words.comparator_mark(t.comparator, lang)}{with_unit(t.value, t.unit, None, lang)}"
    if t.revised:
        text += f" ({words.pick(words.WORDS['revised_from'], lang)}{format_number(t.original_value)})"
    return text


TARGET_FIELDS = (
    "key", "name_zh", "name_en", "section", "kind", "comparator", "target", "unit", "frequency", "baseline",
    "baseline_unit", "latest", "latest_as_of", "progress", "status", "expected", "gap", "completion_rate",
    "schedule_share", "gap_points", "projected", "shortfall", "part_year", "pace", "latest_vintage", "revised",
    "original_target", "locator", "latest_decimals", "phrase",
)  # fmt: skip


def assessment_dict(a: Assessment, leads: dict[str, str] | None = None) -> dict[str, Any]:
    """A target as it stands, for JSON and CSV; with ``leads`` (item → lead unit) its lead
    unit too (the report's; "" for none assigned)."""
    t = a.target
    obs = a.observation
    row = _assessment_fields(a, t, obs)
    if leads is not None:
        row["lead"] = leads.get(t.key) or ""
    return row


def _assessment_fields(a: Assessment, t: Target, obs: Observation | None) -> dict[str, Any]:
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
        "progress": num(a.progress),
        "status": a.status,
        "expected": num(a.expected),
        "gap": num(a.gap),
        "completion_rate": num(a.completion_rate),
        "schedule_share": num(a.schedule_share),
        "gap_points": num(a.gap_points, 2),
        "projected": num(a.projected),
        "shortfall": num(a.shortfall),
        "part_year": a.part_year,
        "pace": a.pace,
        "latest_vintage": obs.vintage if obs else None,
        "revised": t.revised,
        "original_target": t.original_value,
        "locator": t.locator,
        "latest_decimals": obs.decimals if obs else None,
        "phrase": t.phrase,  # the report's own words (原文), what a journalist quotes
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
        "supersedes": o.supersedes, "known_from": o.known_from, "decimals": o.decimals, "flag": o.flag,
    }  # fmt: skip


def observation_csv_row(o: Observation) -> dict[str, Any]:
    """``observation_dict`` for CSV: the value as published (5.0, not 5)."""
    row = observation_dict(o)
    row["value"] = published(o.value, o.decimals)
    return row


def assessment_csv_row(a: Assessment, leads: dict[str, str] | None = None) -> dict[str, Any]:
    """``assessment_dict`` for CSV: the latest figure as published."""
    row = assessment_dict(a, leads)
    if a.observation is not None:
        row["latest"] = published(a.observation.value, a.observation.decimals)
    return row


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
    """The gap to expected-to-date in the target's unit (−2亿元; points for rates), with a
    cumulative target's completion-rate gap in points beside it: the one definition of gap."""
    if a.gap is None:
        return "—"
    points = words.pick(words.WORDS["points"], lang)
    unit = a.target.unit or ""
    if unit == "%":
        return f"{a.gap:+.2f}{points}"
    text = f"{a.gap:+,.2f}".rstrip("0").rstrip(".")
    text = words.figure_text(text, unit, lang) if unit else text
    if a.gap_points is not None:
        text += f" ({a.gap_points:+.2f}{points})"
    return text


def status_text(a: Assessment, lang: str, compact: bool = False) -> str:
    """The status word with what qualifies it: 超序时, the period a pace status rests on once
    the year is over (截至1-9月 *; only the mark in a ``compact`` table, whose 截至 column says
    the period), 初步数 for a verdict on a preliminary figure."""
    from hnreport.domain.periods import span_label

    obs = a.observation
    text = words.status_word(a.status, lang)
    if a.pace == "ahead" and a.status == "on_pace":
        text += " · " + words.pick(words.PACE["ahead"], lang)
    if a.part_year and obs:
        text += " *" if compact else f" ({words.pick(words.WORDS['as_of'], lang)}{'' if lang != 'en' else ' '}{span_label(obs.as_of, lang)}) *"
    if a.final and obs and obs.vintage == "preliminary":
        text += f" ({words.pick(words.WORDS['preliminary'], lang)})"
    return text


def period_text(day, lang: str) -> str:
    """The period a figure is for, short: the year-to-date span of a month's end (1-6月 /
    Jan–Jun), else the day."""
    from hnreport.domain.periods import month_end, span_label

    return span_label(day, lang) if day == month_end(day.year, day.month) else day.isoformat()


def cells(a: Assessment, lang: str, compact: bool = False, leads: dict[str, str] | None = None) -> dict[str, str]:
    """Each column's text for ``a``; ``compact`` (a table short of room) gives the period as
    1-6月 and leaves it out of the status."""
    t = a.target
    obs = a.observation
    return {
        "lead": (leads or {}).get(t.key) or "—",
        "key": t.key,
        "name": name_of(t, lang),
        "baseline": with_unit(t.baseline.value, t.baseline.unit, None, lang) if t.baseline else "—",
        "target": target_text(t, lang),
        "latest": with_unit(obs.value, t.unit, obs.decimals, lang) if obs else "—",
        "as_of": (period_text(obs.as_of, lang) if compact else obs.as_of.isoformat()) if obs else "—",
        "expected": with_unit(num(a.expected, 2), t.unit, None, lang) if a.expected is not None and obs else "—",
        "gap": gap_text(a, lang),
        "completion": completion_text(a),
        "projected": with_unit(num(a.projected, 2), t.unit, None, lang) if a.projected is not None else "—",
        "progress": progress_bar(a.progress),
        "status": status_text(a, lang, compact),
        "kind": words.pick(words.KIND[t.kind], lang),
        "frequency": words.pick(words.FREQUENCY[t.frequency], lang),
    }


# The columns at each width, always in this one order; the figure's period (截至) at every width.
WIDE = ("name", "baseline", "target", "latest", "as_of", "expected", "gap", "completion", "projected", "progress", "status")
MEDIUM = ("name", "baseline", "target", "latest", "as_of", "progress", "status")
NARROW = ("name", "target", "latest", "as_of", "status")
STACKED_BELOW = 70  # narrower than this, one block per target instead of a table


def columns_for(width: int) -> tuple[str, ...]:
    """Which columns fit: from 70 columns name, target, latest, its period and status; wider
    shows more (below 70 the views stack each target as a block: ``stacked``)."""
    if width >= 170:
        return WIDE
    if width >= 110:
        return MEDIUM
    return NARROW


def compact(columns: Sequence[str]) -> bool:
    """Whether a table of ``columns`` is short of room (all but the widest): its 截至 column
    gives the period as 1-6月, and the status leaves it out."""
    return "expected" not in columns


# ── rich tables ──────────────────────────────────────────────────────────────────────────
def column_widths(assessments: list[Assessment], lang: str, columns: Sequence[str], leads: dict[str, str] | None = None) -> dict[str, int]:
    """The width each column needs across all rows, so every section's table lines up."""
    widths = {col: cell_len(words.pick(words.COLUMNS[col], lang)) for col in columns}
    for a in assessments:
        c = cells(a, lang, compact(columns), leads)
        for col in columns:
            widths[col] = max(widths[col], cell_len(one_line(c[col])))  # as the Grid shows it
    return widths


def assessment_table(
    title: str | None,
    assessments: list[Assessment],
    lang: str,
    columns: Sequence[str],
    widths: dict[str, int] | None = None,
    leads: dict[str, str] | None = None,
):
    rows = []
    for a in assessments:
        c = cells(a, lang, compact(columns), leads)
        style = words.status_style(a.status)
        rows.append([(c[col], style if col == "status" or (col == "progress" and a.progress is not None) else None)
                     for col in columns])  # fmt: skip
    return Grid(
        [words.pick(words.COLUMNS[col], lang) for col in columns],
        rows,
        ["left" if col in ("name", "lead", "status", "key", "progress", "as_of") else "right" for col in columns],
        [(widths or {}).get(col, 0) for col in columns],
        wrap=(columns.index("name") if "name" in columns else columns.index("key") if "key" in columns else None,
              *((columns.index("lead"),) if "lead" in columns else ())),
    )


def stacked(assessments: list[Assessment], lang: str, console: Console, *, key: bool = False) -> None:
    """Each target as a block, for terminals narrower than a table: its name (and key), then
    target, latest figure with its period, and status — wrapped by the terminal's width, nothing
    cut off."""
    from rich.text import Text

    label = {col: words.pick(words.COLUMNS[col], lang) for col in ("target", "latest", "as_of")}
    for a in assessments:
        c = cells(a, lang, compact=True)
        head = Text(one_line(c["name"]), style="bold")
        if key:
            head.append(f" ({one_line(a.target.key)})")
        console.print(head)
        line = Text(f"  {label['target']} {one_line(c['target'])} · {label['latest']} {one_line(c['latest'])}")
        if a.observation:
            line.append(f" ({label['as_of']} {one_line(c['as_of'])})")
        line.append(" · ")
        line.append(one_line(c["status"]), style=words.status_style(a.status))
        console.print(line)


def with_lead(columns: Sequence[str]) -> tuple[str, ...]:
    """``columns`` with the lead unit after the name where a table has room for it (the widest
    layout; narrower terminals keep the figures and the name whole, and ``report --by unit``
    groups by the unit)."""
    columns = tuple(columns)
    return columns[:1] + ("lead",) + columns[1:] if "expected" in columns else columns


# ── documents ────────────────────────────────────────────────────────────────────────────
DOCUMENT_COLUMNS = ("name", "lead", "baseline", "target", "latest", "as_of", "expected", "gap", "completion_rate",
                    "schedule_share", "projected", "progress", "status")  # fmt: skip
DOCUMENT_HEADERS = {"completion_rate": ("完成率", "done"), "schedule_share": ("序时进度", "schedule"),
                    "lead": ("牵头单位", "lead unit")}  # fmt: skip


def document_headers(columns: Sequence[str], lang: str) -> list[str]:
    return [words.pick(DOCUMENT_HEADERS.get(c) or words.COLUMNS[c], lang) for c in columns]


def document_cells(a: Assessment, lang: str, leads: dict[str, str] | None = None) -> dict[str, Any]:
    """Each document column of ``a`` as a typed cell: the text the terminal shows, the number
    (or date) behind it for a spreadsheet, the status's tone."""
    from hnreport.render import listing as d

    t = a.target
    obs = a.observation
    text = cells(a, lang, leads=leads)
    unit = t.unit or ""
    target = d.number(t.value, text["target"], None, unit)
    mark = words.comparator_mark(t.comparator, lang)
    if t.revised or target.value is None:
        target = d.Cell(text["target"])
    elif target.numfmt and mark and '"' not in mark:
        target.numfmt = f'"{mark}"{target.numfmt}'
    gap = d.Cell(text["gap"])
    if a.gap is not None:
        suffix = (words.pick(words.WORDS["points"], lang) if unit == "%" else unit).strip()
        body = "#,##0.00" if abs(a.gap) >= 10000 else "0.00"
        tail = f'"{suffix}"' if suffix and d._PLAIN_UNIT.match(suffix) else ""
        gap = d.Cell(text["gap"], round(a.gap, 4), f"+{body}{tail};-{body}{tail};{body}{tail}")
    return {
        "key": t.key,
        "name": text["name"],
        "lead": (leads or {}).get(t.key) or "—",
        "baseline": d.number(t.baseline.value, text["baseline"], None, t.baseline.unit) if t.baseline else "—",
        "target": target,
        "latest": d.number(obs.value, text["latest"], obs.decimals, unit) if obs else "—",
        "as_of": d.day(obs.as_of) if obs else "—",
        "expected": d.number(num(a.expected, 2), text["expected"], 2, unit) if a.expected is not None and obs else "—",
        "gap": gap,
        "completion_rate": d.percent(a.completion_rate, f"{a.completion_rate * 100:.1f}%" if a.completion_rate is not None else "—"),
        "schedule_share": d.percent(a.schedule_share, f"{a.schedule_share * 100:.1f}%" if a.schedule_share is not None else "—"),
        "projected": d.number(num(a.projected, 2), text["projected"], 2, unit) if a.projected is not None else "—",
        "progress": d.percent(a.progress, f"{a.progress * 100:.0f}%" if a.progress is not None else "—", 0),
        "status": d.Cell(text["status"], tone=d.tone_of(words.status_style(a.status))),
    }


def document_table(doc, assessments: list[Assessment], lang: str, *, columns: Sequence[str] = DOCUMENT_COLUMNS,
                   leads: dict[str, str] | None = None, name: str | None = None) -> None:  # fmt: skip
    """Targets as a document's table."""
    rows = []
    for a in assessments:
        c = document_cells(a, lang, leads)
        rows.append([c[col] for col in columns])
    doc.table(document_headers(columns, lang), rows, name=name)


def summary_text(counts: dict[str, int], lang: str):
    from rich.text import Text

    text = Text()
    for status in STATUSES:
        if counts.get(status):
            if text:
                text.append("  ")
            text.append(f"{words.status_word(status, lang)} {counts[status]}", style=words.status_style(status))
    return text if text else Text("—")


def render_targets(assessments: list[Assessment], fmt: str, lang: str, console: Console) -> None:
    if fmt == "document":
        document_table(console.document, assessments, lang, columns=("key",) + DOCUMENT_COLUMNS[:1] + DOCUMENT_COLUMNS[2:],
                       name=words.pick(("指标", "targets"), lang))  # fmt: skip
        return
    if fmt == "json":
        write_json(console.file, [assessment_dict(a) for a in assessments])
    elif fmt == "csv":
        write_csv(console.file, [assessment_csv_row(a) for a in assessments], fieldnames=TARGET_FIELDS)
    elif fmt == "markdown":
        cols = WIDE
        write_exact(console.file, 
            _markdown_table(
                [words.pick(words.COLUMNS["key"], lang)] + [words.pick(words.COLUMNS[c], lang) for c in cols],
                [[a.target.key] + [cells(a, lang)[c] for c in cols] for a in assessments],
            )
        )
    elif console.width < STACKED_BELOW:
        stacked(assessments, lang, console, key=True)
    else:
        # At 80 columns or fewer the name or the key, not both: the name in Chinese (names are
        # typed as keys too), the key in English, whose names are long.
        # Both when the table fits with both (the name wrapped to no less than 12 cells), else
        # the name in Chinese (names are typed as keys too) and the key in English, whose names
        # are long — always one of them at 80 columns or fewer.
        rest = columns_for(console.width)[1:]
        both = ("key", "name") + rest
        widths = column_widths(assessments, lang, both)
        need = sum(widths.values()) - widths["name"] + min(widths["name"], 12) + 3 * len(both) + 1
        fits = need <= console.width and console.width > 80
        columns = both if fits else ((("name",) if lang != "en" else ("key",)) + rest)
        assessment_table(None, assessments, lang, columns).show(console)


def render_results(results: list[Result], sections: dict[str, Section], fmt: str, lang: str, console: Console) -> None:
    def value_cell(r: Result) -> str:
        if r.kind == "rank":
            return f"{r.scope or ''}第{format_number(r.value)}" if lang != "en" else f"#{format_number(r.value)} ({r.scope or ''})"
        return with_unit(r.value, r.unit, None, lang)

    headers = [words.pick(words.COLUMNS[c], lang) for c in ("key", "name", "value", "kind", "section")]
    body = [
        [r.key, name_of(r, lang), value_cell(r), words.pick(words.KIND[r.kind], lang),
         name_of(sections[r.section], lang) if r.section in sections else r.section]
        for r in results
    ]  # fmt: skip
    emit(fmt, console, [result_dict(r) for r in results], headers, body, right=(2,))


HISTORY_FIELDS = ("id", "value", "as_of", "recorded_at", "note", "source", "vintage", "state", "supersedes", "known_from",
                  "decimals", "flag")


def render_history(target: Target, observations: Iterable[Observation], fmt: str, lang: str, console: Console) -> None:
    """A target's figures. JSON and CSV are written one figure at a time as they are read, so a
    target with a million figures costs no more memory than one with ten."""
    if fmt == "document" and console.document.data:
        figures_sheet(console.document, ((target, o) for o in observations), lang)
        return
    if fmt == "json":
        write_json_rows(console.file, (observation_dict(o) for o in observations))
        return
    if fmt == "csv":
        write_csv_rows(console.file, (observation_csv_row(o) for o in observations), fieldnames=HISTORY_FIELDS)
        return
    observations = list(observations)
    cols = ("id", "as_of", "value", "vintage", "state", "note", "source", "recorded_at")
    back_filled = any(o.known_from for o in observations)  # these columns only when there is something in them
    flagged = any(o.flag for o in observations)
    headers = [words.pick(words.COLUMNS[c], lang) for c in cols + (("known_from",) if back_filled else ()) + (("flag",) if flagged else ())]
    body = [
        [str(o.id), o.as_of.isoformat(), with_unit(o.value, target.unit, o.decimals, lang), words.pick(words.VINTAGE[o.vintage], lang),
         words.pick(words.STATE[o.state], lang) + (f" ← {o.supersedes}" if o.supersedes else ""),
         o.note or "", o.source or "", short_time(o.recorded_at)] + ([local_moment(o.known_from)] if back_filled else [])
        + ([words.flag_word(o.flag, lang)] if flagged else [])
        for o in observations
    ]  # fmt: skip
    nothing = f"{name_of(target, lang)} ({target.key}): " + ("nothing recorded yet" if lang == "en" else "尚无记录")
    emit(fmt, console, [observation_dict(o) for o in observations], headers, body,
         # figures, dates and (Chinese) the two-character words never break; the moment recorded
         # may, rather than leave the note and the source three cells at 80 columns
         title=f"{name_of(target, lang)} ({target.key})", right=(2,), empty=nothing, nowrap=(0, 1, 2) + ((3, 4) if lang != "en" else ()),
         fieldnames=HISTORY_FIELDS)  # fmt: skip


FIGURE_FIELDS = ("id", "key", "value", "as_of", "vintage", "state", "note", "source", "recorded_at", "flag")


def figure_row(target: Target, o: Observation) -> dict[str, Any]:
    """A figure as ``export --format csv`` writes it (and ``import`` reads it back)."""
    return {"id": o.id, "key": target.key, "value": published(o.value, o.decimals), "as_of": o.as_of.isoformat(),
            "vintage": o.vintage, "state": o.state, "note": o.note or "", "source": o.source or "",
            "recorded_at": o.recorded_at, "flag": o.flag or ""}  # fmt: skip


def figures_sheet(doc, figures: Iterable[tuple[Target, Observation]], lang: str) -> None:
    """Figures as a data sheet (.xlsx): the export's columns under their field names, the value a
    number cell with the decimals it was published with, the period a date cell — a workbook
    ``hnreport import`` reads back unchanged."""
    from hnreport.render import listing as d

    rows = []
    for target, o in figures:
        row: list[Any] = [figure_row(target, o)[f] for f in FIGURE_FIELDS]
        row[2] = d.number(o.value, format_number(o.value, o.decimals), o.decimals)
        row[3] = d.day(o.as_of)
        rows.append(row)
    doc.table(list(FIGURE_FIELDS), rows, name=words.pick(("数据", "figures"), lang), fields=FIGURE_FIELDS)


def _markdown_table(headers, rows) -> str:
    from hnreport.render.formats.markdown import markdown_table  # only Markdown needs it

    return markdown_table(headers, rows)
