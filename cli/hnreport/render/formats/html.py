"""HTML documents: real ``<table>`` markup that prints on A4 from a browser and pastes into Word
or WPS as tables (the terminal's look, a grid of characters, is the .svg).

Every piece of text is shown through ``text.one_line`` (a control character is shown as its
escape, never obeyed or dropped) and then escaped, so a name can never become markup. The page
loads nothing: no script, no external style sheet, font or image. Status cells are shaded with
an inline style (Word keeps inline styles when a table is pasted, not classes) and carry their
status word and mark, so the page reads in black and white too.
"""

from __future__ import annotations

from html import escape

from hnreport.text import one_line

# The tones' shading, as in the .xlsx (Excel's own good / neutral / bad cell styles).
SHADE = {"good": "#c6efce", "warn": "#ffeb9c", "bad": "#ffc7ce", "none": "#ededed"}
INK = {"good": "#006100", "warn": "#7f6000", "bad": "#9c0006", "none": "#595959"}

STYLE = """
@page { size: A4 landscape; margin: 15mm 12mm 15mm 12mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif;
       font-size: 11pt; line-height: 1.5; color: #000; max-width: 260mm; margin: 1em auto; padding: 0 1em; }
h1 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 18pt; text-align: center; margin: 0 0 .3em; }
h2, h3 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 13pt; margin: 1.1em 0 .4em;
         break-after: avoid; page-break-after: avoid; }
h3 { font-size: 12pt; }
p.as-of { text-align: center; margin: 0 0 1em; }
.page-break { break-before: page; page-break-before: always; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 1em; font-size: 9.5pt; }
th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f2f2f2; font-weight: bold; text-align: center; }
td.num { text-align: right; white-space: nowrap; }
td.day, td.mark { white-space: nowrap; }
td.none { text-align: center; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
@media print { body { max-width: none; margin: 0; padding: 0; } }
"""


def shown(text: object) -> str:
    """Text as the page shows it: one line (controls as escapes), then HTML-escaped."""
    return escape(one_line("" if text is None else str(text)), quote=True)


def html_document(doc) -> str:
    """A ``render.listing.Document`` as a page of its own."""
    from hnreport.render.listing import Heading, Items, Paragraph, Table

    lang = "en" if doc.lang == "en" else "zh-CN"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # nothing is fetched: no script, no remote style sheet, font or image
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{shown(doc.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{shown(doc.title)}</h1>",
    ]
    if doc.as_of:
        out.append(f'<p class="as-of">{shown(doc.as_of)}</p>')
    for block in doc.blocks:
        if isinstance(block, Heading):
            level = max(2, min(block.level, 4))
            page = ' class="page-break"' if block.new_page else ""
            out.append(f"<h{level}{page}>{shown(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            style = f' style="color:{INK[block.tone]}"' if block.tone in INK else ""
            out.append(f"<p{style}>{shown(block.text)}</p>")
        elif isinstance(block, Items):
            out.append("<ul>" + "".join(f"<li>{shown(line)}</li>" for line in block.lines) + "</ul>")
        elif isinstance(block, Table):
            out.append(_table(block))
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _table(table) -> str:
    from hnreport.render.listing import Cell

    parts = ['<table border="1" cellspacing="0" cellpadding="3" width="100%">']
    parts.append("<thead><tr>" + "".join(f'<th scope="col">{shown(h)}</th>' for h in table.headers) + "</tr></thead>")
    parts.append("<tbody>")
    for row in table.rows:
        cells = []
        for i, cell in enumerate(row):
            attrs = []
            numeric = (i in table.right or (isinstance(cell, Cell) and cell.value is not None and cell.numfmt != "yyyy-mm-dd")
                       or isinstance(cell, (int, float))) and str(cell) != "—"  # fmt: skip
            tone = cell.tone if isinstance(cell, Cell) else None
            if numeric:
                attrs.append('class="num"')
            elif isinstance(cell, Cell) and cell.numfmt == "yyyy-mm-dd":
                attrs.append('class="day"')
            elif tone:
                attrs.append('class="mark"')  # a status: its word never broken
            elif str(cell) == "—":
                attrs.append('class="none"')
            if tone in SHADE:
                attrs.append(f'style="background:{SHADE[tone]};color:{INK[tone]}"')
            text = "" if cell is None else str(cell)
            cells.append(f"<td{' ' + ' '.join(attrs) if attrs else ''}>{shown(text)}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)
