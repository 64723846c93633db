"""Areas from the official lists: levels from the code, parents in Fupin or earlier in the
file, every refusal writes nothing, the same file twice changes nothing, a rename keeps its
code and history, groups get their 15-digit codes, nothing is ever deleted."""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from fupin.core.area_import import check_areas, write_areas
from fupin.core.models import Area

COUNTY = [
    ("450000000000", "广西壮族自治区", ""),
    ("450100000000", "南宁市", ""),
    ("450103000000", "青秀区", ""),
    ("450103001000", "新竹街道", ""),
    ("450103001001", "中山社区", "111"),
    ("450103100000", "伶俐镇", ""),
    ("450103100201", "长塘村", "220"),
    ("450103100202", "水塘村", "220"),
]
HEADER = ["统计用区划代码", "名称", "城乡分类代码"]


def write_csv(path, rows, header=HEADER, encoding="utf-8-sig"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def imported(path):
    plan = check_areas(path)
    assert not plan.errors, [(e.row, e.code) for e in plan.errors]
    return write_areas(plan)


def test_a_division_list_in_gb18030_loads_with_levels_and_parents(db, tmp_path):
    plan = imported(write_csv(tmp_path / "list.csv", COUNTY, encoding="gb18030"))
    assert (plan.kind, len(plan.created)) == ("divisions", 8)
    village = Area.objects.get(code="450103100201")
    assert (village.name, village.level, village.parent_id) == ("长塘村", 5, "450103100000")
    assert Area.objects.get(code="450103000000").level == 3


def test_the_same_file_again_changes_nothing_and_a_rename_keeps_code_and_history(db, tmp_path):
    imported(write_csv(tmp_path / "list.csv", COUNTY))
    again = check_areas(tmp_path / "list.csv")
    assert (len(again.created), len(again.renamed), again.unchanged) == (0, 0, 8)
    renamed = [row if row[0] != "450103100201" else (row[0], "长塘新村", row[2]) for row in COUNTY]
    plan = imported(write_csv(tmp_path / "renamed.csv", renamed))
    assert [row.code for row in plan.renamed] == ["450103100201"]
    village = Area.objects.get(code="450103100201")
    assert village.name == "长塘新村"
    assert list(village.history.values_list("name", flat=True)) == ["长塘新村", "长塘村"]


def test_an_xlsx_with_english_keys_loads(db, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "urban_rural"])
    for row in COUNTY:
        sheet.append(list(row))
    book.save(tmp_path / "list.xlsx")
    assert len(imported(tmp_path / "list.xlsx").created) == 8


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        (COUNTY[:3] + [("450103100201", "长塘村", "220")], "area_missing_parent"),
        (COUNTY + [("450103100201", "长塘村", "")], "area_duplicate"),
        (COUNTY + [("45010310020", "短码村", "")], "bad_area_code"),
        (COUNTY + [("450103100203", "", "220")], "area_no_name"),
        (COUNTY + [("450103100203", "新村", "22")], "bad_urban_rural"),
        # a parent later in the file does not count: the list goes from the top down
        ([COUNTY[0], COUNTY[2], COUNTY[1]], "area_missing_parent"),
    ],
    ids=["missing-parent", "duplicate", "malformed", "nameless", "urban-rural", "parent-later"],
)
def test_every_refusal_writes_nothing(db, tmp_path, rows, code):
    plan = check_areas(write_csv(tmp_path / "bad.csv", rows))
    assert code in {error.code for error in plan.errors}
    with pytest.raises(CommandError):
        call_command("import-areas", str(tmp_path / "bad.csv"))
    assert not Area.objects.exists()


def test_groups_get_their_codes_and_the_same_file_again_changes_nothing(db, tmp_path):
    imported(write_csv(tmp_path / "list.csv", COUNTY))
    groups = [
        ("450103100201", "大岭屯", "002"),
        ("450103100201", "小岭屯", ""),
        ("450103100202", "塘边屯", ""),
    ]
    path = write_csv(tmp_path / "groups.csv", groups, header=["村代码", "村民小组", "小组代码"])
    plan = imported(path)
    assert plan.kind == "groups"
    codes = dict(Area.objects.filter(level=6).values_list("name", "code"))
    assert codes == {
        "大岭屯": "450103100201002",
        "小岭屯": "450103100201001",  # the first free number
        "塘边屯": "450103100202001",
    }
    assert Area.objects.get(code="450103100201002").parent_id == "450103100201"
    again = check_areas(path)
    assert (len(again.created), len(again.renamed)) == (0, 0)


def test_group_refusals(db, tmp_path):
    imported(write_csv(tmp_path / "list.csv", COUNTY))
    bad = [
        ("450103100299", "无村屯", ""),  # no such village
        ("450103100000", "镇屯", ""),  # a township, not a village
        ("450103100201", "甲屯", "1000"),
        ("450103100201", "乙屯", "003"),
        ("450103100201", "丙屯", "003"),
        ("450103100201", "乙屯", ""),
    ]
    plan = check_areas(
        write_csv(tmp_path / "g.csv", bad, header=["村代码", "村民小组", "小组代码"])
    )
    codes = [error.code for error in plan.errors]
    assert codes == [
        "unknown_village",
        "not_a_village",
        "bad_group_code",
        "group_code_taken",
        "group_duplicate",
    ]


def test_an_import_never_deletes_and_a_dry_run_writes_nothing(db, tmp_path, capsys):
    imported(write_csv(tmp_path / "list.csv", COUNTY))
    call_command("import-areas", str(write_csv(tmp_path / "less.csv", COUNTY[:3])))
    assert Area.objects.count() == 8  # the areas the shorter list leaves out stay
    more = COUNTY + [("450103100203", "新村", "220")]
    call_command("import-areas", str(write_csv(tmp_path / "more.csv", more)), "--dry-run")
    assert "1 new" in capsys.readouterr().out
    assert not Area.objects.filter(code="450103100203").exists()


def test_a_file_without_the_columns_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="统计用区划代码"):
        call_command(
            "import-areas", str(write_csv(tmp_path / "x.csv", [("1", "2")], header=["a", "b"]))
        )


@pytest.mark.django_db(transaction=True)
def test_the_upload_page_imports_as_a_job_within_the_admins_area(world, client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from fupin.core.models import Job
    from fupin.core.roles import Role

    admin = world.user(Role.ADMIN)  # an administrator of county A (450101000000)
    client.force_login(admin)
    rows = [("450101001003", "甲三村", "220"), ("450102001002", "乙二村", "220")]
    upload = SimpleUploadedFile("list.csv", write_csv(tmp_path / "l.csv", rows).read_bytes())
    response = client.post(reverse("area-import"), {"file": upload})
    assert response.status_code == 302
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED  # county B's village is not theirs to add
    assert [e["value"] for e in job.result["first_errors"]] == ["450102001002"]
    assert not Area.objects.filter(code="450101001003").exists()  # all or nothing
    ok = SimpleUploadedFile("ok.csv", write_csv(tmp_path / "ok.csv", rows[:1]).read_bytes())
    client.post(reverse("area-import"), {"file": ok})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert Area.objects.get(code="450101001003").name == "甲三村"
    for made in Job.objects.all():
        assert not Path(made.params["path"]).exists()  # every upload removed once read
