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
import re
import zipfile
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


def max_columns() -> int:
    return settings.FUPIN_IMPORT_MAX_COLUMNS


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
    except ImportFileError:
        handle.close()
        raise
    return Table([cell.strip() for cell in header], lines, handle.close)


def _stripped(reader, handle):
    """(row number, cells) of the lines that are not blank; a line wider than the column
    limit refuses the file (every row is padded to the header's width later)."""
    strip = str.strip
    limit = max_columns()
    try:
        for number, row in enumerate(reader, start=1):
            if len(row) > limit:
                raise ImportFileError("too_many_columns", max_columns=limit)
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

    check_xlsx_bounds(path)
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


# A cell reference as the sheet's XML writes it (`r="XFD1048576"` on a <c>, `r="7"` on a
# <row>) and the declared dimension (`<dimension ref="A1:XFD1048576"/>`).
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')
_SCAN_CHUNK = 1 << 22
_OVERLAP = 64


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _greater(limit: str, alphabet: str) -> str:
    """A pattern of the strings over `alphabet` (in its order) that stand for more than
    `limit`: longer ones (no leading zeros or A-less prefixes arise in cell references),
    or as long and greater at the first place they differ."""
    low, high = alphabet[0], alphabet[-1]
    full = f"[{low}-{high}]"
    options = [
        f"[{alphabet[1]}-{high}]{full}{{{len(limit)},}}"
        if alphabet[0] == "0"
        else f"{full}{{{len(limit) + 1},}}"
    ]
    for place, char in enumerate(limit):
        following = alphabet[alphabet.index(char) + 1 :]
        if following:
            rest = len(limit) - place - 1
            options.append(
                re.escape(limit[:place])
                + f"[{following[0]}-{high}]"
                + (f"{full}{{{rest}}}" if rest else "")
            )
    return "(?:" + "|".join(options) + ")"


def _out_of_bounds(rows: int, columns: int) -> re.Pattern:
    """Matches a cell or row reference beyond `rows` and `columns`: nothing else, so that
    a regular sheet is scanned at the speed of the regex engine, with no match at all."""
    column_over = _greater(_column_letters(columns), "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    row_over = _greater(str(rows), "0123456789")
    return re.compile(rf'\sr="(?:{column_over}[0-9]|[A-Z]{{0,3}}{row_over}")'.encode())


def _first_worksheet(archive: zipfile.ZipFile) -> str | None:
    """The XML part of the workbook's first sheet (the one the import reads)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    sheet = re.search(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]+)"', workbook)
    if not sheet:
        return None
    for relation in re.finditer(rb"<Relationship\b[^>]*>", relations):
        tag = relation.group(0)
        if re.search(rb'\bId="' + re.escape(sheet.group(1)) + rb'"', tag):
            target = re.search(rb'\bTarget="([^"]+)"', tag)
            if target:
                name = target.group(1).decode()
                return name.lstrip("/") if name.startswith("/") else f"xl/{name}"
    return None


def check_xlsx_bounds(path: Path) -> None:
    """Refuse a workbook whose first sheet declares or holds a cell beyond the row or
    column limit, before it is loaded: python-calamine allocates the whole rectangle from
    A1 to the farthest cell, so that a 1.5 KB file with a cell at XFD1048576 would ask
    for hundreds of gigabytes. The sheet's XML is read as a stream, never held whole."""
    rows, columns = max_rows() + 1, max_columns()  # + 1: the header row
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFileError("unreadable_xlsx", detail=str(error)[:200]) from None
    with archive:
        names = [_first_worksheet(archive)]
        if names[0] not in archive.namelist():  # not found: every sheet, to be safe
            names = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        pattern = _out_of_bounds(rows, columns)
        for name in names:
            with archive.open(name) as stream:
                head = stream.read(_SCAN_CHUNK)
                dimension = _DIMENSION.search(head)
                if dimension:
                    _check_dimension(dimension.group(1).decode(errors="replace"), rows, columns)
                tail = b""
                while head:
                    block = tail + head
                    if pattern.search(block):
                        _refuse_bounds(rows, columns)
                    tail = block[-_OVERLAP:]
                    head = stream.read(_SCAN_CHUNK)


def _check_dimension(ref: str, rows: int, columns: int) -> None:
    for corner in ref.upper().split(":"):
        match = re.fullmatch(r"\$?([A-Z]*)\$?([0-9]*)", corner.strip())
        if not match:
            continue
        letters, digits = match.groups()
        if (letters and _column_number(letters) > columns) or (digits and int(digits) > rows):
            _refuse_bounds(rows, columns)


def _refuse_bounds(rows: int, columns: int):
    raise ImportFileError("sheet_too_large", max_rows=rows - 1, max_columns=columns)


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
