"""`fupin export-registry --out FILE [--area CODE] [--mask-id-numbers]`: the registry in the
import template, full ID numbers unless masked (and then recorded as an access event), so
that importing the export changes nothing."""

import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from fupin.core.models import AccessEvent
from fupin.registry.importer import check_file, write_plan
from fupin.registry.template import COLUMNS
from tests.registry.factories import make_household, registry_counts, registry_snapshot

pytestmark = pytest.mark.django_db

ID = [column.key for column in COLUMNS].index("id_number")


def export(*args):
    out = io.StringIO()
    call_command("export-registry", *args, stdout=out)
    return out.getvalue()


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def households(world, root):  # root: who the command acts as, by default
    return [make_household(v, income=3000) for v in (world.village, world.outside_village)]


def test_full_numbers_exported_are_recorded_as_the_administrator_s(world, households, tmp_path):
    export(f"--out={tmp_path / 'full.csv'}", f"--area={world.village.code}")
    event = AccessEvent.objects.get()
    assert (event.user.username, event.action, event.area_id) == (
        "root",
        AccessEvent.Action.EXPORT_ID_NUMBERS,
        world.village.code,
    )
    export(f"--out={tmp_path / 'masked.csv'}", "--mask-id-numbers")
    assert AccessEvent.objects.count() == 1  # masked: nothing to record


def test_an_area_is_exported_in_the_template_with_full_id_numbers(world, households, tmp_path):
    out = tmp_path / "a1.csv"
    assert "Wrote 3 rows" in export(f"--out={out}", f"--area={world.village.code}")
    rows = read_csv(out)
    assert rows[0] == [column.header for column in COLUMNS]
    assert {row[ID] for row in rows[1:]} == set(
        households[0].members.values_list("id_number", flat=True)
    )


def test_masked_id_numbers(world, households, tmp_path):
    out = tmp_path / "masked.xlsx"
    export(f"--out={out}", "--mask-id-numbers")
    rows = list(load_workbook(out).active.iter_rows(values_only=True))[1:]
    assert len(rows) == 6  # every province: both counties
    assert all(re.fullmatch(r"\d{2}\*{14}\d[\dX]", row[ID]) for row in rows)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_importing_the_export_changes_nothing(world, root, households, tmp_path, suffix):
    out = tmp_path / f"all{suffix}"
    export(f"--out={out}")
    before = registry_counts(), registry_snapshot()
    plan = check_file(out, user=root)
    assert plan.errors == []
    assert write_plan(plan, user=root).changed == 0
    assert (registry_counts(), registry_snapshot()) == before


@pytest.mark.parametrize(
    ("args", "error"), [(["--out=x.txt"], ".csv or .xlsx"), (["--area=450199999999"], "No area")]
)
def test_bad_arguments_are_refused(world, tmp_path, args, error):
    if not any(arg.startswith("--out") for arg in args):
        args = [*args, f"--out={tmp_path / 'x.csv'}"]
    with pytest.raises(CommandError, match=error):
        export(*args)
