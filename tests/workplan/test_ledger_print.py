"""The ledger as printed: the shared print setup (fupin.documents.sheets) on both sheets."""

import io
from datetime import date

import openpyxl
import pytest

from fupin.core.demo import load_demo
from fupin.workplan import documents
from fupin.workplan.models import AnnualPlan, Expenditure
from fupin.workplan.selectors import plan_projects

TODAY = date(2026, 11, 28)


@pytest.fixture
def ledger(db):
    load_demo()
    plan = AnnualPlan.objects.filter(year=2019).order_by("pk").first()
    projects = plan_projects(None, plan, TODAY)
    expenditures = Expenditure.objects.filter(project__plan=plan).select_related(
        "project__plan__area"
    )
    data = documents.ledger_xlsx(projects, expenditures, title="六合村 2019 项目台账", today=TODAY)
    return openpyxl.load_workbook(io.BytesIO(data)), len(projects)


def test_the_ledger_prints_one_page_wide_with_its_header_on_every_page(ledger):
    book, count = ledger
    sheet = book["项目台账"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    assert sheet["A1"].value == "六合村 2019 项目台账" and sheet["A1"].font.bold
    assert sheet["A2"].value == "制表日期：2026-11-28"
    assert sheet.oddHeader.center.text == "六合村 2019 项目台账"
    assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text
    assert sheet.print_area == f"'项目台账'!$A$1:$R${3 + count + 2}"
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in row:
            assert cell.border.left.style == "thin", cell.coordinate
            assert cell.border.bottom.style == "thin", cell.coordinate
    assert all(cell.font.bold for cell in sheet[3])
    totals = sheet[sheet.max_row]
    assert totals[0].value == "合计（万元）" and totals[9].font.bold
    assert totals[9].number_format == "#,##0.00"


def test_column_widths_fit_the_chinese_text(ledger):
    from fupin.documents.sheets import display_width

    book, _count = ledger
    sheet = book["项目台账"]
    village = sheet.column_dimensions["C"].width
    assert village >= display_width("六合村") + 2
    project = sheet.column_dimensions["D"].width
    longest = max(display_width(str(c.value)) for c in sheet["D"][3:])
    assert project >= min(longest, 40)
    # the number column is narrow: wide where the text is wide, not everywhere
    assert sheet.column_dimensions["A"].width < project


def test_the_expenditures_sheet_has_the_same_setup(ledger):
    book, _count = ledger
    sheet = book["支出明细"]
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet["A3"].value == "日期"
    assert sheet["A4"].number_format == "yyyy-mm-dd"
    assert sheet["A4"].border.top.style == "thin"
