"""The import error report as .xlsx, in the language active when it is written."""

from pathlib import Path

from django.utils.translation import gettext as _

from fupin.registry.excel import write_rows_xlsx
from fupin.registry.template import column_title


def write_error_report(errors, path: Path, title=column_title) -> None:
    """The errors as a sheet; `title` names a column by its key (the registry template's
    by default)."""
    headers = [_("Row"), _("Column"), _("Value"), _("Reason")]
    rows = ([error.row, title(error.column), error.value, error.text] for error in errors)
    write_rows_xlsx(path, headers, rows, sheet_title=_("Errors"))
