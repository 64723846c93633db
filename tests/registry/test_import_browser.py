"""In real Chromium: a village clerk downloads the template, uploads a file with errors,
reads the report on the job page, uploads the fixed file and finds the households listed."""

import pytest
from openpyxl import load_workbook

from fupin.core.roles import Role
from fupin.registry.models import Household
from fupin.registry.template import COLUMNS
from tests.conftest import PASSWORD
from tests.registry.bad_inputs import mistyped
from tests.registry.factories import household_rows
from tests.registry.jobs import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(template, rows, path):
    """The downloaded template with the rows typed in under its Chinese headers."""
    workbook = load_workbook(template)
    sheet = workbook.active
    by_header = {column.header: column.key for column in COLUMNS}
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(by_header[header], "") for header in headers])
    workbook.save(path)
    return path


def upload_and_run(page, path, status):
    page.get_by_label("农户档案文件（.xlsx 或 .csv）").set_input_files(path)
    page.get_by_role("button", name="上传并检查").click()
    page.wait_for_url("**/tasks/*/")
    assert page.locator("#job-progress").get_attribute("data-status") == "queued"
    run_worker()
    # The page polls with htmx: the result replaces the progress bar without a reload.
    page.wait_for_selector(f"#job-progress[data-status={status}]")


def test_clerk_fixes_a_refused_file_and_sees_the_households(world, page, tmp_path, artifacts_dir):
    page.goto(page.base_url + "/")
    page.get_by_label("用户名").fill(world.user(Role.VILLAGE_CLERK).username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    page.get_by_role("link", name="导入").click()
    page.wait_for_url("**/registry/import/")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板").click()
    assert download.value.suggested_filename == "户籍导入模板.xlsx"
    template = tmp_path / "模板.xlsx"
    download.value.save_as(template)
    headers = [cell.value for cell in load_workbook(template).active[1]]
    assert headers == [column.header for column in COLUMNS]

    rows = household_rows(world.village, group="甲一屯") + household_rows(world.village)
    wrong = dict(rows[1], id_number=mistyped(rows[1]["id_number"]))
    bad = [rows[0], wrong, *rows[2:4], dict(rows[4], relation="户主"), rows[5]]
    # Refused: the job fails (nothing written) and shows its report.
    upload_and_run(page, fill(template, bad, tmp_path / "有错误.xlsx"), "failed")

    report = page.locator("table.errors")
    assert "未导入任何数据：文件中有 2 处错误。" in page.get_by_role("alert").first.inner_text()
    assert report.locator("tbody tr").count() == 2
    first, second = (report.locator("tbody tr").nth(i).inner_text() for i in range(2))
    assert "身份证号码" in first and "校验位不对，号码可能录错了。" in first
    assert f"户 {rows[3]['household_no']} 有不止一个户主（第 5、6 行）。" in second
    assert page.get_by_role("link", name="下载 导入错误报告.xlsx").is_visible()
    page.screenshot(path=f"{artifacts_dir}/registry-import-errors.png", full_page=True)
    assert not Household.objects.exists()

    page.get_by_role("link", name="重新上传").click()
    page.wait_for_url("**/registry/import/")
    upload_and_run(page, fill(template, rows, tmp_path / "改好了.xlsx"), "succeeded")
    assert page.get_by_text("已导入 2 户，共 6 人。").is_visible()
    page.screenshot(path=f"{artifacts_dir}/registry-import-done.png", full_page=True)

    page.get_by_role("link", name="查看农户").click()
    page.wait_for_url("**/registry/")
    listed = page.locator("tbody").inner_text()
    assert rows[0]["household_no"] in listed and rows[3]["household_no"] in listed
    assert "甲一屯" in listed and "建档立卡贫困户" in listed
    page.screenshot(path=f"{artifacts_dir}/registry-household-list.png", full_page=True)
