"""A document (render.document.Document) as a Word file laid out per GB/T 9704-2012, the national
standard for the layout of government documents:

- A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (a text block of 156 × 225 mm);
- body 3号 (16 pt) 仿宋_GB2312 on a grid of 22 lines × 28 characters a page (``w:docGrid``);
  title 2号 (22 pt) 方正小标宋简体; first-level headings (一、) 黑体, second-level ((一)) 楷体_GB2312;
- page numbers 4号 (14 pt) 半角宋体 "— 1 —", odd pages right and even pages left, one character
  in from the edge (a PAGE field);
- the date of issue right-aligned, four characters in; the office as the document's author.

python-docx has no API for East Asian font names, the grid, the PAGE field or shading, so those
are written as XML: setting a run's font name alone sets the Latin face, and Word would set the
Chinese text in whatever face it substitutes. python-docx is imported here only, when a file is
written.
"""

from __future__ import annotations

import io

from hnreport.render.formats.blocks import LIGHT_FILL, Document, Table
from hnreport.text import one_line

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_PT, TITLE_PT, PAGE_PT, TABLE_PT = 16, 22, 14, 10.5
LINES, CHARS = 22, 28  # a page's grid
BLOCK_MM = (156, 225)  # the text block, width × height
LINE_PT = BLOCK_MM[1] * 72 / 25.4 / LINES  # 28.99 pt: one line of the grid
TITLE_LINE_PT = 36  # the title's lines, 2号 characters


def write_docx(doc: Document) -> bytes:
    from docx import Document as new_document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    d = new_document()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28)
    _grid(section)
    _normal_style(d)
    props = d.core_properties
    props.author = doc.office or "hnreport"
    props.last_modified_by = doc.office or "hnreport"
    props.title = one_line(doc.title)
    props.comments = ""

    if doc.office:  # 版头: the issuing office in red, the number, a red rule
        p = _paragraph(d, doc.office, TITLE_FONT, 26, align=WD_ALIGN_PARAGRAPH.CENTER, color="C00000")
    p = _paragraph(d, doc.number_line, BODY_FONT, BODY_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _bottom_rule(p, "C00000")
    _paragraph(d, "", BODY_FONT, BODY_PT)
    _paragraph(d, doc.title, TITLE_FONT, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(d, "", BODY_FONT, BODY_PT)
    if doc.addressee:
        _paragraph(d, doc.addressee, BODY_FONT, BODY_PT)
    signed = False
    for b in doc.blocks:
        if b.kind == "attachment" and not signed:  # the office and date close the body, before 附件
            _signature(d, doc)
            signed = True
        if b.kind == "h1":
            _paragraph(d, b.text, H1_FONT, BODY_PT, indent=2)
        elif b.kind == "h2":
            _paragraph(d, b.text, H2_FONT, BODY_PT, indent=2)
        elif b.kind == "p":
            _paragraph(d, b.text, BODY_FONT, BODY_PT, indent=2)
        elif b.kind == "note":
            _paragraph(d, b.text, BODY_FONT, 12, snap=False)
        elif b.kind == "attachment":
            p = _paragraph(d, b.text, H1_FONT, BODY_PT)
            p.paragraph_format.page_break_before = True
        elif b.kind == "table" and b.table is not None:
            _table(d, b.table)
    if not signed:
        _signature(d, doc)
    _page_numbers(d, section)
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def _signature(d, doc: Document) -> None:
    """The issuing office over the date of issue, right-aligned four characters in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if not doc.signature and not doc.issued_on:
        return
    _paragraph(d, "", BODY_FONT, BODY_PT)
    if doc.signature:
        _paragraph(d, doc.signature, BODY_FONT, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, right=4)
    _paragraph(d, doc.issued_on, BODY_FONT, BODY_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, right=4)


# ── XML python-docx has no API for ─────────────────────────────────────────────────────────────
# Word refuses a file whose elements are out of the schema's order: what may follow w:spacing in
# a run's properties, and w:pBdr in a paragraph's.
_RPR_AFTER_SPACING = ("w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
                      "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")  # fmt: skip
_PPR_AFTER_PBDR = ("shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
                   "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
                   "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
                   "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")  # fmt: skip


def _insert_in_order(parent, child, successors: tuple[str, ...]) -> None:
    """``child`` into ``parent`` before the first of its schema successors present, else last."""
    from docx.oxml.ns import qn

    names = {qn(f"w:{n}") for n in successors}
    for existing in parent:
        if existing.tag in names:
            existing.addprevious(child)
            return
    parent.append(child)


# ── (the grid, fonts, fields) ───────────────────────────────────────────────────────────
def _fonts(rpr, east_asian: str, latin: str = LATIN_FONT) -> None:
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        from docx.oxml import OxmlElement

        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, face in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attr), face)


def _grid(section) -> None:
    """w:docGrid: 22 lines a page and 28 characters a line, as the standard counts them."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    width_pt, height_pt = (mm * 72 / 25.4 for mm in BLOCK_MM)
    line_pitch = round(height_pt / LINES * 20)  # twentieths of a point
    char_space = round((width_pt / CHARS - BODY_PT) * 4096)  # 1/4096 pt beyond the body size
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch))
    grid.set(qn("w:charSpace"), str(char_space))


def _normal_style(d) -> None:
    from docx.shared import Pt

    normal = d.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = LATIN_FONT
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    # The grid's pitch written out as well: each character 0.25 pt narrower than its size (28
    # characters of 16 pt fill the 156 mm line) and each line exactly 225 mm ÷ 22 high. Word
    # keeps to the grid either way; LibreOffice snaps a 16 pt character to two cells of a 15.8 pt
    # grid, so the paragraphs are laid out by these instead of snapping (w:snapToGrid 0).
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), "-5")
    _insert_in_order(normal.element.get_or_add_rPr(), spacing, _RPR_AFTER_SPACING)
    # The Latin and East Asian defaults of the document too (a table, a footer, an empty line).
    from docx.oxml.ns import qn

    defaults = d.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _fonts(rpr, BODY_FONT)


def _paragraph(d_or_cell, text: str, east_asian: str, size: float, *, align=None, indent: int = 0, right: int = 0,
               color: str | None = None, snap: bool = True, bold: bool = False):  # fmt: skip
    """A paragraph of ``text`` in ``east_asian`` at ``size`` pt; ``indent``/``right``: first-line
    and right indents in characters of the body size. Line breaks in the text are kept."""
    from docx.shared import Pt, RGBColor

    p = d_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    if indent:
        fmt.first_line_indent = Pt(BODY_PT * indent)
    if right:
        fmt.right_indent = Pt(BODY_PT * right)
    _no_snap(p)
    if snap:  # on the grid's lines
        from docx.enum.text import WD_LINE_SPACING

        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PT if size <= BODY_PT else TITLE_LINE_PT)
    lines = text.split("\n")
    run = p.add_run()
    for i, line in enumerate(lines):
        if i:
            run.add_break()
        run.add_text(one_line(line))  # control characters as escapes: XML cannot carry them
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.name = LATIN_FONT
    _fonts(run._r.get_or_add_rPr(), east_asian)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return p


def _no_snap(p) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    _insert_in_order(ppr, snap, _PPR_AFTER_PBDR[_PPR_AFTER_PBDR.index("spacing"):])


def _bottom_rule(p, color: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(k), v)
    borders.append(bottom)
    _insert_in_order(ppr, borders, _PPR_AFTER_PBDR)


def _table(d, t: Table) -> None:
    """A table of ``t``: the header row repeated on every page, status cells shaded. The cells
    are written as XML from one template each (python-docx's cell API re-reads the table's grid
    for every cell: a bulletin's 300 cells took a second)."""
    import copy

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm

    caption = _paragraph(d, t.name, H1_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER, snap=False)
    caption.paragraph_format.keep_with_next = True
    table = d.add_table(rows=1 + len(t.rows), cols=len(t.headers))
    table.style = d.styles["Table Grid"]
    table.autofit = False
    pt = table_size(t, BLOCK_MM[0])
    mm = fit_widths(t, BLOCK_MM[0], pt)
    widths = [Mm(w) for w in mm]
    _insert_in_order(table._tbl.tblPr, parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{CELL_PAD_TWIPS}" w:type="dxa"/>'
                                      f'<w:right w:w="{CELL_PAD_TWIPS}" w:type="dxa"/></w:tblCellMar>'), ("tblLook", "tblCaption", "tblDescription"))  # fmt: skip
    for j, w in enumerate(widths):  # the grid's widths (LibreOffice, WPS) as well as each cell's (Word)
        table.columns[j].width = w
    size = round(pt * 2)  # half-points
    fonts = f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{LATIN_FONT}"/>'
    runs = {bold: parse_xml(f'<w:r {nsdecls("w")}><w:rPr>{fonts}{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/>'
                            f'<w:szCs w:val="{size}"/></w:rPr></w:r>') for bold in (False, True)}  # fmt: skip
    rows = list(table.rows)
    rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))  # repeated on every page
    content = [(t.headers, True)] + [(r, False) for r in t.rows]
    for row, (cells, header) in zip(rows, content):
        for tc, c, width, width_mm in zip(row._tr.tc_lst, cells, widths, mm):
            text = _header_lines(c, width_mm, pt) if header else _token_lines(c.text, width_mm, pt)
            align = "center" if header else ("right" if c.value is not None else None)
            shade = "D9D9D9" if header else LIGHT_FILL.get(c.light or "")
            tc.width = width  # the w:tcW python-docx made with the table
            tcpr = tc.get_or_add_tcPr()
            if shade:
                tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{shade}"/>'))
            p = tc.p_lst[0]
            jc = f'<w:jc w:val="{align}"/>' if align else ""
            p.append(parse_xml(f'<w:pPr {nsdecls("w")}><w:snapToGrid w:val="0"/>{jc}</w:pPr>'))
            run = copy.deepcopy(runs[header])
            for i, line in enumerate(text.split("\n")):
                if i:
                    run.add_br()
                run.add_t(one_line(line))
            p.append(run)
    _paragraph(d, "", BODY_FONT, 8, snap=False)


# ── column widths: a short token never breaks ────────────────────────────────────────────────
CELL_PAD_TWIPS = 57  # 1 mm each side of a cell's text (Word's default is 1.9 mm)
PAD_MM = 2 * CELL_PAD_TWIPS / 1440 * 25.4 + 0.6  # a cell's two margins, and a little slack for the fonts
SMALL_TABLE_PT = 9  # 小五: a table whose figures alone would fill most of the line
_NARROW = {".": 0.25, ",": 0.25, ":": 0.28, "-": 0.34, "+": 0.57, "%": 0.84, "(": 0.34, ")": 0.34, "/": 0.28, " ": 0.25}
_SHORT_EM = 4  # a token this wide or less (未报送, 严重滞后) is kept on one line
_NUMBER_EM = 8  # …and a figure with its unit up to this wide (≥43.42%, -3.40个百分点, 2022-12-31)


def _em(text: str) -> float:
    """The width of ``text`` in CJK characters (ems) at the table's size: wide characters one em,
    Times New Roman's digits half."""
    import unicodedata

    wide = [unicodedata.east_asian_width(ch) in "WFA" for ch in text]
    # Word and LibreOffice put a quarter em between a figure and a CJK character (40 亿元)
    gaps = sum(1 for a, b, x, y in zip(wide, wide[1:], text, text[1:]) if a != b and (x.isalnum() or y.isalnum()))
    return sum(1.0 if w else _NARROW.get(ch, 0.5) for w, ch in zip(wide, text)) + 0.25 * gaps


def _pieces(line: str) -> list[tuple[str, str]]:
    """A line cut where it may break without splitting a figure from its unit: at spaces, before a
    bracket, after ，；、 and before a figure that follows a word (完成时限|2022-12-31). Each piece
    with the spaces before it."""
    import unicodedata

    out: list[tuple[str, str]] = []
    cur = sep = ""
    for i, ch in enumerate(line):
        if ch.isspace():
            if cur:
                out.append((sep, cur))
                cur = sep = ""
            sep += ch
            continue
        prev = line[i - 1] if i else ""
        after_word = prev and unicodedata.east_asian_width(prev) in "WF" and prev not in "≥≤（(" and (ch.isdigit() or ch in "≥≤+-")
        if cur and (ch in "（(" or prev in "，；、" or after_word):
            out.append((sep, cur))
            cur = sep = ""
        cur += ch
    if cur:
        out.append((sep, cur))
    return out


def _tokens(text: str) -> list[str]:
    return [tok for _sep, tok in _pieces(text)]


def _unbreakable_em(text: str, header: bool) -> float:
    """The widest part of ``text`` that must stay on one line: a short word or a figure with its
    unit (a header: two characters, 年度/目标)."""
    if header:
        return min(_em(text), 2.0)
    widest = 0.0
    for tok in _tokens(text):
        em = _em(tok)
        if em <= _SHORT_EM or (em <= _NUMBER_EM and any(ch.isdigit() for ch in tok)):
            widest = max(widest, em)
    return widest


def _needs(t: Table, pt: float) -> list[float]:
    """Each column's least width in mm at ``pt``: its widest unbreakable token and the margins."""
    em_mm = pt * 25.4 / 72
    need = []
    for j, header in enumerate(t.headers):
        texts = [(header, True)] + [(row[j].text, False) for row in t.rows if j < len(row)]
        need.append(max(_unbreakable_em(text, h) for cell_text, h in texts for text in cell_text.split("\n")) * em_mm * 1.04 + PAD_MM)
    return need


def table_size(t: Table, block_mm: float) -> float:
    """五号 (10.5 pt), or 小五 (9 pt) when the figures would leave the names too little room."""
    return TABLE_PT if sum(_needs(t, TABLE_PT)) <= 0.7 * block_mm else SMALL_TABLE_PT


def _header_lines(text: str, width_mm: float, pt: float) -> str:
    """A header too wide for its column broken in the middle (牵头/单位), not where it runs out."""
    if "\n" in text or _em(text) * pt * 25.4 / 72 * 1.04 + PAD_MM <= width_mm or len(text) < 3:
        return text
    half = (len(text) + 1) // 2
    return text[:half] + "\n" + text[half:]


def _token_lines(text: str, width_mm: float, pt: float) -> str:
    """A cell of figures too long for one line (-30亿元 (-21.43个百分点)) broken between its
    tokens: Word and LibreOffice fill a line greedily and would break inside the CJK of a token.
    A cell holding a longer run of words (a name) is left to wrap as it will."""
    room = (width_mm - PAD_MM) / (pt * 25.4 / 72 * 1.04)  # in ems
    out = []
    for line in text.split("\n"):
        parts = _pieces(line)
        short = all(_em(piece) <= _SHORT_EM for _sep, piece in parts)  # 停滞、|逾期
        if _em(line) <= room or len(parts) < 2 or not (short or any(ch.isdigit() for ch in line)):
            out.append(line)  # fits, one piece, or prose: wrapped where it will
            continue
        current = ""
        for sep, piece in parts:
            if current and _em(current + sep + piece) <= room:
                current += sep + piece
            else:
                if current:
                    out.append(current)
                current = piece
        out.append(current)
    return "\n".join(out)


def fit_widths(t: Table, block_mm: float, pt: float = TABLE_PT) -> list[float]:
    """Column widths in mm filling ``block_mm``: each at least as wide as its widest unbreakable
    token (so 1-6月, ≥43.42%, -3.40个百分点, 未报送 never break), the room left shared in the
    table's relative widths among the columns of longer text (names)."""
    need = _needs(t, pt)
    weights = [max(w, 0.001) for w in t.widths]
    if sum(need) >= block_mm:  # cannot be helped: as near as it goes
        return [block_mm * n / sum(need) for n in need]
    fixed: dict[int, float] = {}
    while True:
        free = [j for j in range(len(need)) if j not in fixed]
        room = block_mm - sum(fixed.values())
        share = sum(weights[j] for j in free)
        grown = [j for j in free if room * weights[j] / share < need[j]]
        if not grown:
            return [fixed[j] if j in fixed else room * weights[j] / share for j in range(len(need))]
        for j in grown:
            fixed[j] = need[j]


def _page_numbers(d, section) -> None:
    """"— N —" in 4号 宋体, odd pages right and even pages left, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(PAGE_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_PT)
        _no_snap(p)
        _run(p, "— ")
        _page_field(p)
        _run(p, " —")


def _run(p, text: str):
    from docx.shared import Pt

    run = p.add_run(text)
    run.font.size = Pt(PAGE_PT)
    run.font.name = PAGE_FONT
    _fonts(run._r.get_or_add_rPr(), PAGE_FONT, PAGE_FONT)
    return run


def _page_field(p) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field_char(kind: str) -> None:
        run = _run(p, "")
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        run._r.append(fc)

    field_char("begin")
    run = _run(p, "")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    field_char("separate")
    _run(p, "1")
    field_char("end")
