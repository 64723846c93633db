"""Writing registry rows to .xlsx (openpyxl, write-only: constant memory for large files)."""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "@")


def neutralise(value: str) -> str:
    """Make text that a spreadsheet would run as a formula inert (a leading apostrophe).

    The same shapes the importer refuses: '=…', '@…', and '+' or '-' before a non-digit
    (a phone number like +86 138… stays as it is).
    """
    if value and (
        value.startswith(FORMULA_STARTS)
        or (value[0] in "+-" and len(value) > 1 and not value[1].isdigit())
    ):
        return "'" + value
    return value


def write_rows_xlsx(path: Path, headers: list[str], rows, sheet_title: str = "户籍") -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        # Every cell as text: an ID number must not become 4.5012E+17.
        sheet.append([neutralise("" if v is None else str(v)) for v in row])
    workbook.save(path)
