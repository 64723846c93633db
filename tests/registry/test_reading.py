"""Reading an upload: the same registry from UTF-8 (with or without BOM), GB18030 and .xlsx;
cells as Excel stores them; the spreadsheet's own row numbers."""

import csv
import datetime

import pytest
from openpyxl import Workbook, load_workbook

from fupin.core.reading import read_table
from fupin.registry.importer import check_file, write_plan
from fupin.registry.models import Member
from fupin.registry.template import COLUMNS
from tests.registry.factories import household_rows, registry_snapshot, write_template
from tests.registry.rollback import rolled_back

pytestmark = pytest.mark.django_db

FILES = {
    "utf-8 with BOM": ("bom.csv", "utf-8-sig"),
    "utf-8": ("plain.csv", "utf-8"),
    "gb18030": ("excel.csv", "gb18030"),
    "xlsx": ("book.xlsx", None),
}


def test_utf8_with_or_without_bom_gb18030_and_xlsx_import_the_same(world, clerk, tmp_path):
    rows = household_rows(world.village, group="甲二屯") + household_rows(world.village)
    rows[0]["name"] = "韦䶮"  # a name outside GBK: GB18030 has it, in four bytes
    rows[1]["address"] = rows[0]["address"] = rows[2]["address"] = "那马屯，“新村”12号"
    snapshots = {}
    for name, (filename, encoding) in FILES.items():
        path = write_template(tmp_path / filename, rows, encoding=encoding)
        with rolled_back():
            plan = check_file(path, user=clerk)
            assert plan.errors == [], name
            write_plan(plan, user=clerk)
            snapshots[name] = registry_snapshot()
    first = snapshots["utf-8 with BOM"]
    assert len(first["members"]) == 6
    assert first["members"][rows[0]["id_number"]]["name"] == "韦䶮"
    assert all(snapshot == first for snapshot in snapshots.values())


def test_a_gb18030_file_is_read_as_gb18030(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("户编号,姓名\r\nH1,韦文\r\n".encode("gb18030"))
    table = read_table(path)
    assert table.header == ["户编号", "姓名"]
    assert list(table.rows) == [(2, ["H1", "韦文"])]


def test_blank_lines_are_skipped_and_keep_the_row_numbers(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text(" 户编号 ,姓名\n\n H1 , 韦文 \n, \n H2,韦武\n", encoding="utf-8")
    table = read_table(path)
    assert table.header == ["户编号", "姓名"]
    # Cells come as written: the importer strips what it keeps (next test).
    assert list(table.rows) == [(3, [" H1 ", " 韦文 "]), (5, [" H2", "韦武"])]


def test_spaces_around_cells_import_as_without_them(world, clerk, tmp_path):
    rows = household_rows(world.village)
    plain = write_template(tmp_path / "plain.csv", rows)
    with plain.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    spaced = tmp_path / "spaced.csv"
    with spaced.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [lines[0], *([f" {cell}  " for cell in line] for line in lines[1:])]
        )
    snapshots = []
    for path in (plain, spaced):
        with rolled_back():
            plan = check_file(path, user=clerk)
            assert plan.errors == []
            write_plan(plan, user=clerk)
            snapshots.append(registry_snapshot())
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]["members"]) == 3


def test_excel_numbers_and_dates_come_back_as_the_clerk_typed_them(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["收入年度", "工资性收入", "死亡或迁出日期", "党员"])
    sheet.append([2019, 1234.5, datetime.datetime(2019, 3, 1), True])
    sheet.append([2019.0, 0, datetime.date(2020, 12, 31), False])
    path = tmp_path / "typed.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert list(table.rows) == [
        (2, ["2019", "1234.5", "2019-03-01", "是"]),
        (3, ["2019", "0", "2020-12-31", "否"]),
    ]


def test_a_sheet_that_starts_lower_and_further_right_keeps_its_row_numbers(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet["C3"], sheet["D3"] = "户编号", "姓名"
    sheet["C5"], sheet["D5"] = " H1 ", "韦文"
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.header == ["", "", "户编号", "姓名"]
    assert list(table.rows) == [(5, ["", "", " H1 ", "韦文"])]


def test_an_excel_date_cell_imports_as_the_date(world, clerk, tmp_path):
    rows = household_rows(world.village)
    rows[2].update(member_status="死亡")
    path = write_template(tmp_path / "dates.xlsx", rows)
    workbook_path = tmp_path / "dated.xlsx"
    workbook = load_workbook(path)
    sheet = workbook.active
    column = [c.key for c in COLUMNS].index("departed_on") + 1
    sheet.cell(row=4, column=column, value=datetime.datetime(2019, 5, 1))
    workbook.save(workbook_path)
    plan = check_file(workbook_path, user=clerk)
    assert plan.errors == []
    write_plan(plan, user=clerk)
    assert Member.objects.get(id_number=rows[2]["id_number"]).departed_on == datetime.date(
        2019, 5, 1
    )
