"""The one-time passwords of a bulk creation, as the file an administrator hands out."""

import csv
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook


def write_passwords(path: Path, made: list[tuple]) -> None:
    """(username, full name, password) rows as .xlsx or .csv (by the name), owner-only."""
    path = Path(path)
    header = [_("Username"), _("Full name"), _("One-time password")]
    if path.suffix.lower() == ".csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(made)
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = _("One-time passwords")
        sheet.append(header)
        for row in made:
            sheet.append(list(row))
        sheet.column_dimensions["A"].width = 20
        sheet.column_dimensions["B"].width = 16
        sheet.column_dimensions["C"].width = 18
        book.save(path)
    path.chmod(0o600)
