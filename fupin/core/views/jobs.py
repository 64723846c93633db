from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render

from fupin.core.access import require
from fupin.core.models import Job
from fupin.core.selectors import visible_job


@require()
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("area", "owner")[:100]
    return render(request, "core/job_list.html", {"jobs": jobs})


@require()
def job_detail(request, job_id):
    return render(request, "core/job_detail.html", {"job": visible_job(request, job_id)})


@require()
def job_progress(request, job_id):
    """The progress fragment the job page polls (htmx) until the job finishes."""
    return render(request, "core/_job_progress.html", {"job": visible_job(request, job_id)})


@require()
def job_download(request, job_id):
    """The file a finished job produced, for whoever may see the job."""
    job = visible_job(request, job_id)
    relative = (job.result or {}).get("file") if job.is_finished else None
    if not relative:
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    if job.result.get("download_once") and job.owner_id != request.user.pk:
        raise Http404  # one-time passwords are for the administrator who made them
    handle = path.open("rb")
    if job.result.get("download_once"):
        # One-time passwords: served once, then gone from the disk and from the job's page.
        path.unlink()
        Job.objects.filter(pk=job.pk).update(result={**job.result, "file": "", "downloaded": True})
    return FileResponse(handle, as_attachment=True, filename=job.result["filename"])
