"""Job files (issue #16, item 13): written 0600, removed after FUPIN_JOB_FILE_DAYS by
`fupin cleanup-jobs`; an import's upload removed once read, whatever the outcome."""

import contextlib
import datetime
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from fupin.core.jobs import JobError, job_file_path, job_file_result
from fupin.core.models import Job
from fupin.core.roles import Role
from fupin.registry.tasks import import_registry
from tests.registry.factories import household_rows, write_template

pytestmark = pytest.mark.django_db


def make_job(user, **fields):
    return Job.objects.create(kind="export_registry", owner=user, area=user.area, **fields)


def test_a_job_file_is_readable_by_its_owner_process_only(world):
    job = make_job(world.user(Role.VILLAGE_CLERK))
    path = job_file_path(job, "x.xlsx")
    path.write_bytes(b"data")
    job_file_result(job, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o077 == 0


def test_cleanup_removes_old_job_files_and_uploads_only(world, settings):
    user = world.user(Role.VILLAGE_CLERK)
    now = timezone.now()
    old = make_job(user, status=Job.Status.SUCCEEDED, finished_at=now - datetime.timedelta(days=8))
    recent = make_job(user, status=Job.Status.FAILED, finished_at=now - datetime.timedelta(days=1))
    running = make_job(user, status=Job.Status.RUNNING)
    paths = {}
    for job in (old, recent, running):
        paths[job.pk] = job_file_path(job, "f.xlsx")
        paths[job.pk].write_bytes(b"x")
    orphan = job_file_path(make_job(user), "f.xlsx")
    orphan.write_bytes(b"x")
    Job.objects.filter(pk=orphan.parent.name).delete()
    uploads = Path(settings.MEDIA_ROOT) / "uploads"
    uploads.mkdir()
    left, fresh = uploads / "left.csv", uploads / "fresh.csv"
    left.write_text("x"), fresh.write_text("x")
    eight_days = (now - datetime.timedelta(days=8)).timestamp()
    os.utime(left, (eight_days, eight_days))

    call_command("cleanup-jobs", verbosity=0)

    assert not paths[old.pk].exists() and not paths[old.pk].parent.exists()
    assert paths[recent.pk].exists() and paths[running.pk].exists()
    assert not orphan.exists()
    assert not left.exists() and fresh.exists()
    assert Job.objects.filter(pk=old.pk).exists()  # the record stays


@pytest.mark.parametrize("outcome", ["imported", "refused", "unreadable"])
def test_every_finished_or_failed_import_removes_its_upload(outcome, world, settings):
    clerk = world.user(Role.VILLAGE_CLERK)
    uploads = Path(settings.MEDIA_ROOT) / "uploads"
    uploads.mkdir(parents=True)
    rows = household_rows(world.village)
    if outcome == "refused":
        rows[0]["name"] = ""
    path = write_template(uploads / "u.csv", rows)
    if outcome == "unreadable":
        path.write_bytes(b"\xff\xfe\x00")
    job = Job.objects.create(kind="import_registry", owner=clerk, area=clerk.area)
    with contextlib.suppress(JobError):  # a refused file fails its job
        import_registry.func(str(job.pk), path=str(path))
    job.refresh_from_db()
    assert job.status == (Job.Status.SUCCEEDED if outcome == "imported" else Job.Status.FAILED)
    assert not path.exists()
