"""Every import refuses a file alike (fupin.core.import_errors.refuse): the job fails with
nothing written, its page shows the first errors through one partial
(core/_refused_import.html), and, where the import keeps one, the whole report downloads
as .xlsx in the user's language."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fupin.core.jobs import JobError
from fupin.core.models import Area, Job, User
from fupin.core.roles import Role
from fupin.core.tasks import import_areas, import_users
from fupin.registry.models import ExclusionEntry, Household
from fupin.registry.tasks import import_exclusions, import_registry
from tests.core.test_accounts import write_sheet
from tests.core.test_area_import import write_csv
from tests.registry.bad_inputs import mistyped
from tests.registry.factories import household_rows, write_template

pytestmark = pytest.mark.django_db

PARTIAL = "core/_refused_import.html"
HEADER = "<thead><tr><th>行号</th><th>列</th><th>填写的值</th><th>错误原因</th></tr></thead>"


def refused(task, owner, **params) -> Job:
    job = Job.objects.create(kind=task.func.__name__, owner=owner, area=owner.area)
    with pytest.raises(JobError):
        task.func(str(job.pk), **params)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.result["refused"]
    return job


def refusal_part(client, job) -> str:
    """The job page's refusal, from its first line to the end of its table."""
    response = client.get(reverse("job-detail", args=[job.pk]))
    assert PARTIAL in [template.name for template in response.templates]
    page = response.content.decode()
    start = page.index("<p>请在文件中改正后，重新上传整个文件。</p>")
    return page[start : page.index("</table></div>", start)]


def test_the_area_user_and_household_imports_refuse_through_one_partial(world, client, tmp_path):
    admin, clerk = world.user(Role.ADMIN), world.user(Role.VILLAGE_CLERK)
    areas = refused(
        import_areas,
        admin,
        path=str(write_csv(tmp_path / "a.csv", [("45010100100", "短码村", "220")])),
    )
    users = refused(
        import_users,
        admin,
        path=str(write_sheet(tmp_path / "u.csv", [("x1", "甲", "", "队长", "450101001001")])),
    )
    rows = household_rows(world.village)
    rows[1]["id_number"] = mistyped(rows[1]["id_number"])
    households = refused(import_registry, clerk, path=str(write_template(tmp_path / "h.csv", rows)))
    exclusions = refused(
        import_exclusions,
        admin,
        path=str(
            write_csv(tmp_path / "e.csv", [("vehicle", rows[1]["id_number"])],
                      header=["名单类别", "身份证号码"])
        ),
    )  # fmt: skip
    assert not Area.objects.filter(name="短码村").exists()
    assert not User.objects.filter(username="x1").exists()
    assert not Household.objects.exists() and not ExclusionEntry.objects.exists()

    parts = {}
    for job in (areas, users, households, exclusions):
        client.force_login(job.owner)
        parts[job.kind] = refusal_part(client, job)
    for kind, part in parts.items():
        job = Job.objects.get(kind=kind)
        assert HEADER in part
        assert part.count("<tr><td>") == len(job.result["first_errors"]) == 1
        assert job.result["first_errors"][0]["reason"] in part
    # One markup: alike but for the error rows themselves.
    assert len({part[: part.index("<tbody>")] for part in parts.values()}) == 1

    assert areas.error == households.error == "未导入任何数据：文件中有 1 处错误。"
    assert users.error == "未创建任何用户：文件有 1 处错误。"
    assert "file" not in users.result  # the user import keeps no report
    assert not areas.result.get("id_numbers") and households.result["id_numbers"]


def test_a_refused_area_file_downloads_its_whole_report_as_xlsx(world, client, tmp_path):
    admin = world.user(Role.ADMIN)
    rows = [(f"4501010010{n:02d}", "", "220") for n in range(3, 63)]  # 60 nameless villages
    job = refused(import_areas, admin, path=str(write_csv(tmp_path / "a.csv", rows)))
    assert job.result["errors"] == 60 and len(job.result["first_errors"]) == 50
    assert job.result["filename"] == "区划导入错误报告.xlsx"
    client.force_login(admin)
    download = client.get(reverse("job-download", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    values = list(sheet.values)
    assert values[0] == ("行号", "列", "填写的值", "错误原因")
    assert len(values) == 61 and values[1][:2] == ("2", "名称")
