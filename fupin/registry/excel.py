"""Writing registry rows to .xlsx (openpyxl, write-only: constant memory for large files)."""

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from fupin.documents.text import xml_safe

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


def neutralise(value: str) -> str:
    """Make text that a spreadsheet would run as a formula inert (a leading apostrophe).
    The one guard for every cell Fupin writes to .xlsx or .csv: export, error reports, the
    import template, the project ledger."""
    return "'" + value if looks_like_formula(value) else value


def write_rows_xlsx(path: Path, headers: list[str], rows, sheet_title: str = "户籍") -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=xml_safe(text))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        # Every cell as text: an ID number must not become 4.5012E+17.
        sheet.append([xml_safe(neutralise("" if v is None else str(v))) for v in row])
    workbook.save(path)
