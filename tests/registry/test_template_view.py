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


def test_the_template_keeps_what_excel_would_turn_into_numbers_as_text(world, client, clerk):
    """An ID number typed into a General column becomes 4.50123E+17 and loses its last
    digits: every column of the template is stored as text."""
    client.force_login(clerk)
    workbook = load_workbook(io.BytesIO(client.get(reverse("registry-template")).content))
    sheet = workbook["户籍"]
    assert workbook.sheetnames == ["户籍", "填写说明", "选项"]
    id_letter = sheet.cell(row=1, column=[c.key for c in COLUMNS].index("id_number") + 1)
    assert sheet.column_dimensions[id_letter.column_letter].number_format == "@"
    assert {sheet.column_dimensions[cell.column_letter].number_format for cell in sheet[1]} == {"@"}


def test_the_template_lists_the_clerk_s_villages_and_each_column_s_values(world, client, clerk):
    client.force_login(clerk)
    workbook = load_workbook(io.BytesIO(client.get(reverse("registry-template")).content))
    sheet, options, guide = workbook["户籍"], workbook["选项"], workbook["填写说明"]
    values = {
        column[0].value: [cell.value for cell in column[1:] if cell.value]
        for column in options.iter_cols()
        if column[0].value
    }
    assert values["村代码"] == [world.village.code]  # the clerk's village, no other
    assert values["户状态"] == ["一般农户", "建档立卡贫困户", "已脱贫户", "监测对象", "已注销"]
    assert values["低保户"] == ["是", "否"]
    assert world.outside_village.code not in str(values)
    rules = {str(rule.sqref).split(":")[0]: rule for rule in sheet.data_validations.dataValidation}
    status_letter = sheet.cell(row=1, column=[c.key for c in COLUMNS].index("status") + 1)
    assert f"{status_letter.column_letter}2" in rules
    explained = {row[0].value: row[3].value for row in guide.iter_rows(min_row=2) if row[0].value}
    assert set(explained) >= {column.header for column in COLUMNS}
    assert "18" in explained["身份证号码"]
