"""`fupin synth`: a deterministic synthetic registry in the import template that imports
cleanly; --dirty plants DIRTY_COUNTS problems and writes the matching exclusion list."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from fupin.core.models import Area
from fupin.registry.importer import check_file
from fupin.registry.synth import DIRTY_COUNTS
from fupin.registry.template import COLUMNS

pytestmark = pytest.mark.django_db


def synth(*args):
    out = io.StringIO()
    call_command("synth", *args, stdout=out)
    return out.getvalue()


def test_the_same_seed_writes_the_same_file(world, tmp_path):
    one, two, other = tmp_path / "1.csv", tmp_path / "2.csv", tmp_path / "3.csv"
    synth("--households=30", "--seed=4", f"--out={one}")
    synth("--households=30", "--seed=4", f"--out={two}")
    synth("--households=30", "--seed=5", f"--out={other}")
    assert one.read_bytes() == two.read_bytes() != other.read_bytes()


def test_the_villages_are_created_with_their_groups(world, tmp_path):
    output = synth("--households=12", "--villages=3", f"--out={tmp_path / 's.csv'}")
    assert "Wrote 12 households" in output
    villages = Area.objects.filter(code__startswith="450199", level=5)
    assert villages.count() == 3
    assert Area.objects.filter(parent__in=villages).count() == 15
    synth("--households=12", "--villages=3", f"--out={tmp_path / 's.csv'}")  # idempotent
    assert Area.objects.filter(code__startswith="450199").count() == 1 + 1 + 3 + 15


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_file_is_in_the_template_and_imports_cleanly(world, root, tmp_path, suffix):
    out = tmp_path / f"registry{suffix}"
    synth("--households=50", "--villages=2", "--seed=3", f"--out={out}")
    plan = check_file(out, user=root)
    assert plan.errors == []
    assert plan.households == 50
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            assert next(csv.reader(handle)) == [column.header for column in COLUMNS]


@pytest.mark.parametrize("seed", range(1, 9))
def test_a_dirty_registry_imports_and_lists_its_exclusions(world, root, tmp_path, seed):
    out = tmp_path / "dirty.csv"
    output = synth("--households=80", "--villages=3", f"--seed={seed}", "--dirty", f"--out={out}")
    assert "exclusions.csv" in output
    assert check_file(out, user=root).errors == []
    with out.with_suffix(".exclusions.csv").open(encoding="utf-8-sig", newline="") as handle:
        entries = list(csv.DictReader(handle))
    assert len(entries) == DIRTY_COUNTS["exclusion_match"]
    assert len({entry["id_number"] for entry in entries}) == len(entries)
    assert {entry["kind"] for entry in entries} <= {"vehicle", "state_paid", "business", "housing"}


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--households=0"], "at least 1"),
        (["--households=5", "--villages=0"], "at least 1"),
        (["--households=5", "--out=registry.txt"], ".csv or .xlsx"),
        (["--households=4", "--dirty"], "--households"),
    ],
)
def test_bad_arguments_are_refused(world, tmp_path, args, error):
    if not any(arg.startswith("--out") for arg in args):
        args = [*args, f"--out={tmp_path / 'x.csv'}"]
    with pytest.raises(CommandError, match=error):
        synth(*args)
