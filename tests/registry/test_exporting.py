"""The export: the registry as template rows, so that export → import changes nothing;
ID numbers masked unless asked for; text a spreadsheet would run as a formula made inert."""

import csv
import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from fupin import idnumbers
from fupin.core.models import Area, Job
from fupin.registry import synth
from fupin.registry.exporting import export_rows
from fupin.registry.importer import check_file, write_plan
from fupin.registry.models import Household, YearlyIncome
from fupin.registry.tasks import export_registry
from fupin.registry.template import COLUMNS
from tests.registry.conftest import import_rows
from tests.registry.factories import (
    make_household,
    registry_counts,
    registry_snapshot,
)
from tests.registry.rollback import rolled_back
from tests.registry.strategies import registries

pytestmark = pytest.mark.django_db

KEYS = [column.key for column in COLUMNS]
MASKED = re.compile(r"\d{2}\*{14}\d[\dX]")


def export_file(user, area, file_format="csv", full=True) -> Path:
    """Run the export task in this process, as the worker would; the file it wrote."""
    job = Job.objects.create(kind="export_registry", owner=user, area=area)
    export_registry.call(str(job.pk), file_format=file_format, full_id_numbers=full)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    return Path(django_settings.MEDIA_ROOT) / job.result["file"]


def read_back(path: Path) -> list[list[str]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle))
    sheet = load_workbook(path).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_rows_follow_the_template_in_chinese(world, clerk, existing):
    rows = list(export_rows(world.village.code))
    assert len(rows) == 5 and all(len(row) == len(COLUMNS) for row in rows)
    head = dict(zip(KEYS, rows[0], strict=True))
    assert head["household_no"] == existing.e[0]["household_no"]
    assert (head["village_code"], head["group"]) == (world.village.code, "甲一屯")
    assert (head["status"], head["relation"], head["health"]) == ("建档立卡贫困户", "户主", "健康")
    assert (head["dibao"], head["electricity"], head["medical_insurance"]) == ("否", "是", "是")
    assert (head["income_year"], head["wage"]) == ("2019", "6000.00")
    assert head["id_number"] == existing.e[0]["id_number"]


def test_only_the_latest_income_year_is_exported(world, clerk, existing):
    household = Household.objects.get(household_no=existing.e[0]["household_no"])
    YearlyIncome.objects.create(household=household, year=2018, members=3, wage=1)
    YearlyIncome.objects.create(household=household, year=2020, members=3, wage=2)
    years = {
        dict(zip(KEYS, row, strict=True))["income_year"] for row in export_rows("450000000000")
    }
    assert years == {"2020", "2019"}  # household f has 2019 only


def test_an_area_exports_its_own_households_only(world):
    inside = make_household(world.village)
    make_household(world.other_village)
    make_household(world.outside_village)
    numbers = {row[0] for row in export_rows(world.village.code)}
    assert numbers == {inside.household_no}
    assert len({row[0] for row in export_rows("450101000000")}) == 2


def test_id_numbers_are_masked_with_a_mask(world, existing):
    rows = list(export_rows(world.village.code, mask=idnumbers.mask))
    position = KEYS.index("id_number")
    numbers = [row[position] for row in rows]
    assert all(MASKED.fullmatch(number) for number in numbers)
    first = existing.e[0]["id_number"]
    assert numbers[0] == f"{first[:2]}{'*' * 14}{first[-2:]}"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x.cn","x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C"]
)
def test_text_a_spreadsheet_would_run_is_made_inert(world, clerk, file_format, text):
    household = make_household(world.village, address=text)  # as typed on the household page
    household.members.update(name=text)
    exported = read_back(export_file(clerk, world.village, file_format))
    cells = dict(zip(exported[0], exported[1], strict=True))
    assert cells["地址"] == cells["姓名"] == "'" + text
    if file_format == "xlsx":
        sheet = load_workbook(export_file(clerk, world.village, "xlsx")).active
        assert "f" not in {cell.data_type for row in sheet.iter_rows() for cell in row}


def test_a_phone_number_keeps_its_plus(world, clerk):
    make_household(world.village, phone="+86 138 0000 0000")
    exported = read_back(export_file(clerk, world.village, "csv"))
    assert dict(zip(exported[0], exported[1], strict=True))["联系电话"] == "+86 138 0000 0000"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_synthetic_village_survives_export_and_import_unchanged(
    world, root, tmp_path, file_format
):
    places = synth.synthetic_villages(2)
    synth.ensure_areas(places)
    path = tmp_path / "synth.csv"
    synth.write(synth.iter_rows(households=40, places=places, seed=7), path)
    plan = check_file(path, user=root)
    assert plan.errors == []
    write_plan(plan, user=root)
    before = registry_counts(), registry_snapshot()
    county = places[0].code[:6] + "000000"
    exported = export_file(root, Area.objects.get(code=county), file_format)
    again = check_file(exported, user=root)
    assert again.errors == [] and again.persons == before[0]["Member"]
    assert write_plan(again, user=root).changed == 0
    assert (registry_counts(), registry_snapshot()) == before


_files = itertools.count()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=registries(), file_format=st.sampled_from(["csv", "xlsx"]))
def test_export_then_import_changes_nothing(world, clerk, tmp_path, rows, file_format):
    with rolled_back():
        import_rows(rows, clerk, tmp_path, f"first-{next(_files)}.csv")
        before = registry_counts(), registry_snapshot()
        exported = export_file(clerk, world.village, file_format)
        plan = check_file(exported, user=clerk)
        assert plan.errors == []
        summary = write_plan(plan, user=clerk)
        assert summary.changed == 0
        assert (registry_counts(), registry_snapshot()) == before


def test_a_masked_export_cannot_be_imported_again(world, clerk, existing):
    exported = export_file(clerk, world.village, "csv", full=False)
    plan = check_file(exported, user=clerk)
    assert [e.code for e in plan.errors if e.column == "id_number"] == ["id_format"] * 5
