"""A document the office issues (督查通报, 督办单) as blocks — headings, paragraphs, tables — and
the writers every format shares: Markdown, HTML (real tables, A4 print CSS) and Excel (one sheet
per table, numbers as numbers). Word is ``render.formats.docx``.

The views (render.bulletin, render.orders) turn what was computed into a ``Document``; the
writers know nothing of bulletins. User text is never markup, a formula or a control character:
each writer escapes it its own way.
"""

from __future__ import annotations

import html as html_lib

from hnreport.text import one_line

from hnreport.render.formats.blocks import LIGHT_FILL, Document, Table


# ── Markdown ─────────────────────────────────────────────────────────────────────────────────
def markdown(doc: Document) -> str:
    from hnreport.render.formats.markdown import markdown_table, markdown_text

    lines = []
    if doc.office:
        lines.append(f"**{markdown_text(doc.office)}**  ")
    lines += [markdown_text(doc.number_line), "", f"# {markdown_text(doc.title)}", ""]
    if doc.addressee:
        lines += [markdown_text(doc.addressee), ""]
    # The office and the date close the body, before any attachment (附件).
    signature = [f"{markdown_text(doc.signature)}  ", markdown_text(doc.issued_on), ""] if doc.signature else []
    for b in doc.blocks:
        if b.kind == "h1":
            lines += [f"## {markdown_text(b.text)}", ""]
        elif b.kind == "h2":
            lines += [f"### {markdown_text(b.text)}", ""]
        elif b.kind in ("p", "note"):
            lines += [markdown_text(b.text), ""]
        elif b.kind == "attachment":
            lines += signature[:]
            signature.clear()
            lines += ["---", "", f"## {markdown_text(b.text)}", ""]
        elif b.kind == "table" and b.table is not None:
            lines.append(markdown_table(b.table.headers, [[c.text for c in row] for row in b.table.rows]))
    lines += signature
    return "\n".join(lines)


# ── HTML ─────────────────────────────────────────────────────────────────────────────────────
_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "仿宋_GB2312", "FangSong", "STFangsong", "Noto Serif CJK SC", serif; font-size: 16pt;
       line-height: 1.75; max-width: 156mm; margin: 2em auto; color: #000; }
.office { text-align: center; color: #c00; font-size: 26pt; font-family: "方正小标宋简体", "SimSun", serif;
          letter-spacing: 0.1em; margin: 0; }
.number { text-align: center; margin: 0.3em 0 0.2em; }
hr.red { border: 0; border-top: 2px solid #c00; margin: 0 0 1em; }
h1 { font-family: "方正小标宋简体", "SimSun", "Noto Serif CJK SC", serif; font-size: 22pt; font-weight: normal;
     text-align: center; line-height: 1.4; margin: 1em 0; }
h2 { font-family: "黑体", "SimHei", "Noto Sans CJK SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 0.6em 0 0; }
h3 { font-family: "楷体_GB2312", "KaiTi", "STKaiti", serif; font-size: 16pt; font-weight: normal; margin: 0.4em 0 0; }
p { text-indent: 2em; margin: 0; }
p.note { text-indent: 0; font-size: 12pt; }
p.addressee { text-indent: 0; }
.signature { text-align: right; margin-top: 2em; text-indent: 0; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; font-size: 10.5pt; line-height: 1.4; margin: 0.5em 0; page-break-inside: auto; }
caption { font-family: "黑体", "SimHei", sans-serif; font-size: 12pt; padding: 0.3em; }
th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: top; overflow-wrap: anywhere; }
th { background: #d9d9d9; font-weight: bold; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
td.num { text-align: right; }
td.green { background: #C6EFCE; } td.yellow { background: #FFEB9C; } td.red { background: #FFC7CE; } td.grey { background: #E7E6E6; }
.attachment { page-break-before: always; }
@media print { body { margin: 0; max-width: none; } }
"""


def _h(text: str) -> str:
    """User text as HTML text: markup escaped, control characters shown as escapes, lines kept."""
    return "<br>".join(html_lib.escape(one_line(line), quote=True) for line in text.split("\n"))


def html(doc: Document) -> str:
    out = ['<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">',
           f"<title>{_h(doc.title)}</title>", f"<style>{_CSS}</style>\n</head>\n<body>"]  # fmt: skip
    if doc.office:
        out.append(f'<p class="office">{_h(doc.office)}</p>')
    out.append(f'<p class="number">{_h(doc.number_line)}</p>\n<hr class="red">')
    out.append(f"<h1>{_h(doc.title)}</h1>")
    if doc.addressee:
        out.append(f'<p class="addressee">{_h(doc.addressee)}</p>')
    signature = [f'<p class="signature">{_h(doc.signature)}<br>{_h(doc.issued_on)}</p>'] if doc.signature else []
    for b in doc.blocks:
        if b.kind == "attachment":
            out += signature
            signature = []
        if b.kind == "h1":
            out.append(f"<h2>{_h(b.text)}</h2>")
        elif b.kind == "h2":
            out.append(f"<h3>{_h(b.text)}</h3>")
        elif b.kind == "p":
            out.append(f"<p>{_h(b.text)}</p>")
        elif b.kind == "note":
            out.append(f'<p class="note">{_h(b.text)}</p>')
        elif b.kind == "attachment":
            out.append(f'<h2 class="attachment">{_h(b.text)}</h2>')
        elif b.kind == "table" and b.table is not None:
            out.append(_html_table(b.table))
    out += signature
    out.append("</body>\n</html>\n")
    return "\n".join(out)


def _html_table(t: Table) -> str:
    total = sum(t.widths) or 1
    cols = "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in t.widths)
    head = "".join(f"<th>{_h(h)}</th>" for h in t.headers)
    rows = []
    for row in t.rows:
        tds = []
        for c in row:
            classes = [k for k in ("num" if c.value is not None else "", c.light or "") if k]
            attr = f' class="{" ".join(classes)}"' if classes else ""
            tds.append(f"<td{attr}>{_h(c.text)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return (f"<table>\n<caption>{_h(t.name)}</caption>\n<colgroup>{cols}</colgroup>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "\n".join(rows) + "\n</tbody>\n</table>")  # fmt: skip


# ── Excel ────────────────────────────────────────────────────────────────────────────────────
def xlsx(doc: Document) -> bytes:
    """The document as a workbook: a first sheet with its text, then one sheet per table —
    numbers as numbers with their formats, status cells filled, the header row frozen and
    repeated on every printed page, widths set. Text is always a text cell, never a formula."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    text_sheet = wb.active
    text_sheet.title = _sheet_title("正文", set())
    used = {text_sheet.title}
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    lines: list[tuple[str, bool]] = [(doc.office, True), (doc.number_line, False), (doc.title, True), (doc.addressee, False)]
    for b in doc.blocks:
        if b.kind in ("h1", "h2", "attachment"):
            lines.append((b.text, True))
        elif b.kind in ("p", "note"):
            lines.append((b.text, False))
        elif b.kind == "table" and b.table is not None:
            lines.append((f"（见工作表“{b.table.name}”）", False))
    lines += [(doc.signature, False), (doc.issued_on, False)]
    row = 1
    for text, strong in lines:
        if not text:
            continue
        c = text_sheet.cell(row=row, column=1)
        _text(c, text)
        c.alignment = wrap
        if strong:
            c.font = bold
        # Rows do not grow to wrapped text by themselves (LibreOffice, WPS): about 30 Chinese
        # characters a line at this width.
        text_sheet.row_dimensions[row].height = 15 * max(1, sum(-(-len(part) // 30) or 1 for part in text.split("\n")))
        row += 1
    text_sheet.column_dimensions["A"].width = 64  # within an A4 page
    text_sheet.page_setup.paperSize = text_sheet.PAPERSIZE_A4
    text_sheet.page_setup.fitToWidth, text_sheet.page_setup.fitToHeight = 1, 0
    text_sheet.sheet_properties.pageSetUpPr.fitToPage = True
    for b in doc.blocks:
        if b.kind != "table" or b.table is None:
            continue
        t = b.table
        ws = wb.create_sheet(_sheet_title(t.name, used))
        used.add(ws.title)
        for j, h in enumerate(t.headers, start=1):
            c = ws.cell(row=1, column=j)
            _text(c, h)
            c.font, c.fill, c.alignment, c.border = bold, header_fill, Alignment(wrap_text=True, horizontal="center"), border
        for i, cells in enumerate(t.rows, start=2):
            for j, value in enumerate(cells, start=1):
                c = ws.cell(row=i, column=j)
                if value.value is not None:
                    c.value = value.value
                    c.number_format = value.number_format or "General"
                else:
                    _text(c, value.text)
                c.alignment, c.border = wrap, border
                if value.light in LIGHT_FILL:
                    c.fill = PatternFill("solid", fgColor=LIGHT_FILL[value.light])
        from openpyxl.utils import get_column_letter

        for j, w in enumerate(t.widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = w
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = doc.office or "hnreport"
    wb.properties.title = doc.title
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _text(c, text: str) -> None:
    """A text cell that stays text: control characters shown as escapes (openpyxl refuses them),
    and typed as a string even when it starts with = (openpyxl would store a formula)."""
    c.value = "\n".join(one_line(line) for line in text.split("\n"))
    c.data_type = "s"


def _sheet_title(name: str, used: set[str]) -> str:
    """A sheet name Excel takes: at most 31 characters, none of []:*?/\\, unique in the book."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in one_line(name)).strip("'") or "表"
    title, n = clean[:31], 2
    while title in used:
        suffix = f"({n})"
        title, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return title


# ── writing a document out ───────────────────────────────────────────────────────────────────
# -o FILE: the extension picks the format; .docx and .xlsx only to a file.
DOCUMENT_SUFFIXES = {".docx": "docx", ".xlsx": "xlsx", ".html": "html", ".htm": "html", ".md": "markdown",
                     ".markdown": "markdown", ".json": "json"}  # fmt: skip
STREAM_FORMATS = ("table", "json", "markdown", "html")


def document_format(path, asked: str | None) -> str:
    """The format ``path``'s extension names; a --format given as well must agree."""
    from hnreport.errors import BadValue

    fmt = DOCUMENT_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise BadValue("document_format_unknown", name=path.name, suffixes=", ".join(sorted(set(DOCUMENT_SUFFIXES))))
    if asked is not None and asked != "table" and asked != fmt:
        raise BadValue("format_contradicts_extension", asked=asked, name=path.name, fmt=fmt)
    return fmt


def output_format(path, fmt: str) -> str:
    """The format a document is written in: ``path``'s extension (a --format given as well must
    agree), or, on stdout, ``fmt`` itself — never Word or Excel, which need a file."""
    from hnreport.errors import BadValue

    if path is not None:
        return document_format(path, fmt if fmt != "table" else None)
    if fmt in ("docx", "xlsx"):
        raise BadValue("document_needs_file", fmt=fmt)
    return fmt


def document_data(doc: Document, content: dict, fmt: str) -> str | bytes:
    """The document in ``fmt``: Word and Excel as bytes, the rest as text."""
    if fmt == "docx":
        from hnreport.render.formats.docx import write_docx

        return write_docx(doc)
    if fmt == "xlsx":
        return xlsx(doc)
    if fmt == "html":
        return html(doc)
    if fmt == "json":
        from hnreport.render.formats.json import json_text

        return json_text(content)
    return markdown(doc)


def write_document(path, doc: Document, content: dict, fmt: str, *, database, force: bool) -> None:
    """``doc`` to ``path`` through the output guard, all at once or not at all."""
    from hnreport.outfile import check_output, write_atomic

    check_output(path, database, force=force)
    write_atomic(path, document_data(doc, content, fmt))


def show_document(doc: Document, content: dict, fmt: str, console) -> None:
    """``doc`` on stdout: JSON, Markdown or HTML as asked, else (table) for reading on the
    screen — headings, paragraphs, and each table drawn, status cells coloured."""
    from hnreport.outfile import write_exact

    if fmt == "json":
        from hnreport.render.formats import write_json

        write_json(console.file, content)
        return
    if fmt in ("html", "markdown"):
        # HTML on a console that lacks a character writes it as &#8226; (what a browser shows)
        write_exact(console.file, html(doc) if fmt == "html" else markdown(doc), errors="xmlcharrefreplace" if fmt == "html" else "backslashreplace")
        return
    from rich.table import Table as RichTable
    from rich.text import Text

    styles = {"green": "green", "yellow": "yellow", "red": "bold red", "grey": "dim"}
    parts: list = [Text(one_line(line), style=style) for line, style in
                   ((doc.office, "bold"), (doc.number_line, ""), (doc.title, "bold"), (doc.addressee, "")) if line]  # fmt: skip
    for b in doc.blocks:
        if b.kind in ("h1", "attachment"):
            parts += [Text(""), Text(one_line(b.text), style="bold")]
        elif b.kind == "h2":
            parts.append(Text(one_line(b.text), style="bold"))
        elif b.kind in ("p", "note"):
            parts.append(Text(("" if b.kind == "note" else "  ") + " ".join(one_line(x) for x in b.text.split("\n"))))
        elif b.kind == "table" and b.table is not None:
            t = RichTable(title=one_line(b.table.name), title_justify="left", show_lines=False)
            for h in b.table.headers:
                t.add_column(one_line(h), overflow="fold")
            for row in b.table.rows:
                t.add_row(*(Text(" ".join(one_line(x) for x in c.text.split("\n")), style=styles.get(c.light or "", ""),
                                 justify="right" if c.value is not None else "left") for c in row))  # fmt: skip
            parts.append(t)
    parts += [Text(""), Text(one_line(doc.signature)), Text(one_line(doc.issued_on))]
    console.print(*parts, sep="\n")
