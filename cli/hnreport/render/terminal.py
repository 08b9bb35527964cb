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
