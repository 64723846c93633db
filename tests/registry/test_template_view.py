"""The template download: an empty .xlsx with the Chinese headers, in the order of
docs/import-format.md, that the import accepts once filled in."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fupin.core.roles import Role
from fupin.registry.importer import check_file
from fupin.registry.template import COLUMNS
from tests.registry.factories import household_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.VILLAGE_CLERK, Role.INSPECTOR])
def test_the_template_has_the_chinese_headers(world, client, role):
    client.force_login(world.user(role))
    response = client.get(reverse("registry-template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E6%88%B7%E7%B1%8D%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )  # 户籍导入模板.xlsx
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == [column.header for column in COLUMNS]
    assert sheet.max_row == 1


def test_the_filled_template_imports(world, client, clerk, tmp_path):
    client.force_login(clerk)
    workbook = load_workbook(io.BytesIO(client.get(reverse("registry-template")).content))
    sheet = workbook.active
    for row in household_rows(world.village):
        sheet.append([row.get(column.key, "") for column in COLUMNS])
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    plan = check_file(path, user=clerk)
    assert plan.errors == [] and plan.persons == 3
