"""What every file import tells its user: the messages all imports share (the file as a whole,
plain cells), one row-error type, and the lookup of a code's message across the tables that
each import registers (`register_messages`), in the user's language."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SHARED_MESSAGES = {
    # the file as a whole
    "empty_file": _("The file is empty."),
    "no_rows": _("The file has a header row but no data rows."),
    "too_large": _(
        "The file is %(size_mb)s MB; files up to %(max_mb)s MB can be imported. "
        "Split it by village."
    ),
    "too_many_rows": _("The file has more than %(max_rows)s rows. Split it by village."),
    "unknown_format": _("Files of type %(suffix)s cannot be imported: use .xlsx or .csv."),
    "unreadable_xlsx": _("The Excel file cannot be read (%(detail)s)."),
    "wrong_encoding": _(
        "The file is not in UTF-8 or GB18030 encoding. Save it from Excel as "
        "'CSV UTF-8' or as .xlsx."
    ),
    "missing_columns": _("Required columns are missing: %(columns)s."),
    # one cell
    "required": _("A value is required."),
    "too_long": _("Longer than %(max)s characters."),
    "bad_choice": _("Not one of: %(allowed)s."),
    "formula_like": _("Text may not start like a spreadsheet formula (=, +, -, @)."),
}

_tables: list[dict] = [SHARED_MESSAGES]


def register_messages(table: dict) -> None:
    """Add an import's own codes; a code means one thing wherever it is used."""
    _tables.append(table)


def message(code: str, params: dict | None = None) -> str:
    for table in reversed(_tables):
        if code in table:
            text = str(table[code])
            return text % params if params else text
    raise KeyError(code)


@dataclass(frozen=True)
class RowError:
    """One error of an imported file: its row, the column's key ("" for the whole row or
    household), the cell as written, and the reason's code and parameters."""

    row: int
    column: str
    value: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return message(self.code, self.params)
