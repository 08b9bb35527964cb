"""What an import of a bureau's table shows: the mapping (sheet row → target, column used, value
as read, unit conversion, period) with --dry-run, and the rows it does not take, with why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hnreport import words
from hnreport.domain.periods import span_label
from hnreport.render.common import emit, with_unit

if TYPE_CHECKING:
    from rich.console import Console

    from hnreport.domain.statsheet import Figure, Skip
    from hnreport.domain.model import Target


def _label(name: str, lang: str) -> str:
    return words.pick(words.BULLETIN[name], lang)


def _text(value, lang: str) -> str:
    return value if isinstance(value, str) else value.text(lang)


def bulletin_mapping(figures: list[Figure], targets: dict[str, Target], lang: str, message_lang: str, console: Console) -> None:
    """One line per figure the sheet gives: which row feeds which target, from which cell. Below
    140 columns the name and target, and what was read with what is recorded, share a column."""
    rows = []
    for f in figures:
        target = targets[f.key]
        rows.append((str(f.line), f.name, f.key, f"{f.column} ({f.cell})", _text(f.read, message_lang),
                     with_unit(f.value, target.unit, None, lang), _text(f.conversion, message_lang) or "",
                     f"{f.period.isoformat()} ({span_label(f.period, lang)})"))  # fmt: skip
    if console.width >= 140:
        headers = [_label(n, lang) for n in ("line", "printed", "target", "column", "read", "value", "conversion", "period")]
        body = [[*r[:6], r[6] or "—", r[7]] for r in rows]
        emit("table", console, [], headers, body, title=_label("mapping", lang), right=(0, 5), nowrap=(0, 2, 7))
        return
    headers = [_label("line", lang), f"{_label('printed', lang)} → {_label('target', lang)}", _label("column", lang),
               _label("value", lang), _label("period", lang)]  # fmt: skip
    body = [[line, f"{name} → {key}", column, value + (f" ({conversion})" if conversion else "")
             + (f" [{read}]" if not conversion and read not in (value, value.rstrip("%")) else ""), period]
            for line, name, key, column, read, value, conversion, period in rows]  # fmt: skip
    emit("table", console, [], headers, body, title=_label("mapping", lang), right=(0,), nowrap=(0, 4))


def bulletin_skipped(skipped: list[Skip], lang: str, message_lang: str, console: Console) -> None:
    """The rows (or a row for one target) not taken, and why; nothing when every row was."""
    if not skipped:
        return
    headers = [_label(n, lang) for n in ("line", "printed", "target", "reason")]
    body = [[str(s.line), s.name or "—", s.key or "—", s.reason.text(message_lang)] for s in skipped]
    emit("table", console, [], headers, body, title=_label("skipped", lang), right=(0,), nowrap=(0, 2))
