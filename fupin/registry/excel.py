"""Writing registry rows to .xlsx: the shared print setup (fupin.documents.sheets), streamed.

The header stays the sheet's first row, so that the export imports again as it is: the title
and the date it was made are in the printed page header and footer instead.
"""

import datetime
from pathlib import Path

from fupin.documents import sheets
from fupin.documents.sheets import FORMULA_STARTS, looks_like_formula, neutralise

__all__ = ["FORMULA_STARTS", "looks_like_formula", "neutralise", "write_rows_xlsx"]


def write_rows_xlsx(
    path: Path,
    headers: list[str],
    rows,
    sheet_title: str = "户籍",
    *,
    title: str | None = None,
    made_on: datetime.date | None = None,
) -> None:
    book = sheets.new_workbook()
    sheets.add_sheet(
        book,
        sheet_title,
        title=title or sheet_title,
        made_on=made_on or datetime.date.today(),
        columns=[sheets.Column(text) for text in headers],
        # Every cell as text: an ID number must not become 4.5012E+17.
        rows=(["" if v is None else str(v) for v in row] for row in rows),
        title_row=False,
    )
    book.save(path)
