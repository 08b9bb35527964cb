"""A small text chart of a target's year: one row per month, the figure as a bar (█, to an eighth
of a character) and the 序时 line as ┃ where the figure is measured against it that month.

Plain text, so it prints the same in a terminal, a pipe and a document; the exact numbers are in
the table under it. No plotting library: twelve bars need none, and the read path stays light.
"""

from __future__ import annotations

from hnreport import words
from hnreport.domain.series import SeriesPoint
from hnreport.domain.values import format_number

WIDTH = 40  # characters from the scale's low end to its high end
EIGHTHS = " ▏▎▍▌▋▊▉"


def _num(value: float, unit: str | None, decimals: int | None = None, lang: str = "zh") -> str:
    """A figure as published where its decimals are known (5.0%), else to two places."""
    from hnreport.words.labels import figure_text

    return figure_text(format_number(value, decimals) if decimals is not None else format_number(round(value, 2)), unit, lang)


def year_chart(points: list[SeriesPoint], unit: str | None, paced: bool, lang: str) -> list[str]:
    """The chart's lines: a legend, twelve month rows (a month's last point counts) and the scale.
    The scale runs from 0 (or the lowest figure, if negative) to the highest figure or line."""
    from rich.cells import cell_len

    by_month = {p.day.month: p for p in points}
    numbers = [0.0] + [p.expected for p in by_month.values()] + [p.value for p in by_month.values() if p.value is not None]
    low, high = min(numbers), max(numbers)
    if high - low < 1e-9:
        high = low + 1
    per = WIDTH / (high - low)  # characters per unit
    zero = round(-low * per)
    line = words.CHART["expected"] if paced else words.CHART["target_line"]
    out = [f"{words.pick(words.CHART['title'], lang)}  █ {words.pick(words.CHART['figure'], lang)}  "
           f"┃ {words.pick(line, lang)}"]  # fmt: skip
    names = {m: (f"{m}月" if lang != "en" else ("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()[m - 1])) for m in by_month}
    pad = max(cell_len(n) for n in names.values())
    for month, p in sorted(by_month.items()):
        cells = [" "] * (WIDTH + 1)
        if p.value is not None and p.value >= 0:
            full, part = divmod(round(p.value * per * 8), 8)
            cells[zero : zero + full] = ["█"] * full
            if part:
                cells[zero + full] = EIGHTHS[part]
        elif p.value is not None:
            length = round(-p.value * per)
            cells[zero - length : zero] = ["█"] * length
        cells[min(round((p.expected - low) * per), WIDTH)] = "┃"
        figure = f"  {_num(p.value, unit, p.decimals, lang)}" if p.value is not None else ""
        out.append(" " * (pad - cell_len(names[month])) + names[month] + " " + "".join(cells).rstrip() + figure)
    ends = _num(low, unit, None, lang), _num(high, unit, None, lang)
    out.append(" " * (pad + 1) + ends[0] + " " * max(1, WIDTH + 1 - cell_len(ends[0]) - cell_len(ends[1])) + ends[1])
    return out
