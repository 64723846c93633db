"""`fupin import-registry FILE [--dry-run] [--user NAME]`: all or nothing, the errors printed
in the clerk's language and a non-zero exit status."""

import io

import pytest
from django.core.management import CommandError, call_command

from fupin.core.reading import ImportFileError
from fupin.registry.errors import message
from fupin.registry.importer import check_file
from fupin.registry.models import Household
from fupin.registry.template import BY_KEY
from tests.registry.bad_inputs import CASES, build, good_rows, mistyped
from tests.registry.factories import (
    household_rows,
    registry_counts,
    registry_snapshot,
    write_template,
)

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import-registry", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_a_bad_file_is_refused_with_its_reason_and_writes_nothing(
    case, world, clerk, existing, tmp_path, settings
):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    path = build(case, world, existing, tmp_path)
    before = registry_counts(), registry_snapshot()
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import-registry", str(path), "--user", clerk.username, stdout=out, stderr=err)

    assert refused.value.returncode != 0
    if case.row is None:
        params = case.params
        if params is None:  # a message with a detail from the file itself
            with pytest.raises(ImportFileError) as error:
                check_file(path, user=clerk)
            params = error.value.params
        assert str(refused.value) == message(case.code, params)
    else:
        error = next(e for e in check_file(path, user=clerk).errors if e.code == case.code)
        line = f"row {case.row}\t{BY_KEY[case.column].header}\t{error.value}\t{error.text}"
        assert line in err.getvalue().splitlines()
        assert str(refused.value).endswith("nothing was imported.")
    assert (registry_counts(), registry_snapshot()) == before


def test_the_reasons_are_printed_in_chinese(world, clerk, existing, tmp_path):
    rows = good_rows(world, existing)
    rows[1]["id_number"] = mistyped(rows[1]["id_number"])
    rows[2].update(relation="户主", name="=1+1")
    err = io.StringIO()
    with pytest.raises(CommandError, match="^3 errors: nothing was imported."):
        call_command(
            "import-registry",
            str(write_template(tmp_path / "bad.csv", rows)),
            "--user",
            clerk.username,
            stdout=io.StringIO(),
            stderr=err,
        )
    household_no = rows[0]["household_no"]
    assert err.getvalue().splitlines() == [
        f"row 3\t身份证号码\t{rows[1]['id_number']}\t校验位不对，号码可能录错了。",
        "row 4\t姓名\t=1+1\t文字不能以公式符号（=、+、-、@）开头。",
        f"row 4\t与户主关系\t\t户 {household_no} 有不止一个户主（第 2、4 行）。",
    ]


def test_a_good_file_is_imported_and_summarised(world, clerk, tmp_path):
    path = write_template(tmp_path / "good.csv", household_rows(world.village))
    out, _err = run(path, "--user", clerk.username)
    assert "3 rows, 1 households, 3 persons: no errors." in out
    assert "households +1 ~0, members +3 ~0, incomes +1 ~0" in out
    assert Household.objects.count() == 1
    out, _err = run(path, "--user", clerk.username)
    assert "households +0 ~0, members +0 ~0, incomes +0 ~0" in out


def test_a_dry_run_checks_and_writes_nothing(world, clerk, tmp_path):
    path = write_template(tmp_path / "good.csv", household_rows(world.village))
    out, _err = run(path, "--dry-run", "--user", clerk.username)
    assert "no errors" in out and "Dry run: nothing was written." in out
    assert registry_counts() == dict.fromkeys(registry_counts(), 0)


def test_the_default_user_is_an_all_areas_administrator(world, root, tmp_path):
    rows = household_rows(world.village) + household_rows(world.outside_village)
    run(write_template(tmp_path / "two-counties.csv", rows))
    assert Household.objects.count() == 2
    assert {h.history.get().history_user for h in Household.objects.all()} == {root}


def test_without_an_administrator_the_command_asks_for_a_user(world, tmp_path):
    path = write_template(tmp_path / "good.csv", household_rows(world.village))
    with pytest.raises(CommandError, match="--user"):
        run(path)
    with pytest.raises(CommandError, match="No user 'nobody'"):
        run(path, "--user", "nobody")


def test_a_missing_file_is_named(world, root, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(tmp_path / "nowhere.csv")
