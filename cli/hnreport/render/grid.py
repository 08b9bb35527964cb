"""A table drawn straight to rich segments on known column widths (CJK counted double)."""

from __future__ import annotations

from hnreport.text import one_line


class Grid:
    """A table drawn straight to segments, in rich's heavy-head box, on known column widths.

    The progress report is printed dozens of times a day; rich's Table measures and wraps every
    cell, which costs more than the rest of the command together. Here each cell is padded once;
    only the ``wrap`` columns (the name, a unit) wrap when the terminal is too narrow. Every cell is
    shown through ``one_line`` (names and units are user text), before it is measured.
    """

    def __init__(self, headers, rows, justify, widths, wrap: int | tuple[int, ...] | None = None) -> None:
        self.headers = [one_line(h) for h in headers]
        self.rows = [[(one_line(text), style) for text, style in row] for row in rows]  # each: [(text, style or None), …]
        self.justify = justify
        self.widths = [
            max([w, cell_len(h)] + [cell_len(r[i][0]) for r in self.rows]) for i, (w, h) in enumerate(zip(widths, self.headers))
        ]
        self.wrap = (wrap,) if isinstance(wrap, int) else tuple(i for i in (wrap or ()) if i is not None)

    def show(self, console) -> None:
        """Print the grid. Lines that fit the console skip rich's cropping pass (a cell length
        measured per segment), which the grid's own widths make needless."""
        console.print(self, crop=self._width(self._shrunk(console.width)) > console.width)

    def _shrunk(self, max_width: int) -> list[int]:
        widths = list(self.widths)
        overflow = self._width(widths) - max_width
        # the columns that may wrap give way last first: a lead unit down to 8 cells (四个汉字)
        # before the name, which goes down to 4
        for n, i in enumerate(reversed(self.wrap)):
            floor = 4 if n == len(self.wrap) - 1 else 8
            take = max(0, min(overflow, widths[i] - floor))
            widths[i] -= take
            overflow -= take
        return widths

    @staticmethod
    def _width(widths: list[int]) -> int:
        return sum(widths) + 3 * len(widths) + 1

    def __rich_console__(self, console, options):
        from rich.segment import Segment
        from rich.style import Style

        widths = self._shrunk(options.max_width)
        bold = Style(bold=True)
        styles: dict[str, Style] = {}

        def rule(left: str, fill: str, mid: str, right: str) -> list[Segment]:
            return [Segment(left + mid.join(fill * (w + 2) for w in widths) + right), Segment.line()]

        def line(cells: list[tuple[str, Style | None]], bar: str) -> list[Segment]:
            # Unstyled text runs together into one segment: the console handles a few segments
            # a line instead of three a cell.
            out: list[Segment] = []
            plain = bar
            for i, (text, style) in enumerate(cells):
                pad = widths[i] - cell_len(text)
                padded = text + " " * pad if self.justify[i] == "left" else " " * pad + text
                if style is None:
                    plain += " " + padded + " " + bar
                else:
                    out += [Segment(plain + " "), Segment(padded, style)]
                    plain = " " + bar
            out += [Segment(plain), Segment.line()]
            return out

        yield from rule("┏", "━", "┳", "┓")
        yield from line([(h, bold) for h in self.headers], "┃")
        yield from rule("┡", "━", "╇", "┩")
        for row in self.rows:
            parts = []
            for i, (text, style_name) in enumerate(row):
                style = None
                if style_name:
                    style = styles.get(style_name) or styles.setdefault(style_name, Style.parse(style_name))
                parts.append((split_cells(text, widths[i]), style))
            height = max(len(p[0]) for p in parts)
            for k in range(height):
                yield from line([(p[0][k] if k < len(p[0]) else "", p[1]) for p in parts], "│")
        yield from rule("└", "─", "┴", "┘")


def cell_len(text: str) -> int:
    """Terminal cells ``text`` takes (CJK characters count two), as rich counts them."""
    if text.isascii():
        return len(text)  # every ASCII character one cell (one_line has escaped the controls)
    global _rich_cell_len
    if _rich_cell_len is None:
        from rich.cells import cell_len as _rich_cell_len  # once, not per cell
    return _rich_cell_len(text)


_rich_cell_len = None


def split_cells(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells (CJK characters count two): broken
    between words where it has spaces (English is never split inside a word that fits on a
    line), between any two characters of Chinese."""
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        if cell_len(word) <= width:
            current = word
        else:  # a word wider than the column (or Chinese, which has no spaces): by characters
            pieces = _by_characters(word, width)
            lines.extend(pieces[:-1])
            current = pieces[-1]
    return lines + [current]


def _by_characters(text: str, width: int) -> list[str]:
    from rich.cells import get_character_cell_size

    pieces, current, used = [], "", 0
    for ch in text:
        size = get_character_cell_size(ch)
        if used + size > width and current:
            pieces.append(current)
            current, used = "", 0
        current += ch
        used += size
    return pieces + [current]

