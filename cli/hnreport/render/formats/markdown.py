"""Markdown: tables, and the one escape for text put into Markdown.

A brief is opened in renderers that pass raw HTML through (commonmark, VS Code, pandoc, a
wiki), so a name, unit, note or key must never become markup: ``markdown_text`` makes it plain
text wherever it goes — a table cell, a heading, a list item.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from hnreport.text import one_line

_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x85\u2028\u2029]")
# Inline markup: emphasis, code, links and images, tables, strikethrough, escapes, HTML and
# entities, and # (a heading's closing sequence). HTML-significant characters become entities;
# the rest a backslash escape.
_INLINE = re.compile(r"[\\`*_\[\]|~#&<>]")
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# What opens a block at the start of a line: a list item (- + followed by a space, 1. or 1)), a
# setext underline or thematic break (---, ===). (# > * are escaped wherever they are.)
_BLOCK_START = re.compile(r"^(\s*)(?:([-+=])(?=[\s=-]|$)|(\d{1,9})([.)])(?=\s|$))")


def _inline(match: re.Match) -> str:
    ch = match.group()
    return _ENTITY.get(ch) or "\\" + ch


def _block(match: re.Match) -> str:
    space, marker, digits, dot = match.groups()
    if digits:
        return f"{space}{digits}\\{dot}"
    return f"{space}\\{marker}"


def markdown_text(text: object) -> str:
    """``text`` as plain text in Markdown, on one line: line breaks become spaces, control and
    invisible characters are shown (``text.one_line``), HTML-significant characters are entities,
    and everything that would make structure — pipes, backticks, ``# * _ [ ] ~ \\``, a leading
    list marker or numbered item — is escaped. Rendered, it reads as the text itself."""
    text = one_line(_LINE_BREAK.sub(" ", str(text)))
    return _BLOCK_START.sub(_block, _INLINE.sub(_inline, text))


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; every cell through ``markdown_text``."""
    lines = ["| " + " | ".join(markdown_text(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def markdown_document(doc) -> str:
    """A ``render.listing.Document`` as Markdown: the title as the heading, its 截至 line, then
    every block; all text through ``markdown_text``."""
    from hnreport.render.listing import Heading, Items, Paragraph, Table

    lines = [f"# {markdown_text(doc.title)}", ""]
    if doc.as_of:
        lines += [markdown_text(doc.as_of), ""]
    for block in doc.blocks:
        if isinstance(block, Heading):
            lines += ["#" * max(2, min(block.level, 6)) + " " + markdown_text(block.text), ""]
        elif isinstance(block, Paragraph):
            lines += [markdown_text(block.text), ""]
        elif isinstance(block, Items):
            lines += [f"- {markdown_text(line)}" for line in block.lines] + [""]
        elif isinstance(block, Table):  # its name is a sheet's (the headings above say what it is)
            lines.append(markdown_table(block.headers, [["" if c is None else str(c) for c in row] for row in block.rows]))
    return "\n".join(lines).rstrip("\n") + "\n"

