"""The upload page: the file is checked and imported by a background job in the real worker;
a refused file leaves a report (on the page and as .xlsx) in the clerk's language."""

import functools
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fupin.core.models import Job
from fupin.registry.models import Household
from tests.registry.bad_inputs import mistyped
from tests.registry.factories import household_rows, registry_counts, write_template
from tests.registry.jobs import upload_and_run, uploads

pytestmark = pytest.mark.django_db(transaction=True)


upload = functools.partial(upload_and_run, url="registry-import")


@pytest.fixture
def signed_in(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def bad_file(world, tmp_path):
    rows = household_rows(world.village)
    rows[1]["id_number"] = mistyped(rows[1]["id_number"])
    rows[2]["relation"] = "户主"
    return write_template(tmp_path / "有错.csv", rows), rows


def test_the_page_links_the_template(signed_in):
    page = signed_in.get(reverse("registry-import")).content.decode()
    assert reverse("registry-template") in page
    assert "下载导入模板" in page and "上传并检查" in page


def test_a_file_with_errors_writes_nothing_and_reports_each_error(signed_in, bad_file):
    path, rows = bad_file
    before = registry_counts()
    job = upload(signed_in, path)

    assert job.status == Job.Status.FAILED  # refused: nothing written, the report kept
    assert job.error == "未导入任何数据：文件中有 2 处错误。"
    assert (job.result["refused"], job.result["errors"], job.result["rows"]) == (True, 2, 3)
    assert registry_counts() == before
    assert uploads() == []  # the upload, with its ID numbers, is not kept
    page = signed_in.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "未导入任何数据：文件中有 2 处错误。" in page
    assert "校验位不对，号码可能录错了。" in page
    assert f"户 {rows[0]['household_no']} 有不止一个户主（第 2、4 行）。" in page
    assert rows[1]["id_number"] in page

    download = signed_in.get(reverse("job-download", args=[job.pk]))
    assert "attachment" in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert list(sheet.iter_rows(values_only=True)) == [
        ("行号", "列", "填写的值", "错误原因"),
        ("3", "身份证号码", rows[1]["id_number"], "校验位不对，号码可能录错了。"),
        ("4", "与户主关系", None, f"户 {rows[0]['household_no']} 有不止一个户主（第 2、4 行）。"),
    ]


def test_the_report_is_in_english_for_an_english_clerk(signed_in, bad_file):
    signed_in.post(reverse("set_language"), {"language": "en", "next": "/"})
    job = upload(signed_in, bad_file[0])
    assert job.result["filename"] == "import-errors.xlsx"
    page = signed_in.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "Nothing was imported: the file has 2 errors." in page
    assert "The check digit is wrong: the number was mistyped." in page


def test_a_good_file_is_imported_and_its_households_listed(signed_in, world, tmp_path):
    rows = household_rows(world.village) + household_rows(world.village, members=2)
    job = upload(signed_in, write_template(tmp_path / "好的.xlsx", rows))
    assert job.status == Job.Status.SUCCEEDED
    assert not job.result["refused"]
    assert (job.result["households_created"], job.result["members_created"]) == (2, 5)
    assert uploads() == []
    page = signed_in.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "已导入 2 户，共 5 人。" in page
    listing = signed_in.get(reverse("household-list")).content.decode()
    assert rows[0]["household_no"] in listing and rows[3]["household_no"] in listing
    assert Household.objects.count() == 2


def test_an_unreadable_file_fails_the_job_with_the_reason(signed_in, world, tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes(
        write_template(tmp_path / "x.csv", household_rows(world.village))
        .read_text(encoding="utf-8-sig")
        .encode("utf-16")
    )
    job = upload(signed_in, path)
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("文件编码不是 UTF-8 或 GB18030。")
    assert uploads() == []
    page = signed_in.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "任务失败" in page and "CSV UTF-8" in page


def test_a_village_outside_the_clerks_area_is_refused(signed_in, world, tmp_path):
    rows = household_rows(world.other_village)
    job = upload(signed_in, write_template(tmp_path / "a2.csv", rows))
    assert job.result["refused"]
    assert job.result["first_errors"] == [
        {"row": 2, "column": "村代码", "value": world.other_village.code,
         "reason": "该村不在您的管辖范围内。"},
    ]  # fmt: skip
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "请使用模板，保存为 .xlsx 或 .csv 文件。"),
        ("big.csv", b"x" * 2048, "文件超过 0 MB。请按村拆分后分别导入。"),
    ],
)
def test_the_form_refuses_other_formats_and_oversized_files(
    signed_in, settings, name, content, error
):
    settings.FUPIN_IMPORT_MAX_BYTES = 1024
    response = signed_in.post(
        reverse("registry-import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Job.objects.exists()
