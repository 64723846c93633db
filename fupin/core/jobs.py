"""Background work with progress: start a job, report progress, finish with a result or error.

A job function is an ordinary function `f(job, **params) -> dict` decorated with `@job_task`;
it runs in the task worker (django-tasks, database backend), calls `job_progress` as it goes,
and returns a JSON-able result. If it raises, the job is marked failed and its owner sees the
error: a `JobError` carries a message meant for users, anything else is shown by its type and
text.
"""

import datetime
import functools
import traceback
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from fupin.core.models import Area, Job, User
from fupin.core.models.jobs import JOB_KINDS, JobKind


class JobError(Exception):
    """A failure whose message is meant for the person who started the job.

    `result` is kept on the failed job: for example an import's error report, which the
    owner downloads from the job's page.
    """

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result


def job_task(*, label, result_template: str = ""):
    """Make `func(job, **params)` a task that keeps its Job row up to date.

    `label` names the kind of work for its owner; `result_template`, if given, shows the
    result on the job's page once it has succeeded.
    """

    def decorator(func):
        JOB_KINDS[func.__name__] = JobKind(label=label, result_template=result_template)
        return task(_tracked(func))

    return decorator


def _tracked(func):
    @functools.wraps(func)
    def run(job_id: str, **params):
        job = Job.objects.get(pk=job_id)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
        try:
            result = func(job, **params)
        except Exception as error:
            text = str(error) if isinstance(error, JobError) else f"{type(error).__name__}: {error}"
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                error=text,
                result=getattr(error, "result", None),
                message=traceback.format_exc(limit=-3)[-500:],
                finished_at=timezone.now(),
            )
            raise
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.SUCCEEDED,
            result=result,
            finished_at=timezone.now(),
            done=job_done_after(job.pk),
        )
        return result

    return run


def job_done_after(job_id) -> int:
    job = Job.objects.only("done", "total").get(pk=job_id)
    return job.total if job.total is not None else job.done


def job_start(*, task_obj, owner: User, area: Area, **params) -> Job:
    """Record a job and queue its task once the job row is committed."""
    job = Job(kind=task_obj.name, owner=owner, area=area, params=params)
    job.full_clean()
    job.save()

    def enqueue():
        result = task_obj.enqueue(str(job.pk), **params)
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def job_file_path(job: Job, filename: str) -> Path:
    """Where a job writes the file it produces (an export, a report, an error report).

    Return `job_file_result(job, path)` (merged into the job's result) so that the owner gets
    a download link on the job's page.
    """
    folder = Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder / filename


def job_file_result(job: Job, path: Path, **extra) -> dict:
    # Readable by the server's user only: exports and reports may hold full ID numbers.
    path.chmod(0o600)
    relative = path.relative_to(Path(settings.MEDIA_ROOT))
    return {"file": str(relative), "filename": path.name, **extra}


def job_progress(job: Job, *, done: int, total: int | None = None, message: str = "") -> None:
    """Report progress; written straight away so the owner's page can show it."""
    changes = {"done": done, "message": message[:500]}
    if total is not None:
        changes["total"] = total
    Job.objects.filter(pk=job.pk).update(**changes)


def save_upload(upload) -> Path:
    """An uploaded file under MEDIA_ROOT/uploads with a random name, for a job to read (and
    delete: uploads hold full ID numbers)."""
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}{Path(upload.name).suffix.lower()}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def import_start(*, task_obj, upload, owner: User, area: Area, **params) -> Job:
    """An import job of an uploaded file: the upload kept for the job to read (`save_upload`;
    the job deletes it, `import_errors.check_upload`), the job in the user's language and
    with the file's own name, `params` added."""
    return job_start(
        task_obj=task_obj,
        owner=owner,
        area=area,
        path=str(save_upload(upload)),
        language=translation.get_language(),
        original_name=upload.name[:200],
        **params,
    )


def _remove_upload(job: Job) -> None:
    """An import job's upload (it holds full ID numbers), if it is still there: only a file
    under MEDIA_ROOT/uploads, whatever the parameters say."""
    path = (job.params or {}).get("path")
    if not path:
        return
    uploads = (Path(settings.MEDIA_ROOT) / "uploads").resolve()
    upload = Path(path).resolve()
    if upload.is_relative_to(uploads) and upload != uploads:
        upload.unlink(missing_ok=True)


def job_recover_stale(*, worker_id: str = "", now=None) -> int:
    """Mark failed the jobs whose worker died under them, and remove their uploads: a job
    still queued or running after `FUPIN_JOB_STALE_HOURS`, and (`worker_id`, when a worker
    starts) every job that this worker had claimed and not finished, since a worker that is
    starting runs nothing. Returns how many jobs were marked."""
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.FUPIN_JOB_STALE_HOURS)
    unfinished = Job.objects.exclude(status__in=Job.FINISHED)
    stale = Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff)
    if worker_id:
        claimed = [
            str(result.pk)
            for result in DBTaskResult.objects.filter(status="RUNNING").only("worker_ids")
            if result.worker_ids and result.worker_ids[-1] == worker_id
        ]
        stale |= Q(status=Job.Status.RUNNING, task_result_id__in=claimed)
    jobs = list(unfinished.filter(stale))
    for job in jobs:
        _remove_upload(job)
    with translation.override(settings.LANGUAGE_CODE):
        error = str(_("The task stopped: its worker ended while it ran. Start it again."))
    Job.objects.filter(pk__in=[job.pk for job in jobs]).update(
        status=Job.Status.FAILED, error=error, finished_at=now
    )
    return len(jobs)


def job_files_cleanup(*, now=None) -> int:
    """Remove the files of jobs that ended more than `FUPIN_JOB_FILE_DAYS` ago (and of jobs
    no longer recorded), and uploads left that long: exports and reports hold full ID
    numbers. The job rows stay, their download gone. Returns how many folders and uploads
    were removed."""
    import shutil

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.FUPIN_JOB_FILE_DAYS)
    removed = 0
    folder = Path(settings.MEDIA_ROOT) / "jobs"
    if folder.is_dir():
        keep = {
            str(pk)
            for pk in Job.objects.exclude(
                status__in=Job.FINISHED, finished_at__lt=cutoff
            ).values_list("pk", flat=True)
        }
        for entry in folder.iterdir():
            if entry.name not in keep and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    uploads = Path(settings.MEDIA_ROOT) / "uploads"
    if uploads.is_dir():
        for entry in uploads.iterdir():
            modified = datetime.datetime.fromtimestamp(entry.stat().st_mtime, tz=datetime.UTC)
            if entry.is_file() and modified < cutoff:
                entry.unlink(missing_ok=True)
                removed += 1
    return removed
