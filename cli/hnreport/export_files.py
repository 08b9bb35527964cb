"""Writing the report to a file whose extension picks the format.

HTML and SVG are the coloured report as a person sees it in a terminal (rich records the
console); Markdown is the printable 完成情况 brief; CSV is Excel/WPS-safe (BOM, formula cells
neutralised); JSON is the same document ``--format json`` prints.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hnreport.errors import BadValue

SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".svg": "svg",
            ".csv": "csv", ".json": "json"}  # fmt: skip
RECORD_WIDTH = 176  # wide enough for every column of the report


def write_report(path: Path, draw: Callable[[str, Any], None]) -> None:
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise BadValue(f"cannot tell the format of '{path.name}'; use .md, .html, .svg, .csv or .json")
    if path.is_dir():
        raise BadValue(f"{path} is a directory; give a file name")
    if not path.parent.exists():
        raise BadValue(f"the folder {path.parent} does not exist")
    from rich.console import Console

    if fmt in ("html", "svg"):
        console = Console(record=True, width=RECORD_WIDTH, force_terminal=True, color_system="truecolor",
                          file=io.StringIO(), highlight=False, emoji=False, markup=False)  # fmt: skip
        draw("table", console)
        if fmt == "html":
            text = console.export_html(inline_styles=True, code_format=_HTML)
        else:
            text = console.export_svg(title="hnreport")
        path.write_text(text, encoding="utf-8")
        return
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        draw(fmt, Console(file=buffer, width=RECORD_WIDTH, markup=False))
    text = buffer.getvalue()
    if fmt == "csv":
        from hnreport.render import excel_safe_csv

        text = "\ufeff" + excel_safe_csv(text)
    path.write_text(text, encoding="utf-8", newline="")


_HTML = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<title>hnreport</title>
<style>
body {{ background: {background}; color: {foreground}; margin: 2em; }}
pre {{ font-family: "Sarasa Mono SC", "Noto Sans Mono CJK SC", "WenQuanYi Zen Hei Mono", Menlo, Consolas, monospace;
       font-size: 14px; line-height: 1.35; }}
</style>
</head>
<body>
<pre><code>{code}</code></pre>
</body>
</html>
"""
