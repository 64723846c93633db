"""Files made to stop the task worker (issue #16, item 6): a tiny workbook that declares or
holds a cell at XFD1048576, a CSV whose every cell is an error, a CSV 20,000 columns wide.
Each is refused by the one reader (fupin.core.reading) or stops its check at the error
limit: quickly, in the user's language, nothing written; and a job whose worker died is
marked failed, its upload removed."""

import csv
import datetime
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook

from fupin.core.import_errors import message
from fupin.core.jobs import JobError, job_recover_stale
from fupin.core.models import Job
from fupin.core.reading import ImportFileError, read_table
from fupin.registry.exclusions import check_exclusions
from fupin.registry.importer import check_file
from fupin.registry.models import Household, Member
from fupin.registry.tasks import import_registry
from fupin.registry.template import COLUMNS

pytestmark = pytest.mark.django_db


def far_cell_workbook(path: Path, *, declared: str | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "户编号"
    sheet["XFD1048576"] = "x"
    workbook.save(path)
    if declared:  # a dimension that lies: the cell far away is still found
        with zipfile.ZipFile(path) as source:
            parts = {name: source.read(name) for name in source.namelist()}
        sheet_xml = parts["xl/worksheets/sheet1.xml"]
        parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(
            b'ref="A1:XFD1048576"', f'ref="{declared}"'.encode()
        )
        assert parts["xl/worksheets/sheet1.xml"] != sheet_xml
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in parts.items():
                target.writestr(name, data)
    return path


@pytest.mark.parametrize("declared", [None, "A1:A1"])
def test_a_tiny_workbook_reaching_xfd1048576_is_refused_before_it_is_loaded(
    declared, tmp_path, clerk
):
    path = far_cell_workbook(tmp_path / "far.xlsx", declared=declared)
    assert path.stat().st_size < 10_000
    with pytest.raises(ImportFileError) as refused:
        read_table(path)
    assert refused.value.code == "sheet_too_large"
    with translation.override("zh-hans"):
        assert "2000000" in message(refused.value.code, refused.value.params)
        assert "列" in message(refused.value.code, refused.value.params)
    with pytest.raises(ImportFileError):
        check_file(path, user=clerk)
    with pytest.raises(ImportFileError):
        check_exclusions(path, kind="vehicle")


def test_a_workbook_within_the_bounds_is_read(tmp_path, settings):
    settings.FUPIN_IMPORT_MAX_COLUMNS = 3
    workbook = Workbook()
    workbook.active.append(["a", "b", "c"])
    workbook.active.append(["1", "2", "3"])
    workbook.save(tmp_path / "ok.xlsx")
    assert read_table(tmp_path / "ok.xlsx").header == ["a", "b", "c"]
    workbook.active["D2"] = "4"
    workbook.save(tmp_path / "wide.xlsx")
    with pytest.raises(ImportFileError) as refused:
        read_table(tmp_path / "wide.xlsx")
    assert refused.value.code == "sheet_too_large"


def test_a_csv_of_20000_header_columns_is_refused(tmp_path, clerk):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as refused:
        check_file(path, user=clerk)
    assert refused.value.code == "too_many_columns"
    with translation.override("zh-hans"):
        assert "200" in message("too_many_columns", refused.value.params)


def test_a_csv_row_wider_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "row.csv"
    path.write_text("a,b\n" + ",".join(["x"] * 201) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as refused:
        list(read_table(path).rows)
    assert refused.value.code == "too_many_columns"


def equals_csv(path: Path, rows: int, width: int, header=None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or [column.header for column in COLUMNS][:width])
        writer.writerows([["="] * width] * rows)
    return path


def test_a_csv_of_equals_signs_stops_at_the_error_limit(tmp_path, clerk, settings):
    settings.FUPIN_IMPORT_MAX_ERRORS = 50
    path = equals_csv(tmp_path / "equals.csv", rows=20_000, width=len(COLUMNS))
    plan = check_file(path, user=clerk)
    assert len(plan.errors) == 50
    assert plan.errors.full and plan.errors.more > 0
    assert plan.rows < 20_000  # the check stopped reading
    assert not Household.objects.exists() and not Member.objects.exists()

    exclusions = check_exclusions(
        equals_csv(tmp_path / "list.csv", rows=20_000, width=2, header=["名单类别", "身份证号码"])
    )
    assert len(exclusions.errors) == 50 and exclusions.rows < 20_000
    assert not exclusions.entries


def test_a_job_refused_at_the_error_limit_says_so_and_removes_its_upload(tmp_path, clerk, settings):
    settings.FUPIN_IMPORT_MAX_ERRORS = 20
    uploads = Path(settings.MEDIA_ROOT) / "uploads"
    uploads.mkdir(parents=True)
    path = equals_csv(uploads / "u.csv", rows=500, width=len(COLUMNS))
    job = Job.objects.create(kind="import_registry", owner=clerk, area=clerk.area)
    with pytest.raises(JobError):
        import_registry.func(str(job.pk), path=str(path))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "前 20 个错误" in job.error
    assert job.result["errors"] == 20 and job.result["stopped"] is True
    assert not path.exists()
    assert not Household.objects.exists()


def test_a_job_left_running_by_a_dead_worker_is_marked_failed_and_its_upload_removed(
    clerk, settings
):
    uploads = Path(settings.MEDIA_ROOT) / "uploads"
    uploads.mkdir(parents=True)
    old, recent = uploads / "old.csv", uploads / "recent.csv"
    old.write_text("x"), recent.write_text("x")
    outside = Path(settings.MEDIA_ROOT) / "elsewhere.csv"
    outside.write_text("x")
    now = timezone.now()
    hours = datetime.timedelta(hours=settings.FUPIN_JOB_STALE_HOURS)

    def job(started, path, status=Job.Status.RUNNING):
        return Job.objects.create(
            kind="import_registry",
            owner=clerk,
            area=clerk.area,
            status=status,
            started_at=started,
            created_at=started,
            params={"path": str(path)},
        )

    stale = job(now - hours - datetime.timedelta(minutes=1), old)
    running = job(now - datetime.timedelta(minutes=5), recent)
    tricked = job(now - 2 * hours, outside)
    done = job(now - 2 * hours, recent, status=Job.Status.SUCCEEDED)

    assert job_recover_stale(now=now) == 2
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses[stale.pk] == statuses[tricked.pk] == Job.Status.FAILED
    assert statuses[running.pk] == Job.Status.RUNNING
    assert statuses[done.pk] == Job.Status.SUCCEEDED
    assert (
        "worker" in Job.objects.get(pk=stale.pk).error
        or "进程" in Job.objects.get(pk=stale.pk).error
    )
    assert not old.exists() and recent.exists()
    assert outside.exists()  # only uploads are removed, whatever a job's parameters say


def test_a_starting_worker_fails_the_jobs_it_had_claimed(clerk, settings):
    from django_tasks_db.models import DBTaskResult

    from fupin.registry.tasks import export_registry

    result = export_registry.enqueue("00000000-0000-0000-0000-000000000000")
    DBTaskResult.objects.filter(pk=result.id).update(status="RUNNING", worker_ids=["host-1"])
    job = Job.objects.create(
        kind="export_registry",
        owner=clerk,
        area=clerk.area,
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        task_result_id=str(result.id),
    )
    assert job_recover_stale(worker_id="host-2") == 0
    assert job_recover_stale(worker_id="host-1") == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
