"""The import error report as .xlsx, in the language active when it is written."""

from pathlib import Path

from django.utils.translation import gettext as _

from fupin.registry.excel import write_rows_xlsx
from fupin.registry.template import column_title


def write_error_report(errors, path: Path) -> None:
    headers = [_("Row"), _("Column"), _("Value"), _("Reason")]
    rows = ([error.row, column_title(error.column), error.value, error.text] for error in errors)
    write_rows_xlsx(path, headers, rows, sheet_title=_("Errors"))
