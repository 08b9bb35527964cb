"""The last guard between a console and the terminal.

Every view shows user text through ``text.one_line`` where it builds its cells, before they are
measured, so the columns line up. This render hook, installed on every console hnreport makes,
passes whatever reaches the screen through the same function once more: a view added later that
forgets cannot let a note's ESC, CSI or bidi override drive the terminal (its table may then be
out of line, but the text is shown, not obeyed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hnreport.text import UNSAFE, one_line

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult


class TerminalSafe:
    """A rich render hook (``console.push_render_hook(TerminalSafe())``)."""

    def process_renderables(self, renderables: list) -> list:
        return [_Shown(r) for r in renderables]


class _Shown:
    def __init__(self, renderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        for segment in console.render(self.renderable, options):
            text = segment.text
            # rich's own line ends are "\n" segments; control segments are rich's (cursor moves)
            if segment.control or text == "\n" or UNSAFE.search(text) is None:
                yield segment
            else:
                yield Segment("\n".join(one_line(part) for part in text.split("\n")), segment.style)


def safe_console(console: Console) -> Console:
    """``console`` with the guard installed."""
    console.push_render_hook(TerminalSafe())
    return console


class EncodingShown:
    """A rich render hook for a console whose encoding lacks characters (a GBK console): each
    character of a table's cells, titles and texts that the encoding cannot carry (a "•" pasted
    from Word, a "€") becomes its escape (``\\u2022``) before rich lays the table out, so the
    columns are measured with the escape and stay in line. Marks with an ASCII stand-in
    (``outfile.ASCII_MARKS``: borders, ✓, …) are left to the stream, which swaps them one for one.
    What this walk does not reach the stream escapes all the same (``EncodingSafeWriter``)."""

    def __init__(self, encoding: str) -> None:
        from hnreport.outfile import ASCII_MARKS

        self.encoding = encoding
        self.marks = ASCII_MARKS

    def process_renderables(self, renderables: list) -> list:
        return [self._shown(r) for r in renderables]

    def _fits(self, text: str) -> bool:
        """Whether the encoding carries ``text`` once its marks are ASCII (the common case: one
        pass over a cell, no character by character)."""
        try:
            text.translate(self.marks).encode(self.encoding)
        except UnicodeEncodeError:
            return False
        return True

    def _lacks(self, ch: str) -> bool:
        return not self._fits(ch)

    def _escape(self, ch: str) -> str:
        return ch.encode(self.encoding, "backslashreplace").decode(self.encoding)

    def _shown(self, r):
        from rich.console import Group  # (loaded with the console: no cost per cell)
        from rich.padding import Padding
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        if isinstance(r, str):
            return r if r.isascii() or self._fits(r) else "".join(self._escape(ch) if self._lacks(ch) else ch for ch in r)
        if isinstance(r, Text):
            plain = r.plain
            if plain.isascii() or self._fits(plain):
                return r
            cuts = [i for i, ch in enumerate(plain) if self._lacks(ch)]
            if not cuts:
                return r
            pieces = r.divide(sorted({o for i in cuts for o in (i, i + 1)}))
            for piece in pieces:
                if len(piece.plain) == 1 and self._lacks(piece.plain):
                    styles = [span.style for span in piece.spans]
                    piece.spans = []
                    piece.plain = self._escape(piece.plain)
                    for style in styles:  # the escape styled as the character was (its colour)
                        piece.stylize(style)
            return r.blank_copy().join(pieces)
        if isinstance(r, Table):
            for attr in ("title", "caption"):
                if getattr(r, attr) is not None:
                    setattr(r, attr, self._shown(getattr(r, attr)))
            for column in r.columns:
                column.header = self._shown(column.header)
                column.footer = self._shown(column.footer)
                column._cells[:] = [c if isinstance(c, str) and (c.isascii() or self._fits(c)) else self._shown(c)
                                    for c in column._cells]
            return r
        if isinstance(r, Group):
            r._renderables = [self._shown(x) for x in r._renderables]
            return r
        if isinstance(r, (Padding, Panel)):
            r.renderable = self._shown(r.renderable)
            if isinstance(r, Panel) and r.title is not None:
                r.title = self._shown(r.title)
            return r
        return r
