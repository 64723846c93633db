"""Writers never fail on stored text (issue #16, item 8): a vertical tab stored past the forms
(here through the ORM) no longer breaks the registry export, an error report, the plan
.docx or the ledger: every writer drops what XML cannot hold (fupin.documents.text)."""

import io
from datetime import date

import docx
import openpyxl
import pytest

from fupin.core.demo import load_demo
from fupin.core.import_errors import RowError, write_error_report
from fupin.documents.text import xml_safe
from fupin.documents.word import render_docx
from fupin.registry.exporting import export_rows, write_export
from fupin.registry.models import Household
from fupin.registry.template import column_title
from fupin.workplan import documents
from fupin.workplan.demo import SEED_YEAR
from fupin.workplan.models import AnnualPlan, Expenditure, Project
from fupin.workplan.selectors import plan_projects

TODAY = date(2026, 11, 28)


@pytest.fixture
def demo(db):
    load_demo()


def test_xml_safe():
    assert xml_safe("那马屯\x0b12号\x00") == "那马屯12号"
    assert xml_safe("一\t二\n三") == "一\t二\n三"
    assert xml_safe(12) == 12


def test_the_registry_export_holds_an_address_with_a_vertical_tab(demo, tmp_path):
    household = Household.objects.order_by("pk").first()
    Household.objects.filter(pk=household.pk).update(address="那马屯\x0b12号")
    path = tmp_path / "export.xlsx"
    village = household.village_id
    rows = write_export(path, export_rows(village, mask=None))
    assert rows > 0
    sheet = openpyxl.load_workbook(path).active
    values = {cell.value for row in sheet.iter_rows() for cell in row}
    assert "那马屯12号" in values


def test_an_error_report_holds_a_value_with_a_vertical_tab(tmp_path):
    path = tmp_path / "report.xlsx"
    error = RowError(2, "address", "x", "required")
    object.__setattr__(error, "value", "那马屯\x0b12号")  # as if shown as it was
    write_error_report([error], path, column_title)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["C2"].value == "那马屯12号"


def test_the_plan_docx_and_the_ledger_hold_a_project_name_with_a_vertical_tab(demo):
    plan = AnnualPlan.objects.select_related("area").get(year=SEED_YEAR)
    first = plan_projects(None, plan, TODAY)[0]
    Project.objects.filter(pk=first.pk).update(name="饮水\x0b工程")
    projects = plan_projects(None, plan, TODAY)
    document = docx.Document(io.BytesIO(render_docx(documents.plan_document(plan, projects, "zh"))))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("饮水工程" in text for text in cells)
    expenditures = Expenditure.objects.filter(project__plan=plan).select_related(
        "project__plan__area"
    )
    data = documents.ledger_xlsx(projects, expenditures, title="台账\x0b", today=TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["项目台账"]
    assert sheet["A1"].value == "台账"
    assert "饮水工程" in {cell.value for row in sheet.iter_rows() for cell in row}
