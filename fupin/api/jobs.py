"""Background tasks (jobs): status, progress, result and download — the user's own, as the
task pages show them (fupin/core/views/jobs.py decides who sees which job)."""

import datetime
import uuid
from typing import Any

from ninja import Query, Router, Schema

from fupin.api.access import need
from fupin.api.errors import ERRORS
from fupin.api.pagination import DEFAULT_LIMIT
from fupin.api.types import Slug
from fupin.core.models import Job
from fupin.core.roles import Capability
from fupin.core.selectors import visible_job

router = Router()


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    area: str
    status: str
    done: int
    total: int | None
    percent: int | None
    message: str
    # What the task returned (an import's counts and report, a run's id and figures);
    # `download` is set when it produced a file.
    result: dict[str, Any] | None
    error: str
    download: str | None
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None


def job_out(job: Job) -> dict:
    """A job as the API answers it; where the task's file lies on disk stays unsaid."""
    result = dict(job.result) if job.result else None
    has_file = bool(result and result.pop("file", None)) and job.is_finished
    return {
        "id": job.pk,
        "kind": job.kind,
        "label": str(job.kind_info.label),
        "area": job.area_id,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "result": result,
        "error": job.error,
        "download": f"/api/v1/jobs/{job.pk}/download/" if has_file else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


class JobList(Schema):
    items: list[JobOut]


class JobFilters(Schema):
    status: Slug | None = None
    limit: int = DEFAULT_LIMIT


@router.get("/jobs/", response={200: JobList, **ERRORS}, tags=["jobs"])
def job_list(request, filters: Query[JobFilters]):
    """The user's latest jobs, newest first (at most 100, as the tasks page)."""
    need(request, Capability.VIEW)
    jobs = Job.objects.visible_to(request.user)
    if filters.status:
        jobs = jobs.filter(status=filters.status)
    jobs = jobs.order_by("-created_at")[: max(1, min(filters.limit, 100))]
    return {"items": [job_out(job) for job in jobs]}


@router.get("/jobs/{uuid:job_id}/", response={200: JobOut, **ERRORS}, tags=["jobs"])
def job_detail(request, job_id: uuid.UUID):
    """A job's status, progress and, once finished, its result or error: poll it."""
    need(request, Capability.VIEW)
    return job_out(visible_job(request, job_id))


@router.get(
    "/jobs/{uuid:job_id}/download/",
    response={200: None, **ERRORS},
    tags=["jobs"],
    openapi_extra={
        "responses": {200: {"description": "The file the job produced, as an attachment."}}
    },
)
def job_download(request, job_id: uuid.UUID):
    """The file a finished job produced: the task page's download itself, so the same rules
    hold (a file with full ID numbers seen by another is recorded; one-time passwords are
    their maker's, served once)."""
    from fupin.core.views.jobs import job_download as page_download

    need(request, Capability.VIEW)
    return page_download(request, job_id)
