"""The household handbook (扶贫手册): one household's .docx straight away, a village's as a
background job (one .docx per household in a zip).

ID numbers are masked unless the user may reveal them and asks for them in full; printing
them in full is recorded as an export of ID numbers (AccessEvent)."""

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation

from fupin import areacodes
from fupin.core.access import ACTION, require
from fupin.core.jobs import job_start
from fupin.core.models import AccessEvent
from fupin.core.roles import Capability
from fupin.core.scoping import area_for_user_or_404, get_scoped_or_404
from fupin.fieldwork import handbook, tasks
from fupin.fieldwork.forms import HandbooksForm
from fupin.registry.models import Household

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require(Capability.VIEW_REGISTRY)
def household_handbook(request, household_id):
    user = request.user
    full = request.GET.get("id_numbers") == "full"
    if full and not user.can(Capability.REVEAL_ID_NUMBERS):
        raise PermissionDenied
    household = get_scoped_or_404(
        handbook.handbook_households(Household.objects.all()), user, pk=household_id
    )
    if full:
        AccessEvent.objects.create(
            user=user,
            action=AccessEvent.Action.EXPORT_ID_NUMBERS,
            area_id=household.village_id,
            object_label=Household._meta.label,
            object_pk=str(household.pk),
            detail="household handbook",
        )
    data = handbook.handbook_docx(household, today=timezone.localdate(), reveal=full)
    response = HttpResponse(data, content_type=DOCX)
    name = quote(handbook.handbook_filename(household))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@require(Capability.VIEW_REGISTRY, Capability.RUN_TASKS, methods=ACTION)
def village_handbooks(request, village_code):
    village = area_for_user_or_404(request.user, village_code)
    if village.level != areacodes.Level.VILLAGE:
        raise Http404
    form = HandbooksForm(request.POST)
    form.is_valid()
    full = form.cleaned_data.get("full_id_numbers", False)
    if full and not request.user.can(Capability.REVEAL_ID_NUMBERS):
        raise PermissionDenied
    job = job_start(
        task_obj=tasks.export_village_handbooks,
        owner=request.user,
        area=village,
        full_id_numbers=full,
        language=translation.get_language(),
    )
    return redirect("job-detail", job_id=job.pk)
