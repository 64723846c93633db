"""Reading an uploaded file into header + rows, whatever Excel or a clerk made of it: one
reader for every import (registry, exclusion lists, areas, users).

CSV in UTF-8 (with or without BOM) or GB18030 (what Chinese Excel writes), and .xlsx (read
with python-calamine, which is several times faster than openpyxl). Every cell comes back as
a string, as written: the importer strips what it keeps (stripping a million rows' every
cell here would cost more than parsing them); the header is stripped. Row numbers are the
spreadsheet's own (the header is row 1).
"""

import codecs
import csv
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings


class ImportFileError(Exception):
    """The file as a whole cannot be read. `code` picks the message (fupin.core.import_errors)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    header: list[str]
    # (spreadsheet row number, cells), read lazily: a million-row file is never held whole
    rows: Iterator[tuple[int, list[str]]]
    # Lets the file go before every row is read (closing twice does no harm).
    close: Callable[[], None] = lambda: None


def max_bytes() -> int:
    return settings.FUPIN_IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.FUPIN_IMPORT_MAX_ROWS


def read_table(path: Path) -> Table:
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError("empty_file")
    if size > max_bytes():
        # The size rounded up: a file just over a 300 MB limit is "301 MB", not "300 MB".
        size_mb = -(-size // 2**20)
        raise ImportFileError("too_large", size_mb=size_mb, max_mb=max_bytes() // 2**20)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix in {".xlsx", ".xlsm"}:
        table = _read_xlsx(path)
    else:
        raise ImportFileError("unknown_format", suffix=suffix or "?")
    table.rows = _limited(table.rows)
    return table


def _limited(rows):
    limit = max_rows()
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 - count is used after the loop
        if count > limit:
            raise ImportFileError("too_many_rows", max_rows=limit)
        yield row
    if count == 0:
        raise ImportFileError("no_rows")


# How much of a CSV file decides its encoding: enough for thousands of rows, each with a
# name in Chinese characters, which GB18030 writes as bytes that are not valid UTF-8.
SNIFF_BYTES = 1 << 20


def _encoding(path: Path) -> str:
    """UTF-8 (a BOM is dropped) if the file's beginning decodes as UTF-8, else GB18030, which
    Chinese Excel writes (a superset of GBK and GB2312). Anything else is refused; so is a
    file that turns out not to be UTF-8 further on (reading it raises wrong_encoding)."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
        whole = not handle.read(1)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise ImportFileError("wrong_encoding")  # UTF-16, as "Unicode text" from Excel
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=whole)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ImportFileError("wrong_encoding")


def _read_csv(path: Path) -> Table:
    encoding = _encoding(path)
    handle = path.open(encoding=encoding, newline="")
    lines = _stripped(csv.reader(handle), handle)
    try:
        _number, header = next(lines)
    except StopIteration:
        handle.close()
        raise ImportFileError("empty_file") from None
    return Table([cell.strip() for cell in header], lines, handle.close)


def _stripped(reader, handle):
    """(row number, cells) of the lines that are not blank."""
    strip = str.strip
    try:
        for number, row in enumerate(reader, start=1):
            if not row or not row[0].strip():  # blank, unless another cell is not
                row = list(map(strip, row))
            if any(row):
                yield number, row
    except (UnicodeDecodeError, csv.Error):
        raise ImportFileError("wrong_encoding") from None
    finally:
        handle.close()


def _read_xlsx(path: Path) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()  # Python objects a row at a time, not the whole sheet's
        first_column = (sheet.start or (0, 0))[1]
    except Exception as error:  # calamine raises its own types for broken files
        raise ImportFileError("unreadable_xlsx", detail=str(error)[:200]) from None
    # The rows come from the sheet's first row, but their cells from its first used column:
    # padded back, so that columns are where the clerk sees them.
    padding = [""] * first_column

    def cells(row):
        # A row of text only (most of them) is kept as it is: converting it cell by cell
        # would cost four times as much as asking which types it holds.
        if set(map(type, row)) != {str}:
            row = [value if type(value) is str else _cell(value) for value in row]
        return padding + row if padding else row

    lines = (
        (number, row)
        for number, row in enumerate(map(cells, rows), start=1)
        if any(row) and (row[0].strip() or any(map(str.strip, row)))
    )
    try:
        _number, header = next(lines)
    except StopIteration:
        raise ImportFileError("empty_file") from None
    return Table([cell.strip() for cell in header], lines)


# Marks a cell Excel stored as a number of more than 15 digits, whose last digits it has
# already lost (an ID number typed into a General column: 4.50123E+17). No cell of a CSV
# file can hold it (csv refuses NUL), so the mark says where the cell came from.
LOST_DIGITS = "\x00"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15:
        # The 15 digits Excel kept, and zeros: as Excel shows the number, not as the
        # binary float rounds it (450124198903038976).
        return LOST_DIGITS + str(int(Decimal(format(value, ".15g"))))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 2019 as 2019.0
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)
