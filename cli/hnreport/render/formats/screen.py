"""A terminal screen as HTML or SVG, on an exact character grid: the coloured report as a
person sees it in a terminal (rich records the console's ANSI output)."""

from __future__ import annotations

RECORD_WIDTH = 176  # wide enough for every column of the report

# ── a terminal screen as HTML or SVG, on an exact character grid ───────────────────────
# Browsers draw CJK, box-drawing and symbol glyphs at widths that differ from the terminal's
# cells, so the tables would not line up in a plain <pre>. Every character is therefore placed
# on the grid explicitly: in HTML non-ASCII characters sit in inline blocks of 1 or 2 `ch`; in
# SVG every character gets its own x position.
CELL_PX = 8.4  # DejaVu Sans Mono advance at 14 px
LINE_PX = 19
FONT = "'DejaVu Sans Mono', 'Noto Sans Mono', Menlo, Consolas, monospace"
BACKGROUND, FOREGROUND = "#ffffff", "#1f2328"


def styled_lines(ansi: str) -> list[list[tuple[str, str | None, bool, bool]]]:
    """Each line as runs of (text, colour, bold, dim), read back from the console's ANSI output.

    The text is shown through ``text.one_line``: what XML 1.0 does not allow (control characters,
    lone surrogates, U+FFFE/U+FFFF) would make the SVG unreadable, and HTML treats it as an error.
    The views have done so already; this makes the file valid whatever reaches it.
    """
    from rich.console import Console
    from rich.text import Text

    from hnreport.text import one_line

    plain = Console(width=RECORD_WIDTH * 2, color_system="truecolor", force_terminal=True, legacy_windows=False)
    out = []
    for raw in ansi.rstrip("\n").split("\n"):
        runs = []
        for seg in Text.from_ansi(raw).render(plain):
            if not seg.text or seg.control:
                continue
            style = seg.style
            colour = None
            if style and style.color and not style.color.is_default:
                colour = style.color.get_truecolor().hex
            runs.append((one_line(seg.text), colour, bool(style and style.bold), bool(style and style.dim)))
        out.append(runs)
    return out


def _cells(ch: str) -> int:
    from rich.cells import get_character_cell_size

    return get_character_cell_size(ch)


def html(lines) -> str:
    from html import escape

    body = []
    for runs in lines:
        parts = []
        for text, colour, bold, dim in runs:
            chars = "".join(
                escape(ch) if ord(ch) < 128 else f'<span class="w{_cells(ch)}">{escape(ch)}</span>' for ch in text
            )
            css = ";".join(filter(None, [f"color:{colour}" if colour else "", "font-weight:bold" if bold else "",
                                         "opacity:0.6" if dim else ""]))  # fmt: skip
            parts.append(f'<span style="{css}">{chars}</span>' if css else chars)
        body.append("".join(parts))
    return _HTML.format(font=FONT, background=BACKGROUND, foreground=FOREGROUND, code="\n".join(body))


def svg(lines) -> str:
    from html import escape

    width = RECORD_WIDTH * CELL_PX + 24
    height = len(lines) * LINE_PX + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" '
        f'viewBox="0 0 {width:.0f} {height}" font-family="{escape(FONT)}" font-size="14">',
        f'<rect width="100%" height="100%" fill="{BACKGROUND}"/>',
    ]
    for row, runs in enumerate(lines):
        y = 12 + (row + 1) * LINE_PX - 5
        col = 0
        for text, colour, bold, dim in runs:
            xs, glyphs = [], []
            for ch in text:
                if ch != " ":
                    xs.append(f"{12 + col * CELL_PX:.1f}")
                    glyphs.append(ch)
                col += _cells(ch)
            if not glyphs:
                continue
            attrs = f'fill="{colour or FOREGROUND}"' + (' font-weight="bold"' if bold else "") + (' opacity="0.6"' if dim else "")
            out.append(f'<text x="{" ".join(xs)}" y="{y}" {attrs} xml:space="preserve">{escape("".join(glyphs))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<title>hnreport</title>
<style>
body {{ background: {background}; color: {foreground}; margin: 2em; }}
pre {{ font-family: {font}; font-size: 14px; line-height: 1.35; }}
.w1, .w2 {{ display: inline-block; text-align: center; overflow: visible; }}
.w1 {{ width: 1ch; }}
.w2 {{ width: 2ch; }}
</style>
</head>
<body>
<pre>{code}</pre>
</body>
</html>
"""
