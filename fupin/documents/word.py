"""A .docx writer for documents the offices exchange: data in, bytes out.

A document is a title and a list of blocks (headings, paragraphs, tables). Chinese text is
set in 宋体 (body) and 黑体 (headings and title) through the East Asian font slot, so Word
uses them and LibreOffice substitutes its own CJK fonts (Noto CJK) when they are missing;
Latin text uses Times New Roman. A4, official-document margins, first lines indented two
characters as Chinese documents are.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from fupin.documents.text import xml_safe

BODY_FONT = ("Times New Roman", "宋体")
HEADING_FONT = ("Times New Roman", "黑体")
BODY_SIZE = Pt(12)
LANGUAGE_TAGS = {"zh": "zh-CN", "en": "en-GB"}
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (headings 一、二、…)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else _DIGITS[tens]) + "十" if tens else ""
    return text + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    indent: bool = True  # first line indented two characters
    align: str = "justify"  # justify | left | center | right


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    footer: Sequence[str] | None = None  # a total row, in bold
    numeric: frozenset[int] = frozenset()  # right-aligned columns
    widths_cm: Sequence[float] = ()
    row_height_cm: float | None = None  # at least this tall (room to sign on paper)


@dataclass(frozen=True)
class Document:
    title: str
    blocks: Sequence = field(default_factory=list)
    subtitle: str = ""
    language: str = "zh"  # zh | en
    landscape: bool = False


def _set_fonts(element_rpr_owner, fonts: tuple[str, str], language: str) -> None:
    rpr = element_rpr_owner.get_or_add_rPr()
    fonts_el = rpr.find(qn("w:rFonts"))
    if fonts_el is None:
        fonts_el = OxmlElement("w:rFonts")
        rpr.insert(0, fonts_el)
    latin, east_asian = fonts
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts_el.set(qn(slot), latin)
    fonts_el.set(qn("w:eastAsia"), east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE_TAGS.get(language, "en-GB"))
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(document, name: str, fonts, size, language: str, bold=None) -> None:
    style = document.styles[name]
    style.font.size = size
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    style.font.italic = False
    _set_fonts(style.element, fonts, language)


def _page(document, landscape: bool) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


_ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _paragraph(document, block: Paragraph, language: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = _ALIGN[block.align]
    if block.indent:
        paragraph.paragraph_format.first_line_indent = BODY_SIZE * 2
    paragraph.paragraph_format.line_spacing = 1.5
    run = paragraph.add_run(xml_safe(block.text))
    run.bold = block.bold


def _cell(cell, text: str, *, bold=False, right=False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(xml_safe(text))
    if bold:  # a plain cell inherits the table's weight: one XML lookup fewer per cell
        run.bold = True
    run.font.size = Pt(10.5)


def _table(document, block: Table) -> None:
    rows = list(block.rows) + ([block.footer] if block.footer else [])
    table = document.add_table(rows=1 + len(rows), cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # A row's cells are looked up once (python-docx walks the row's XML for each lookup).
    table_rows = [(row, row.cells) for row in table.rows]
    for column, text in enumerate(block.header):
        _cell(table_rows[0][1][column], text, bold=True)
    # The header row repeats on every page a table runs onto, and no row breaks across
    # pages (a member's or a signer's row stays whole).
    for row, _cells in table_rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    table_rows[0][0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for index, row in enumerate(rows, start=1):
        is_footer = block.footer is not None and index == len(rows)
        cells = table_rows[index][1]
        for column, text in enumerate(row):
            _cell(cells[column], str(text), bold=is_footer, right=column in block.numeric)
    if block.row_height_cm:
        for row, _cells in table_rows[1:]:
            row.height = Cm(block.row_height_cm)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    if block.widths_cm:
        # Word reads the cells' widths, LibreOffice the grid's: set both.
        table.autofit = False
        for column, width in enumerate(block.widths_cm):
            table.columns[column].width = Cm(width)
        for _row, cells in table_rows:
            for column, width in enumerate(block.widths_cm):
                cells[column].width = Cm(width)
    document.add_paragraph()


def render_docx(spec: Document) -> bytes:
    document = new_document()
    _page(document, spec.landscape)
    _style(document, "Normal", BODY_FONT, BODY_SIZE, spec.language)
    _style(document, "Title", HEADING_FONT, Pt(20), spec.language, bold=True)
    for level, size in ((1, Pt(15)), (2, Pt(13)), (3, Pt(12))):
        _style(document, f"Heading {level}", HEADING_FONT, size, spec.language, bold=True)
    document.core_properties.title = spec.title
    document.core_properties.language = LANGUAGE_TAGS.get(spec.language, "en-GB")
    title = document.add_paragraph(xml_safe(spec.title), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if spec.subtitle:
        document.add_paragraph(xml_safe(spec.subtitle)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in spec.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            _paragraph(document, block, spec.language)
        elif isinstance(block, Table):
            _table(document, block)
        else:
            raise TypeError(f"Not a document block: {block!r}")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
