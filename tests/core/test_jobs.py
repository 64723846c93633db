"""Background tasks run in the real database worker; progress and errors reach their owner."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.core.jobs import JobError, job_progress, job_start, job_task
from fupin.core.models import Job
from fupin.core.roles import Role
from fupin.core.tasks import recompute_area_statistics

pytestmark = pytest.mark.django_db(transaction=True)


@job_task(label=_("A task that fails"))
def failing_task(job, *, reason):
    job_progress(job, done=1, total=4, message="started")
    raise JobError(reason)


@job_task(label=_("A task that breaks"))
def broken_task(job):
    return 1 / 0


@job_task(label=_("A task that finishes"))
def finishing_task(job):
    job_progress(job, done=4, total=4, message="正在写入")
    return {}


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def test_area_statistics_run_in_the_worker_and_show_progress(world, client):
    clerk = world.user(Role.TOWNSHIP_REVIEWER)
    client.force_login(clerk)
    response = client.post(reverse("area-statistics", args=[clerk.area_id]))
    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    assert job.status == Job.Status.QUEUED
    page = client.get(reverse("job-progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page  # the page keeps polling while queued

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.percent == 100
    rows = {row["code"]: row["counts"] for row in job.result["rows"]}
    assert {code: (c["villages"], c["users"]) for code, c in rows.items()} == {
        "450101001001": (1, 2),
        "450101001002": (1, 0),
    }
    finished = client.get(reverse("job-progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in finished  # polling stops when the job is done
    area_page = client.get(reverse("area-detail", args=[clerk.area_id])).content.decode()
    assert "甲一村" in area_page and "统计时间" in area_page


def test_a_step_is_shown_while_the_job_runs_not_once_it_has_ended(world, client):
    owner = world.user(Role.VILLAGE_CLERK)
    client.force_login(owner)
    job = job_start(task_obj=finishing_task, owner=owner, area=owner.area)
    job_progress(job, done=1, total=4, message="正在检查")
    running = client.get(reverse("job-progress", args=[job.pk])).content.decode()
    assert "正在检查" in running

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.SUCCEEDED, "正在写入")
    finished = client.get(reverse("job-progress", args=[job.pk])).content.decode()
    assert "4 / 4 (100%)" in finished
    assert "正在写入" not in finished


def test_a_failing_task_shows_its_error_to_its_owner(world, client):
    owner = world.user(Role.VILLAGE_CLERK)
    job = job_start(
        task_obj=failing_task, owner=owner, area=owner.area, reason="第3行身份证号码错误"
    )
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "第3行身份证号码错误"
    client.force_login(owner)
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert "任务失败" in page and "第3行身份证号码错误" in page
    home = client.get(reverse("home")).content.decode()
    assert "失败的后台任务" in home


def test_an_unexpected_exception_is_shown_by_type_and_marks_the_job_failed(world):
    owner = world.user(Role.VILLAGE_CLERK)
    job = job_start(task_obj=broken_task, owner=owner, area=owner.area)
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "ZeroDivisionError: division by zero"


def test_someone_elses_job_is_not_found(world, client):
    owner = world.user(Role.VILLAGE_CLERK)
    job = job_start(task_obj=recompute_area_statistics, owner=owner, area=owner.area)
    client.force_login(world.user(Role.RESIDENT_TEAM))  # same village, not the owner
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 404
    client.force_login(world.user(Role.ADMIN))  # an administrator of the area may look
    assert client.get(reverse("job-detail", args=[job.pk])).status_code == 200


@job_task(label=_("A task that writes a file"))
def file_task(job):
    from fupin.core.jobs import job_file_path, job_file_result

    path = job_file_path(job, "户表.csv")
    path.write_text("户编号\n1\n", encoding="utf-8")
    return job_file_result(job, path, rows=1)


def test_a_file_made_by_a_job_is_downloaded_by_its_owner_only(world, client):
    owner = world.user(Role.VILLAGE_CLERK)
    job = job_start(task_obj=file_task, owner=owner, area=owner.area)
    run_worker()
    client.force_login(owner)
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert reverse("job-download", args=[job.pk]) in page
    response = client.get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "户编号\n1\n"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(world.user(Role.RESIDENT_TEAM))
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404
