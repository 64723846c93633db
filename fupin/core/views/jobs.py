from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from fupin.core.access import require
from fupin.core.models import AccessEvent, Job


def _job_for(request, job_id):
    """The job, if the user may see it. A finished job whose result holds full ID numbers
    (`id_numbers` in its result: an export with them, an import's error report) seen by
    anyone but its owner — an administrator of the area — is a disclosure, recorded as the
    owner's export was."""
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=job_id)
    if job.is_finished and (job.result or {}).get("id_numbers") and job.owner_id != request.user.pk:
        AccessEvent.objects.create(
            user=request.user,
            action=AccessEvent.Action.EXPORT_ID_NUMBERS,
            area_id=job.area_id,
            object_label=Job._meta.label,
            object_pk=str(job.pk),
            detail=f"{request.resolver_match.url_name} of {job.owner.username}'s job",
        )
    return job


@require()
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("area", "owner")[:100]
    return render(request, "core/job_list.html", {"jobs": jobs})


@require()
def job_detail(request, job_id):
    return render(request, "core/job_detail.html", {"job": _job_for(request, job_id)})


@require()
def job_progress(request, job_id):
    """The progress fragment the job page polls (htmx) until the job finishes."""
    return render(request, "core/_job_progress.html", {"job": _job_for(request, job_id)})


@require()
def job_download(request, job_id):
    """The file a finished job produced, for whoever may see the job."""
    job = _job_for(request, job_id)
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
