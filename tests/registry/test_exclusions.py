"""Exclusion lists: imported all or nothing by ID number, merged, upserted, replaced as a
snapshot with history; the command; the page and its background job; and the data-quality
check that then flags the registered household."""

import csv
import datetime
import functools
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from fupin import idnumbers
from fupin.core.models import Job
from fupin.core.reading import ImportFileError
from fupin.core.roles import Role
from fupin.registry.errors import EXCLUSION_MESSAGES, message
from fupin.registry.exclusions import check_exclusions, import_exclusions, write_exclusions
from fupin.registry.models import ExclusionEntry, ExclusionImport
from tests.registry.bad_inputs import mistyped
from tests.registry.factories import make_household, person_id
from tests.registry.jobs import upload_and_run, uploads

History = ExclusionEntry.history.model


def write_csv(path: Path, header, rows, encoding="utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def stored():
    """{(kind, ID number): (source, detail)} of every entry."""
    return {
        (kind, number): (source, detail)
        for kind, number, source, detail in ExclusionEntry.objects.values_list(
            "kind", "id_number", "source", "detail"
        )
    }


def state():
    """Everything an import may write: entries (with their time), history, the import log."""
    return (
        sorted(ExclusionEntry.objects.values_list("kind", "id_number", "source", "imported_at")),
        History.objects.count(),
        ExclusionImport.objects.count(),
    )


def fifteen_digits(number: str) -> str:
    """The legacy 15-digit form of an 18-digit number of someone born in the 1900s."""
    return number[:6] + number[8:17]


@pytest.fixture
def admin(world):
    # The lists apply to every village: their keeper is the all-areas administrator.
    admin = world.user(Role.ADMIN)
    admin.area = None
    admin.save()
    return admin


@pytest.fixture
def people():
    return [person_id(datetime.date(1960 + i, 3, 1 + i)) for i in range(5)]


# --- the service ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_good_file_is_imported_with_history(admin, people, tmp_path):
    a, b, c, d, _e = people
    path = write_csv(
        tmp_path / "lists.csv",
        ["名单类别", "身份证号码", "来源部门", "说明", "姓名"],
        [
            ["vehicle", a, "公安局交警大队", "桂A12345", "韦一"],
            ["  拥有非生产性车辆 ", f" {fifteen_digits(b)} ", "", "", "韦二"],  # 15 digits
            ["Paid by the state budget", c.lower(), "财政局", "", "韦三"],
            ["在城镇购买商品房", d, "住建局", "", "韦四"],
            ["vehicle", a, "", "又一行", "韦一"],  # the same person again: merged
        ],
    )
    plan, summary = import_exclusions(path, user=admin, source="县比对办")

    assert plan.errors == []
    assert (plan.rows, summary.entries, summary.created) == (5, 4, 4)
    assert stored() == {
        ("vehicle", a): ("公安局交警大队", "桂A12345"),
        ("vehicle", b): ("县比对办", ""),  # the 15-digit number stored as 18 digits
        ("state_paid", c): ("财政局", ""),
        ("housing", d): ("住建局", ""),
    }
    history = History.objects.all()
    assert history.count() == 4
    assert {(h.history_type, h.history_user_id) for h in history} == {("+", admin.pk)}
    assert all("lists.csv" in h.history_change_reason for h in history)
    log = {i.kind: (i.entries, i.created, i.imported_by_id) for i in ExclusionImport.objects.all()}
    assert log == {
        "vehicle": (2, 2, admin.pk),
        "state_paid": (1, 1, admin.pk),
        "housing": (1, 1, admin.pk),
    }


@pytest.mark.django_db
def test_an_xlsx_file_with_english_keys_and_a_kind_chosen_for_the_whole_file(
    admin, people, tmp_path
):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ID_Number", "detail"])
    sheet.append([people[0], "个体工商户"])
    sheet.append([people[1], None])
    workbook.save(tmp_path / "business.xlsx")
    import_exclusions(tmp_path / "business.xlsx", user=admin, kind="business", source="市场监管局")
    assert stored() == {
        ("business", people[0]): ("市场监管局", "个体工商户"),
        ("business", people[1]): ("市场监管局", ""),
    }


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(admin, people, tmp_path):
    path = write_csv(
        tmp_path / "v.csv",
        ["kind", "id_number", "source"],
        [["vehicle", n, "交警"] for n in people],
    )
    import_exclusions(path, user=admin)
    before = state()

    _plan, summary = import_exclusions(path, user=admin, replace=True)

    assert (summary.created, summary.updated, summary.deleted, summary.unchanged) == (0, 0, 0, 5)
    entries, history, log = state()
    assert (entries, history) == before[:2]  # the same entries, same times, no history
    assert log == before[2] + 1  # the import itself is logged: the list's "last imported"


@pytest.mark.django_db
def test_a_changed_entry_is_updated_with_a_history_row(admin, people, tmp_path):
    header = ["kind", "id_number", "source"]
    import_exclusions(write_csv(tmp_path / "1.csv", header, [["vehicle", people[0], "交警"]]))
    _plan, summary = import_exclusions(
        write_csv(tmp_path / "2.csv", header, [["vehicle", people[0], "车管所"]]), user=admin
    )
    assert (summary.created, summary.updated) == (0, 1)
    assert stored() == {("vehicle", people[0]): ("车管所", "")}
    latest = History.objects.order_by("-history_id").first()
    assert (latest.history_type, latest.source, latest.history_user_id) == ("~", "车管所", admin.pk)


@pytest.mark.django_db
def test_replace_removes_what_the_new_list_no_longer_names_and_only_from_its_lists(
    admin, people, tmp_path
):
    a, b, c, d, e = people
    header = ["名单类别", "身份证号码"]
    first = [["vehicle", a], ["vehicle", b], ["housing", c], ["state_paid", d]]
    import_exclusions(write_csv(tmp_path / "1.csv", header, first), user=admin)
    gone = ExclusionEntry.objects.get(kind="vehicle", id_number=b)

    # Without replace an import only adds: b stays.
    import_exclusions(write_csv(tmp_path / "2.csv", header, [["vehicle", a]]), user=admin)
    assert ("vehicle", b) in stored()

    # The new vehicle list names a and e, and the housing list (the same file) names nobody
    # but c; the state-paid list is not in the file and stays whole.
    new = [["vehicle", a], ["vehicle", e], ["housing", c]]
    _plan, summary = import_exclusions(
        write_csv(tmp_path / "3.csv", header, new), user=admin, replace=True
    )

    assert (summary.created, summary.deleted) == (1, 1)
    assert set(stored()) == {("vehicle", a), ("vehicle", e), ("housing", c), ("state_paid", d)}
    removal = History.objects.get(history_type="-")
    assert (removal.id, removal.id_number, removal.history_user_id) == (gone.pk, b, admin.pk)
    assert "replace" in removal.history_change_reason
    latest = ExclusionImport.objects.get(kind="vehicle", replace=True)
    assert (latest.entries, latest.created, latest.deleted) == (2, 1, 1)


@pytest.mark.django_db
def test_replace_with_a_chosen_kind_touches_only_that_list(admin, people, tmp_path):
    a, b, c, *_ = people
    header = ["名单类别", "身份证号码"]
    import_exclusions(
        write_csv(tmp_path / "1.csv", header, [["vehicle", a], ["housing", b]]), user=admin
    )
    import_exclusions(
        write_csv(tmp_path / "2.csv", ["身份证号码"], [[c]]),
        user=admin,
        kind="vehicle",
        replace=True,
    )
    assert set(stored()) == {("vehicle", c), ("housing", b)}


# --- refusals: nothing written ----------------------------------------------------------------


HEADER = ["名单类别", "身份证号码"]


def bad_files(tmp_path, people):
    good, bad = people[0], mistyped(people[1])
    return {
        "bad ID number": (
            write_csv(tmp_path / "a.csv", HEADER, [["vehicle", good], ["vehicle", bad]]),
            [(3, "id_number", bad, "id_checksum")],
        ),
        "unknown kind": (
            write_csv(tmp_path / "b.csv", HEADER, [["vehicle", good], ["摩托车", people[1]]]),
            [(3, "kind", "摩托车", "unknown_kind")],
        ),
        "blank kind and ID number": (
            write_csv(tmp_path / "c.csv", ["名单类别", "身份证号码", "姓名"], [["", "", "韦"]]),
            [(2, "kind", "", "required"), (2, "id_number", "", "required")],
        ),
        "detail too long": (
            write_csv(tmp_path / "d.csv", [*HEADER, "说明"], [["vehicle", good, "长" * 201]]),
            [(2, "detail", "长" * 201, "too_long")],
        ),
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", ["bad ID number", "unknown kind", "blank kind and ID number", "detail too long"]
)
def test_a_bad_row_writes_nothing_and_is_reported(case, admin, people, tmp_path):
    import_exclusions(
        write_csv(tmp_path / "old.csv", ["kind", "id_number"], [["vehicle", people[2]]]),
        user=admin,
    )
    before = state()
    path, expected = bad_files(tmp_path, people)[case]

    plan, summary = import_exclusions(path, user=admin, replace=True)

    assert summary is None and plan.entries == {}
    assert [(e.row, e.column, e.value, e.code) for e in plan.errors] == expected
    assert state() == before  # replace did not remove people[2] either


@pytest.mark.django_db
def test_the_reasons_are_in_the_users_language(people, tmp_path):
    path = write_csv(tmp_path / "k.csv", ["名单类别", "身份证号码"], [["摩托车", people[0]]])
    with translation.override("zh-hans"):
        error = check_exclusions(path).errors[0]
        assert error.text.startswith("不是已知的清单。请填写以下之一：拥有非生产性车辆、")
    with translation.override("en"):
        error = check_exclusions(path).errors[0]
        assert error.text.startswith("Not a known list. Write one of: Owns a non-productive")


@pytest.mark.parametrize("code", sorted(EXCLUSION_MESSAGES))
def test_every_exclusion_list_error_reads_in_chinese_and_is_documented(code):
    with translation.override("en"):
        english = message(code, {"allowed": "…", "chosen": "…"})
    with translation.override("zh-hans"):
        chinese = message(code, {"allowed": "…", "chosen": "…"})
    assert chinese != english and any("\u4e00" <= letter <= "\u9fff" for letter in chinese)
    doc = (Path(__file__).resolve().parents[2] / "docs" / "import-format.md").read_text()
    section = doc[doc.index("## Exclusion lists · 排除名单") :]
    assert f"| `{code}` | {chinese} | {english} |" in section


@pytest.mark.django_db
def test_a_row_naming_another_list_than_the_chosen_one_is_refused(people, tmp_path):
    path = write_csv(
        tmp_path / "x.csv", ["名单类别", "身份证号码"], [["housing", people[0]], ["", people[1]]]
    )
    plan = check_exclusions(path, kind="vehicle")
    assert [(e.row, e.code) for e in plan.errors] == [(2, "kind_conflict")]
    assert plan.errors[0].text == "本文件按“拥有非生产性车辆”清单导入，但此行填写的是另一个清单。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "header", "kind", "code"),
    [
        ("no-id.csv", ["名单类别", "姓名"], None, "missing_columns"),
        ("no-kind.csv", ["身份证号码", "姓名"], None, "kind_missing"),
    ],
)
def test_a_file_without_its_columns_is_refused(admin, people, tmp_path, name, header, kind, code):
    before = state()
    path = write_csv(
        tmp_path / name, header, [["vehicle" if "名单类别" in header else people[0], "韦"]]
    )
    with pytest.raises(ImportFileError) as refused:
        import_exclusions(path, user=admin, kind=kind)
    assert refused.value.code == code
    assert state() == before


@pytest.mark.django_db
def test_a_file_in_another_encoding_is_refused(admin, people, tmp_path):
    path = write_csv(
        tmp_path / "u16.csv",
        ["名单类别", "身份证号码"],
        [["拥有非生产性车辆", people[0]]],
        "utf-16",
    )
    with pytest.raises(ImportFileError) as refused:
        import_exclusions(path, user=admin)
    assert refused.value.code == "wrong_encoding"
    assert not ExclusionEntry.objects.exists() and not History.objects.exists()


@pytest.mark.django_db
def test_a_gb18030_file_from_chinese_excel_is_read(admin, people, tmp_path):
    path = write_csv(
        tmp_path / "gbk.csv",
        ["名单类别", "身份证号码", "来源部门"],
        [["财政供养人员", people[0], "财政局"]],
        "gb18030",
    )
    import_exclusions(path, user=admin)
    assert stored() == {("state_paid", people[0]): ("财政局", "")}


@pytest.mark.django_db
def test_a_plan_with_errors_cannot_be_written(people, tmp_path):
    path = write_csv(tmp_path / "x.csv", ["名单类别", "身份证号码"], [["vehicle", "123"]])
    plan = check_exclusions(path)
    assert plan.errors[0].code == "id_length"
    with pytest.raises(ValueError):
        write_exclusions(plan)


# Set-based: a statement per batch of rows (SQLite's batches are smaller: 999 parameters a
# statement), never one per entry.
PER_QUERY = 40


@pytest.mark.django_db
def test_a_large_list_is_written_in_a_bounded_number_of_queries(
    admin, tmp_path, django_assert_max_num_queries
):
    born = datetime.date(1970, 1, 1)
    numbers = [
        idnumbers.make("450123", born + datetime.timedelta(days=i // 900), i % 900)
        for i in range(6000)
    ]
    path = write_csv(tmp_path / "big.csv", ["kind", "id_number"], [["vehicle", n] for n in numbers])
    plan = check_exclusions(path)
    with django_assert_max_num_queries(len(numbers) // PER_QUERY):
        write_exclusions(plan, user=admin)
    assert ExclusionEntry.objects.count() == History.objects.count() == 6000
    # Every other entry dropped from the list: a replace deletes 3,000 just as cheaply.
    path = write_csv(
        tmp_path / "half.csv", ["kind", "id_number"], [["vehicle", n] for n in numbers[::2]]
    )
    plan = check_exclusions(path)
    with django_assert_max_num_queries(len(numbers) // 2 // PER_QUERY):
        summary = write_exclusions(plan, user=admin, replace=True)
    assert summary.deleted == 3000
    assert ExclusionEntry.objects.count() == 3000
    assert History.objects.filter(history_type="-").count() == 3000


# --- the data-quality check -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_quality_page_then_flags_the_registered_household(world, admin, client, tmp_path):
    poor = make_household(world.village, status="registered")
    not_poor = make_household(world.village, status="not_registered")
    outside = make_household(world.outside_village, status="registered")
    listed = [h.members.first().id_number for h in (poor, not_poor, outside)]
    approver = world.user(Role.COUNTY_APPROVER)
    client.force_login(approver)
    quality = reverse("registry-quality-records", args=["exclusion_match", world.village.code])
    assert poor.household_no not in client.get(quality).content.decode()

    import_exclusions(
        write_csv(tmp_path / "v.csv", ["kind", "id_number"], [["vehicle", n] for n in listed]),
        user=admin,
    )

    page = client.get(quality).content.decode()
    assert poor.household_no in page
    assert not_poor.household_no not in page  # only registered and monitored households
    overview = client.get(reverse("registry-quality")).context
    totals = {check.key: total for check, total in overview["totals"]}
    assert totals["exclusion_match"] == 1  # the other county's household is not counted here


# --- the command ------------------------------------------------------------------------------


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import-exclusions", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_command_imports_and_summarises(admin, people, tmp_path):
    path = write_csv(tmp_path / "v.csv", ["身份证号码"], [[n] for n in people])
    out, _err = run(
        path, "--kind", "vehicle", "--source", "交警", "--user", admin.username, "--dry-run"
    )
    assert "5 rows, 5 entries (vehicle 5): no errors." in out
    assert "Dry run: nothing was written." in out
    assert not ExclusionEntry.objects.exists() and not ExclusionImport.objects.exists()

    out, _err = run(path, "--kind", "vehicle", "--source", "交警", "--user", admin.username)
    assert "Imported: entries +5 ~0 -0, 0 unchanged." in out
    assert set(stored().values()) == {("交警", "")}

    path = write_csv(tmp_path / "v2.csv", ["身份证号码"], [[n] for n in people[:2]])
    out, _err = run(path, "--kind", "vehicle", "--replace", "--user", admin.username)
    assert "Imported: entries +0 ~2 -3, 0 unchanged." in out  # the source is now blank


@pytest.mark.django_db
def test_the_command_prints_each_error_and_fails(admin, people, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        ["名单类别", "身份证号码"],
        [["vehicle", people[0]], ["摩托车", mistyped(people[1])]],
    )
    with pytest.raises(CommandError, match="^2 errors: nothing was imported.") as refused:
        err = io.StringIO()
        call_command(
            "import-exclusions",
            str(path),
            "--user",
            admin.username,
            stdout=io.StringIO(),
            stderr=err,
        )
    assert refused.value.returncode != 0
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 3\t名单类别\t摩托车\t不是已知的清单。")
    assert lines[1] == f"row 3\t身份证号码\t{mistyped(people[1])}\t校验位不对，号码可能录错了。"
    assert not ExclusionEntry.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_an_unreadable_file_and_a_user_who_is_not_an_administrator(
    world, people, tmp_path
):
    path = write_csv(tmp_path / "u.csv", ["kind", "id_number"], [["vehicle", people[0]]], "utf-16")
    with pytest.raises(CommandError) as refused:
        run(path, "--user", world.user(Role.ADMIN).username)
    assert str(refused.value) == message("wrong_encoding")
    with pytest.raises(CommandError, match="is not an administrator"):
        run(path, "--user", world.user(Role.COUNTY_APPROVER).username)


# --- the page and its background job ----------------------------------------------------------


upload = functools.partial(upload_and_run, url="exclusion-lists")


@pytest.mark.django_db(transaction=True)
def test_the_upload_page_imports_a_list_in_the_background(world, admin, client, people, tmp_path):
    client.force_login(admin)
    quality = client.get(reverse("registry-quality")).content.decode()
    assert reverse("exclusion-lists") in quality  # linked for those who keep the lists
    page = client.get(reverse("exclusion-lists")).content.decode()
    assert "比对排除清单" in page and "从未导入" in page

    path = write_csv(
        tmp_path / "车辆名单.csv", ["身份证号码", "说明"], [[n, "小轿车"] for n in people]
    )
    job = upload(client, path, kind="vehicle", source="公安局交警大队")

    assert job.status == Job.Status.SUCCEEDED
    assert (job.result["created"], job.result["entries"], job.result["rows"]) == (5, 5, 5)
    assert uploads() == []  # the upload, with its ID numbers, is not kept
    assert set(stored()) == {("vehicle", n) for n in people}
    assert History.objects.filter(history_user=admin).count() == 5
    done = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "已从 5 行导入 5 个条目。" in done and "新增 5 条，修改 0 条，删除 0 条。" in done

    # The list is now on the page, with its last import; a replace removes three.
    page = client.get(reverse("exclusion-lists")).content.decode()
    assert "车辆名单.csv" in page and "+5 ~0 −0" in page
    job = upload(
        client,
        write_csv(
            tmp_path / "车辆名单2.csv", ["身份证号码", "说明"], [[n, "小轿车"] for n in people[:2]]
        ),
        kind="vehicle",
        source="公安局交警大队",
        replace="on",
    )
    assert (job.result["deleted"], job.result["kinds"][0]["entries"]) == (3, 2)
    assert ExclusionEntry.objects.count() == 2
    page = client.get(reverse("exclusion-lists")).content.decode()
    assert "+0 ~0 −3 · 整表替换" in page


@pytest.mark.django_db(transaction=True)
def test_a_refused_upload_lists_its_errors_and_writes_nothing(
    world, admin, client, people, tmp_path
):
    client.force_login(admin)
    path = write_csv(
        tmp_path / "bad.csv",
        ["名单类别", "身份证号码"],
        [["vehicle", people[0]], ["vehicle", mistyped(people[1])]],
    )
    job = upload(client, path)

    assert job.status == Job.Status.FAILED
    assert job.error == "未导入任何数据：文件中有 1 处错误。"
    assert job.result["first_errors"] == [
        {
            "row": 3,
            "column": "身份证号码",
            "value": mistyped(people[1]),
            "reason": "校验位不对，号码可能录错了。",
        }
    ]
    assert not ExclusionEntry.objects.exists() and not ExclusionImport.objects.exists()
    assert uploads() == []
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "校验位不对，号码可能录错了。" in page
    download = client.get(reverse("job-download", args=[job.pk]))
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.django_db
def test_the_form_refuses_other_formats(world, admin, client):
    client.force_login(admin)
    response = client.post(
        reverse("exclusion-lists"), {"file": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0")}
    )
    assert response.status_code == 200
    assert "请使用 .xlsx 或 .csv 文件。" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COUNTY_APPROVER, Role.ADMIN])  # ADMIN: of one county
def test_the_quality_page_does_not_link_the_lists_for_others(world, client, role):
    client.force_login(world.user(role))
    page = client.get(reverse("registry-quality")).content.decode()
    assert reverse("exclusion-lists") not in page  # neither the menu nor the page links them
