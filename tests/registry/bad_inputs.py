"""Every bad input an import must refuse, one case per error code of fupin.registry.errors.

A case changes a good file — household N (rows 2–4: head, spouse, child, new) followed by
household E (rows 5–7, already imported, unchanged) — or writes a broken file of its own.
It names the code, and for a row error the row and column the report must point at.
tests/registry/test_importer.py checks the codes, rows and columns; the command's and the
upload's tests check that each is reported in words and that nothing is written.
"""

import csv
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fupin import idnumbers
from tests.registry.factories import household_rows, make_household, person_id, write_template

N_HEAD, N_SPOUSE, N_CHILD, E_HEAD = 2, 3, 4, 5  # spreadsheet rows (the header is row 1)


@dataclass(frozen=True)
class Bad:
    id: str
    code: str
    row: int | None = None  # None: the file as a whole is refused
    column: str = ""
    change: Callable | None = None  # (rows, existing) -> None, on the good rows
    write: Callable | None = None  # (folder, rows) -> Path, a file of its own
    settings: dict = field(default_factory=dict)
    params: dict | None = None  # a file error's message parameters


def good_rows(world, existing) -> list[dict]:
    return household_rows(world.village) + [dict(row) for row in existing.e]


def build(case: Bad, world, existing, folder: Path) -> Path:
    rows = good_rows(world, existing)
    if case.write:
        return case.write(folder, rows)
    case.change(rows, existing)
    return write_template(folder / f"{case.id}.csv", rows)


def on_household(**values):
    """Set household (or income) columns of household N on all its rows."""

    def change(rows, existing):
        for row in rows[:3]:
            row.update(values)

    return change


def on_row(row_number, **values):
    def change(rows, existing):
        rows[row_number - 2].update(values)

    return change


def with_check_digit(body17: str) -> str:
    return body17 + idnumbers.ric.calc_check_digit(body17 + "0")


def mistyped(number: str) -> str:
    """The number with its check digit wrong."""
    return number[:17] + ("0" if number[17] != "0" else "1")


def bytes_file(name: str, data: bytes):
    def write(folder, rows):
        path = folder / name
        path.write_bytes(data)
        return path

    return write


def encoded(name: str, encoding: str):
    """The good file in another encoding. Latin-1 cannot hold Chinese: there the file has
    the English keys, '?' for Chinese letters and a name with é, which no GB18030 file has
    before a comma."""

    def write(folder, rows):
        for row in rows:
            row["name"] = "José"
        if encoding == "latin-1":
            path = write_template(folder / "keys.csv", rows, encoding="utf-8", header="key")
            data = path.read_text(encoding="utf-8").encode("latin-1", errors="replace")
        else:
            path = write_template(folder / "utf8.csv", rows, encoding="utf-8")
            data = path.read_text(encoding="utf-8").encode(encoding)
        target = folder / name
        target.write_bytes(data)
        return target

    return write


def header_only(folder, rows):
    return write_template(folder / "header-only.csv", [])


def without_id_column(folder, rows):
    with write_template(folder / "all.csv", rows).open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    position = lines[0].index("身份证号码")
    path = folder / "no-id.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(line[:position] + line[position + 1 :] for line in lines)
    return path


def replace_e_head(rows, existing):
    rows[E_HEAD - 2].update(name="韦新户主", id_number=person_id())


def copy_id(source_row: int, target_row: int):
    def change(rows, existing):
        rows[target_row - 2]["id_number"] = rows[source_row - 2]["id_number"]

    return change


def id_typed_into_a_number_cell(folder, rows):
    """The good file as .xlsx, the child's ID number stored as a number: Excel keeps 15
    digits, so the cell holds 450123198005010000 where the clerk typed ...0112."""
    from openpyxl import load_workbook

    while rows[N_CHILD - 2]["id_number"].endswith("X"):
        rows[N_CHILD - 2]["id_number"] = person_id()
    path = write_template(folder / "number-id.xlsx", rows)
    workbook = load_workbook(path)
    sheet = workbook.active
    at = [cell.value for cell in sheet[1]].index("身份证号码") + 1
    typed = int(rows[N_CHILD - 2]["id_number"])
    sheet.cell(row=N_CHILD, column=at).value = float(f"{typed:.14e}")  # 15 digits kept
    workbook.save(path)
    return path


def id_of_f(rows, existing):
    rows[N_CHILD - 2]["id_number"] = existing.f[0]["id_number"]


def outside_household():
    """A household the registry holds in village B1, outside the clerk's county."""
    from fupin.core.models import Area

    return make_household(Area.objects.get(code="450102001001"))


def number_of_outside_household(rows, existing):
    number = outside_household().household_no
    for row in rows[:3]:
        row["household_no"] = number


def id_of_outside_person(rows, existing):
    rows[N_CHILD - 2]["id_number"] = outside_household().members.first().id_number


def mistype_spouse(rows, existing):
    rows[N_SPOUSE - 2]["id_number"] = mistyped(rows[N_SPOUSE - 2]["id_number"])


FUTURE = datetime.date.today().year + 50

# One case a line or two, like a table.
# fmt: off

def far_cell_xlsx(path, rows):
    """The template's rows, and a stray value at XFD1048576 (Excel's last cell)."""
    from openpyxl import load_workbook

    write_template(path, rows)
    workbook = load_workbook(path)
    workbook.active["XFD1048576"] = "x"
    workbook.save(path)
    return path


def wide_csv(path):
    path.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n1\n", encoding="utf-8")
    return path


CASES = [
    # the file as a whole
    Bad("empty", "empty_file", write=bytes_file("empty.csv", b"")),
    Bad("only-bom", "empty_file", write=bytes_file("bom.csv", b"\xef\xbb\xbf\r\n")),
    Bad("header-only", "no_rows", write=header_only),
    Bad(
        "oversized",
        "too_large",
        write=lambda folder, rows: write_template(folder / "big.csv", rows),
        settings={"FUPIN_IMPORT_MAX_BYTES": 1000},
        params={"size_mb": 1, "max_mb": 0},
    ),
    Bad(
        "too-many-rows",
        "too_many_rows",
        write=lambda folder, rows: write_template(folder / "long.csv", rows),
        settings={"FUPIN_IMPORT_MAX_ROWS": 5},
        params={"max_rows": 5},
    ),
    Bad(
        "xls",
        "unknown_format",
        write=bytes_file("old.xls", b"\xd0\xcf\x11\xe0"),
        params={"suffix": ".xls"},
    ),
    Bad(
        "far-cell-xlsx",
        "sheet_too_large",
        write=lambda folder, rows: far_cell_xlsx(folder / "far.xlsx", rows),
        params={"max_rows": 2_000_000, "max_columns": 200},
    ),
    Bad(
        "wide-csv",
        "too_many_columns",
        write=lambda folder, rows: wide_csv(folder / "wide.csv"),
        params={"max_columns": 200},
    ),
    Bad("broken-xlsx", "unreadable_xlsx", write=bytes_file("broken.xlsx", b"PK\x03\x04 nope")),
    Bad("utf-16", "wrong_encoding", write=encoded("utf16.csv", "utf-16"), params={}),
    Bad("utf-16-le", "wrong_encoding", write=encoded("utf16le.csv", "utf-16-le"), params={}),
    Bad("latin-1", "wrong_encoding", write=encoded("latin1.csv", "latin-1"), params={}),
    Bad(
        "missing-column",
        "missing_columns",
        write=without_id_column,
        params={"columns": "身份证号码"},
    ),
    # one cell
    Bad("no-name", "required", N_SPOUSE, "name", on_row(N_SPOUSE, name="")),
    Bad(
        "esc-in-address",
        "control_character",
        N_HEAD,
        "address",
        on_household(address="那马屯\x1b12号"),
        params={"char": "U+001B"},
    ),
    Bad("long-address", "too_long", N_HEAD, "address", on_household(address="路" * 201)),
    Bad("wage-in-words", "not_a_number", N_HEAD, "wage", on_household(wage="六千")),
    Bad("half-month", "not_a_whole_number", N_CHILD, "migrant_months",
        on_row(N_CHILD, migrant_months="3.5")),
    Bad("negative-wage", "negative", N_HEAD, "wage", on_household(wage="-100")),
    Bad("wage-too-large", "amount_too_large", N_HEAD, "wage",
        on_household(wage="10000000000")),
    Bad("year-1900", "not_a_year", N_HEAD, "year_registered",
        on_household(year_registered="1900")),
    Bad("unknown-status", "bad_choice", N_HEAD, "status", on_household(status="贫困")),
    Bad("maybe", "bad_bool", N_HEAD, "dibao", on_household(dibao="也许")),
    Bad("date-in-words", "bad_date", N_CHILD, "departed_on",
        on_row(N_CHILD, member_status="死亡", departed_on="去年")),
    Bad("formula-equals", "formula_like", N_HEAD, "name",
        on_row(N_HEAD, name='=HYPERLINK("http://example.com","点击")')),
    Bad("formula-at", "formula_like", N_HEAD, "address",
        on_household(address="@SUM(1+1)*cmd|' /C calc'!A0")),
    Bad("formula-plus", "formula_like", N_SPOUSE, "migrant_place",
        on_row(N_SPOUSE, migrant_place="+cmd|' /C calc'!A0")),
    Bad("formula-minus", "formula_like", N_CHILD, "ethnicity",
        on_row(N_CHILD, ethnicity="-cmd")),
    Bad("id-too-short", "id_length", N_SPOUSE, "id_number",
        on_row(N_SPOUSE, id_number="45012319800501")),
    Bad("id-letters", "id_format", N_SPOUSE, "id_number",
        on_row(N_SPOUSE, id_number="4501231980050112AX")),
    Bad("id-check-digit", "id_checksum", N_SPOUSE, "id_number", mistype_spouse),
    Bad("id-30-february", "id_birth_date", N_SPOUSE, "id_number",
        on_row(N_SPOUSE, id_number=with_check_digit("45012319910230001"))),
    Bad("id-born-later", "id_future", N_SPOUSE, "id_number",
        on_row(N_SPOUSE, id_number=with_check_digit(f"450123{FUTURE}0101001"))),
    Bad("id-no-county", "id_region", N_SPOUSE, "id_number",
        on_row(N_SPOUSE, id_number=with_check_digit("99999919800501001"))),
    Bad("unknown-village", "unknown_village", N_HEAD, "village_code",
        on_household(village_code="450101001099")),
    Bad("short-village-code", "unknown_village", N_HEAD, "village_code",
        on_household(village_code="4501010010")),
    Bad("other-village", "village_outside_area", N_HEAD, "village_code",
        on_household(village_code="450101001002")),
    Bad("unknown-group", "unknown_group", N_HEAD, "group", on_household(group="第九屯")),
    Bad("disability-grade-5", "out_of_range", N_SPOUSE, "disability_grade",
        on_row(N_SPOUSE, health="残疾", disability_grade="5")),
    Bad("migrant-13-months", "out_of_range", N_SPOUSE, "migrant_months",
        on_row(N_SPOUSE, migrant_months="13")),
    # across rows
    Bad("conflicting-address", "household_conflict", N_SPOUSE, "address",
        on_row(N_SPOUSE, address="别处")),
    Bad("conflicting-status", "household_conflict", N_CHILD, "status",
        on_row(N_CHILD, status="已脱贫户", year_exited="2019")),
    Bad("conflicting-income", "income_conflict", N_CHILD, "income_year",
        on_row(N_CHILD, wage="7000")),
    Bad("no-head", "no_head", N_HEAD, "relation", on_row(N_HEAD, relation="配偶")),
    Bad("two-heads", "two_heads", N_SPOUSE, "relation", on_row(N_SPOUSE, relation="户主")),
    Bad("stored-head-left-out", "head_not_in_file", E_HEAD, "relation", replace_e_head),
    Bad("same-id-twice", "duplicate_id", N_CHILD, "id_number", copy_id(N_SPOUSE, N_CHILD)),
    Bad("id-of-another-household", "id_in_other_household", N_CHILD, "id_number", id_of_f),
    Bad("id-stored-as-a-number", "stored_as_number", N_CHILD, "id_number",
        write=id_typed_into_a_number_cell),
    Bad("id-of-someone-outside-the-area", "id_outside_area", N_CHILD, "id_number",
        id_of_outside_person),
    Bad("number-of-a-household-outside-the-area", "household_outside_area", N_HEAD,
        "household_no", number_of_outside_household),
    Bad("cancelled-without-reason", "cancel_reason_required", N_HEAD, "cancel_reason",
        on_household(status="已注销")),
    Bad("reason-but-not-cancelled", "cancel_reason_unexpected", N_HEAD, "cancel_reason",
        on_household(cancel_reason="全户迁出")),
    Bad("registered-without-year", "year_registered_required", N_HEAD, "year_registered",
        on_household(year_registered="")),
    Bad("exited-without-year", "year_exited_required", N_HEAD, "year_exited",
        on_household(status="已脱贫户")),
    Bad("exit-before-registration", "exit_before_registration", N_HEAD, "year_exited",
        on_household(status="已脱贫户", year_exited="2015")),
    Bad("deceased-without-date", "departed_date_required", N_CHILD, "departed_on",
        on_row(N_CHILD, member_status="死亡")),
    Bad("present-with-date", "departed_date_unexpected", N_CHILD, "departed_on",
        on_row(N_CHILD, departed_on="2019-05-01")),
    Bad("income-without-year", "income_year_required", N_HEAD, "income_year",
        on_household(income_year="")),
]
# fmt: on

FILE_CASES = [case for case in CASES if case.row is None]
ROW_CASES = [case for case in CASES if case.row is not None]
