"""docs/import-format.md documents the template the code has: every column with its header
and key, every coded value, every error code, the limits; and its example imports."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from fupin.core.reading import max_bytes, max_rows
from fupin.registry.errors import MESSAGES
from fupin.registry.importer import check_file, write_plan
from fupin.registry.models import Household
from fupin.registry.template import COLUMNS

DOC = Path(__file__).resolve().parents[2] / "docs" / "import-format.md"


@pytest.fixture(scope="module")
def doc():
    return DOC.read_text(encoding="utf-8")


def table_rows(doc):
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in doc.splitlines()
        if line.startswith("|")
    ]


@pytest.mark.parametrize("column", COLUMNS, ids=lambda column: column.key)
def test_every_column_is_documented_with_its_header_and_key(doc, column):
    rows = [row for row in table_rows(doc) if row[:2] == [column.header, f"`{column.key}`"]]
    assert len(rows) == 1, f"{column.header} / {column.key} is not one row of the column tables"
    required = rows[0][3]
    assert required == ("是" if column.required else "")


def test_the_columns_are_documented_in_the_templates_order(doc):
    keys = [row[1].strip("`") for row in table_rows(doc) if row[1:2] and row[1].startswith("`")]
    documented = [key for key in keys if key in {column.key for column in COLUMNS}]
    assert documented[: len(COLUMNS)] == [column.key for column in COLUMNS]


@pytest.mark.parametrize("column", [c for c in COLUMNS if c.choices], ids=lambda column: column.key)
def test_every_coded_value_is_documented_in_three_spellings(doc, column):
    documented = {tuple(row[1:4]) for row in table_rows(doc) if len(row) == 4}
    for value, label in column.choices.choices:
        with translation.override("zh-hans"):
            chinese = str(label)
        with translation.override("en"):
            english = str(label)
        assert (f"`{value}`", chinese, english) in documented
        assert chinese in next(row for row in table_rows(doc) if row[0] == column.header)[5]


def test_every_error_code_is_documented(doc):
    documented = {row[0] for row in table_rows(doc)}
    assert {f"`{code}`" for code in MESSAGES} <= documented


def test_the_limits_are_the_codes(doc):
    assert f"{max_bytes() // 2**20} MB" in doc
    assert f"{max_rows():,} rows" in doc


@pytest.mark.django_db
def test_the_example_imports_as_described(doc, world, clerk, tmp_path):
    example = re.search(r"```csv\n(.*?)```", doc, re.S).group(1)
    path = tmp_path / "example.csv"
    path.write_text(example, encoding="utf-8")
    plan = check_file(path, user=clerk)
    assert plan.errors == []
    write_plan(plan, user=clerk)
    household = Household.objects.get(household_no="45010100100100001")
    assert household.group.name == "甲一屯"
    assert household.incomes.get().per_capita_net_income == Decimal("4600.00")
    assert Household.objects.get(household_no="45010100100100002").status == "not_registered"
