"""Reads of core's records beyond a filter, for the pages and the API alike."""

from django.shortcuts import get_object_or_404

from fupin.core.models import AccessEvent, Job


def visible_job(request, job_id) -> Job:
    """The job, if the user may see it (404 otherwise). A finished job whose result holds
    full ID numbers (`id_numbers` in its result: an export with them, an import's error
    report) seen by anyone but its owner — an administrator of the area — is a disclosure,
    recorded as the owner's export was: so the read writes an `AccessEvent`, naming the
    page or API operation that read it."""
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
