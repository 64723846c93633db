"""Formula injection: every text cell of every workbook and CSV that Fupin writes is inert,
whatever the stored text begins with (=, @, + or -, a tab or a carriage return)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from fupin import idnumbers
from fupin.core.import_errors import RowError, write_error_report
from fupin.core.models import Area
from fupin.core.roles import Role
from fupin.registry.exporting import export_rows, write_export
from fupin.registry.template import column_title
from fupin.registry.template_workbook import write_template_workbook
from fupin.workplan import documents, services
from fupin.workplan.models import Expenditure
from fupin.workplan.selectors import project_rows
from tests.registry.factories import make_household
from tests.security.payloads import FORMULAS, fill_text_fields, is_live_formula
from tests.workplan import factories


@pytest.fixture(params=FORMULAS, ids=["equals", "at", "plus", "minus-digit", "tab", "cr"])
def filled(request, world):
    for _n in range(2):
        make_household(world.village, status="registered", income=3000)
    project = factories.project(world.village)
    services.expenditure_create(
        project=project,
        date=datetime.date(2019, 6, 1),
        amount=Decimal("1000.00"),
        source=project.funding.first().kind,
        recorded_by=None,
        voucher_no="V1",
        note="x",
    )
    fields = fill_text_fields([request.param])
    assert ("Member", "name") in fields and ("Area", "name") in fields
    assert ("Expenditure", "note") in fields and ("Project", "name") in fields
    return world


def live_cells_xlsx(data) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_live_formula(cell.value):
                    found.append((sheet.title, cell.coordinate, cell.value))
    return found


def test_registry_export_xlsx_and_csv(filled, tmp_path):
    for suffix in ("xlsx", "csv"):
        path = tmp_path / f"export.{suffix}"
        assert write_export(path, export_rows(filled.village.code, mask=idnumbers.mask)) > 0
        if suffix == "xlsx":
            assert live_cells_xlsx(path) == []
        else:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                cells = [cell for row in csv.reader(handle) for cell in row]
            assert not [cell for cell in cells if is_live_formula(cell)]


def test_import_error_report(filled, tmp_path):
    value = filled.village.name  # the filled, hostile name
    path = tmp_path / "errors.xlsx"
    errors = [RowError(row=2, column="name", value=value, code="required")]
    write_error_report(errors, path, column_title)
    assert live_cells_xlsx(path) == []


def test_project_ledger(filled):
    admin = filled.user(Role.ADMIN)
    today = datetime.date(2019, 12, 1)
    projects = project_rows(admin, area=filled.village, year=2019, today=today)
    expenditures = Expenditure.objects.select_related("project__plan__area")
    title = Area.objects.get(pk=filled.village.pk).name
    data = documents.ledger_xlsx(projects, expenditures, title=title, today=today)
    assert live_cells_xlsx(data) == []


def test_import_template_with_the_users_villages(filled):
    villages = Area.objects.filter(level=4).order_by("code")
    buffer = io.BytesIO()
    write_template_workbook(
        buffer,
        [(v.code, v.name, [g.name for g in Area.objects.filter(parent=v)]) for v in villages],
    )
    buffer.seek(0)
    assert live_cells_xlsx(buffer) == []
