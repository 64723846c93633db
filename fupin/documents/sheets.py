"""One print setup for every .xlsx that an office prints (ledger, registry export, data-quality
list, and the sheets later capabilities add): pure, data in, workbook out.

`add_sheet(book, …)` writes one table into a write-only openpyxl workbook (constant memory,
so a county's export streams) and sets it up for printing:

- a title row and the date it was made above the header (or, with `title_row=False` for a
  sheet that must import again as it is, in the printed page header only);
- the header row bold, on a grey ground, repeated at the top of every printed page, and
  frozen on screen;
- thin borders round every cell of the table, totals rows bold;
- column widths measured on the header and the first rows in display columns (a Chinese
  character is two: `display_width`), within bounds;
- A4, fit to one page wide (as many pages tall as it needs), landscape when the columns are
  wider than a portrait page holds, the title and "page N of M" on every page.

Every cell goes through `_cell`: the one place a value becomes a spreadsheet cell (text that
would run as a formula is made inert there; a cleaner of characters a workbook cannot hold
belongs there too).

Check the result as printed: docs/printing.md (LibreOffice to PDF, then to images).
"""

import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from fupin.documents.text import xml_safe

# A portrait A4 page, at 100 %, within narrow margins, holds about this many display
# columns of Calibri 11 (LibreOffice and Excel alike): wider tables print landscape.
PORTRAIT_COLUMNS = 95
MIN_WIDTH, MAX_WIDTH = 6, 40
# Column widths are measured on the header and this many rows (the rest stream after).
MEASURED_ROWS = 500
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"

# A tab or carriage return first is dropped by some spreadsheets, which then run what follows.
FORMULA_STARTS = ("=", "@", "\t", "\r")
# After a leading + or -, only a phone number or a number is left as it is: a spreadsheet
# runs "-2+3+cmd|' /C calc'!A0" (a digit after the sign) as a formula too.
NUMBER_LIKE = re.compile(r"[+-][\d\s().-]*")


def looks_like_formula(value: str) -> bool:
    """Whether a spreadsheet would run `value` as a formula: '=…', '@…', a tab or carriage
    return first, or '+' / '-' before anything but a phone number (+86 138 0000 0000) or a
    number (-1.5)."""
    return bool(value) and (
        value.startswith(FORMULA_STARTS) or (value[0] in "+-" and not NUMBER_LIKE.fullmatch(value))
    )


def display_width(text: str) -> int:
    """Columns `text` takes on screen and paper: two for a wide (East Asian) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def neutralise(value):
    """Text a spreadsheet would run as a formula is kept as text (a leading apostrophe).
    Numbers, dates and phone numbers (+86 …) or negative numbers written as text stay."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


@dataclass
class Column:
    header: str
    # An Excel number format for the column's numbers or dates ("" for text as it is).
    number_format: str = ""
    # A fixed width (display columns) instead of the measured one.
    width: float | None = None


@dataclass
class Printed:
    """What `add_sheet` wrote, for tests and callers: where the header and table are."""

    header_row: int
    first_row: int
    last_row: int
    widths: list[float] = field(default_factory=list)
    landscape: bool = False


def new_workbook() -> Workbook:
    book = Workbook(write_only=True)
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    styles = {
        "fupin-title": NamedStyle("fupin-title", font=Font(bold=True, size=14)),
        "fupin-made": NamedStyle("fupin-made", font=Font(size=9, color="404040")),
        "fupin-header": NamedStyle(
            "fupin-header",
            font=Font(bold=True),
            border=border,
            fill=PatternFill("solid", fgColor="E8E8E8"),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        ),
    }
    for style in styles.values():
        book.add_named_style(style)
    book._fupin_border = border  # noqa: SLF001 - the body styles below are made on demand
    book._fupin_styles = set(styles)  # noqa: SLF001
    return book


def _style(book: Workbook, bold: bool, number_format: str) -> str:
    name = f"fupin-{'total' if bold else 'body'}-{number_format or 'general'}"
    if name not in book._fupin_styles:  # noqa: SLF001
        book.add_named_style(
            NamedStyle(
                name,
                font=Font(bold=bold),
                border=book._fupin_border,  # noqa: SLF001
                number_format=number_format or "General",
                alignment=Alignment(vertical="top", wrap_text=True),  # nothing cut off on paper
            )
        )
        book._fupin_styles.add(name)  # noqa: SLF001
    return name


def _prepared(sheet, name: str):
    """A named style as the cell's style array: made once a column, shared by its cells (a
    named style set on each of a million cells costs as much again as writing them)."""
    prototype = WriteOnlyCell(sheet)
    prototype.style = name
    return prototype._style  # noqa: SLF001


def _cell(sheet, value, style) -> WriteOnlyCell:
    """The one place a value becomes a cell. None is an empty cell; a Decimal stays a number;
    text that would run as a formula is made inert, and what XML cannot hold (stored text
    with a vertical tab) is dropped, so no stored text stops a workbook. `style` comes from
    `_prepared`."""
    cell = WriteOnlyCell(sheet, value=xml_safe(neutralise(value)))
    cell._style = style  # noqa: SLF001
    return cell


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    return str(value)


def add_sheet(
    book: Workbook,
    name: str,
    *,
    title: str,
    made_on: datetime.date,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    totals: Sequence[Sequence] = (),
    title_row: bool = True,
    row_height: float | None = None,
) -> Printed:
    """Write a table (`columns` over `rows`, then bold `totals` rows) as a sheet set up for
    printing; `rows` may be a generator of any length (only the first rows are held).
    `row_height` (points) gives every body row room, for a sheet people sign on paper."""
    sheet = book.create_sheet(name[:31])
    rows = iter(rows)
    measured = list(itertools.islice(rows, MEASURED_ROWS))
    widths = []
    for index, column in enumerate(columns):
        if column.width:
            widths.append(column.width)
            continue
        longest = max(
            (display_width(_text(r[index])) for r in [*measured, *totals] if index < len(r)),
            default=0,
        )
        # A header wraps onto two lines before it widens a column of short values.
        header = display_width(column.header)
        wanted = max(longest, min(header, max(longest, header / 2 + 1)))
        widths.append(max(MIN_WIDTH, min(MAX_WIDTH, wanted + 2)))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    landscape = sum(widths) > PORTRAIT_COLUMNS
    made = _("Made on %(date)s") % {"date": made_on.isoformat()}

    header_row = 3 if title_row else 1
    last_column = get_column_letter(len(columns))
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _page_setup(sheet, title=title, made=made, landscape=landscape)

    if title_row:
        sheet.append([_cell(sheet, title, _prepared(sheet, "fupin-title"))])
        sheet.append([_cell(sheet, made, _prepared(sheet, "fupin-made"))])
    header = _prepared(sheet, "fupin-header")
    sheet.append([_cell(sheet, column.header, header) for column in columns])
    body = [_prepared(sheet, _style(book, False, column.number_format)) for column in columns]
    count = 0
    for row in itertools.chain(measured, rows):
        if row_height:
            sheet.row_dimensions[header_row + count + 1].height = row_height
        sheet.append([_cell(sheet, value, body[i]) for i, value in enumerate(row)])
        count += 1
    bold = [_prepared(sheet, _style(book, True, column.number_format)) for column in columns]
    for row in totals:
        padded = [*row, *[None] * (len(columns) - len(row))]
        sheet.append([_cell(sheet, value, bold[i]) for i, value in enumerate(padded)])
        count += 1
    last_row = header_row + count
    sheet.print_area = f"A1:{last_column}{max(last_row, header_row)}"
    return Printed(header_row, header_row + 1, last_row, widths, landscape)


def _page_setup(sheet, *, title: str, made: str, landscape: bool) -> None:
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.25
    # "&" starts a code in a header: a title holding one is written as "&&".
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddHeader.center.size = 10
    sheet.oddFooter.left.text = made.replace("&", "&&")
    sheet.oddFooter.right.text = _("Page %(page)s of %(pages)s") % {"page": "&P", "pages": "&N"}
    sheet.oddFooter.left.size = sheet.oddFooter.right.size = 8


def save(book: Workbook, target) -> None:
    """Save to a path or a binary file."""
    book.save(target)
