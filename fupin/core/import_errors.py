"""What every file import tells its user: the messages all imports share (the file as a whole,
plain cells), one row-error type, and the lookup of a code's message across the tables that
each import registers (`register_messages`), in the user's language."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.core.text import visible_controls

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
    "sheet_too_large": _(
        "The sheet reaches beyond %(max_rows)s rows or %(max_columns)s columns (check for "
        "a stray cell far to the right or below, and delete the empty rows and columns "
        "after the data)."
    ),
    "too_many_columns": _(
        "The file has more than %(max_columns)s columns: delete the empty columns after the data."
    ),
    "missing_columns": _("Required columns are missing: %(columns)s."),
    # one cell
    "required": _("A value is required."),
    "too_long": _("Longer than %(max)s characters."),
    "bad_choice": _("Not one of: %(allowed)s."),
    "control_character": _(
        "Contains a control character (%(char)s), which text may not hold: retype the cell."
    ),
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

    def __post_init__(self):
        # The cell as the user may see it and a report or a job's result may hold it.
        object.__setattr__(self, "value", visible_controls(self.value))

    @property
    def text(self) -> str:
        return message(self.code, self.params)


class RowErrors(list):
    """The row errors of one check, at most `settings.FUPIN_IMPORT_MAX_ERRORS` of them kept:
    a file whose every cell is wrong would otherwise collect millions. Errors past the
    limit are counted in `more`, not kept; once `full`, a check stops reading the file
    (nothing will be written anyway) and the report says that there are more."""

    def __init__(self, errors=(), limit: int | None = None):
        super().__init__()
        self.limit = settings.FUPIN_IMPORT_MAX_ERRORS if limit is None else limit
        self.more = 0
        self.extend(errors)

    def append(self, error) -> None:
        if len(self) < self.limit:
            super().append(error)
        else:
            self.more += 1

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)

    def __reduce__(self):  # kept whole, with its limit, across the parsing process's pipe
        return (RowErrors, (list(self), self.limit), {"more": self.more})

    @property
    def full(self) -> bool:
        return len(self) >= self.limit


def check_upload(job, path: str, check, **params):
    """An import job's first step: `check(upload, **params)` reads the uploaded file, the job's
    page saying so; an unreadable file fails the job with its reason; the upload (it may hold
    full ID numbers) is removed once read, whether it is imported, refused or unreadable."""
    from fupin.core.jobs import JobError, job_progress
    from fupin.core.reading import ImportFileError

    upload = Path(path)
    job_progress(job, done=0, message=str(_("Checking the file")))
    try:
        return check(upload, **params)
    except ImportFileError as error:
        raise JobError(message(error.code, error.params)) from None
    finally:
        upload.unlink(missing_ok=True)


def refusal(errors) -> str:
    """What a refused import says: how many errors, or that the check stopped at the limit."""
    if getattr(errors, "full", False):
        return str(
            _(
                "Nothing was imported: the check stopped after the first %(n)s errors. "
                "Correct them and import the file again."
            )
            % {"n": len(errors)}
        )
    return str(_("Nothing was imported: the file has %(n)s errors.") % {"n": len(errors)})


def write_error_report(errors, path, title) -> None:
    """The errors as one sheet (row, column, value, reason) in the active language, with the
    shared print setup; `title` names a column by its key. Every cell is text, as written."""
    import datetime

    from fupin.documents import sheets

    headers = [_("Row"), _("Column"), pgettext_lazy("cell", "Value"), _("Reason")]
    book = sheets.new_workbook()
    sheets.add_sheet(
        book,
        str(_("Errors")),
        title=str(_("Errors")),
        made_on=datetime.date.today(),
        columns=[sheets.Column(str(text)) for text in headers],
        rows=([str(e.row), str(title(e.column)), e.value, e.text] for e in errors),
        title_row=False,  # the header first, as the file that was refused has it
    )
    sheets.save(book, path)


def refuse(job, errors, *, title, report_name="", shown=50, text="", **result) -> NoReturn:
    """A refused file: the job fails (nothing was written) with `text` (`refusal` by default),
    its result keeps the first `shown` errors for the job's page (core/_refused_import.html)
    and, given `report_name`, a report of every error to download; `result` adds to it."""
    from fupin.core.jobs import JobError, job_file_path, job_file_result

    result = {
        "refused": True,
        "errors": len(errors),
        "stopped": getattr(errors, "full", False),
        **result,
        "first_errors": [
            {"row": e.row, "column": title(e.column), "value": e.value, "reason": e.text}
            for e in errors[:shown]
        ],
    }
    if report_name:
        report = job_file_path(job, report_name)
        write_error_report(errors, report, title)
        result = job_file_result(job, report, **result)
    raise JobError(text or refusal(errors), result=result)


def command_refuse(stderr, errors, title, *, said: str, shown: int | None = None) -> NoReturn:
    """A refused file on a command's standard error: a line of each error (the first `shown`;
    row, column by `title`, value, reason), then a CommandError (exit status 1) that counts
    them and `said` what was not done."""
    from django.core.management.base import CommandError

    for error in errors[:shown]:
        stderr.write(f"row {error.row}\t{title(error.column)}\t{error.value}\t{error.text}")
    raise CommandError(f"{len(errors)} errors: {said}")
