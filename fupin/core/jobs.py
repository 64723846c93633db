"""Background work with progress: start a job, report progress, finish with a result or error.

A job function is an ordinary function `f(job, **params) -> dict` decorated with `@job_task`;
it runs in the task worker (django-tasks, database backend), calls `job_progress` as it goes,
and returns a JSON-able result. If it raises, the job is marked failed and its owner sees the
error: a `JobError` carries a message meant for users, anything else is shown by its type and
text.
"""

import functools
import traceback
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
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
    folder.mkdir(parents=True, exist_ok=True)
    return folder / filename


def job_file_result(job: Job, path: Path, **extra) -> dict:
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
