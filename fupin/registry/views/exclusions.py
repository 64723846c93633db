"""Exclusion lists: what is stored of each list, and the upload of a new one."""

from django.shortcuts import redirect, render

from fupin.core.access import FORM, require
from fupin.core.jobs import import_start
from fupin.core.roles import Capability
from fupin.registry.exclusions import list_overview
from fupin.registry.forms import ExclusionUploadForm
from fupin.registry.tasks import import_exclusions
from fupin.registry.views.transfer import user_area

# Who keeps the lists: the all-areas administrator (all_areas=True), as for the assessment's
# standards (docs/assessment.md, "Standards"). A list comes from a county department (vehicle
# registration, finance, market regulation, housing) and applies to every village: its
# entries have no area, so area scoping cannot bound what an upload changes — a replaced list
# changes the checks of every village on the server. A county approver, or an administrator
# scoped to one county, could then rewrite what the other counties of a prefecture's server
# check against; a clerk who may edit the registry would be checking their own households
# against a list they could edit. MANAGE_USERS names the administrator; RUN_TASKS because the
# upload starts a background job (administrators have every capability).
KEEP_LISTS = (Capability.MANAGE_USERS, Capability.RUN_TASKS)


@require(*KEEP_LISTS, methods=FORM, all_areas=True)
def exclusion_lists(request):
    form = ExclusionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_start(
            task_obj=import_exclusions,
            upload=form.cleaned_data["file"],
            owner=request.user,
            area=user_area(request),
            kind=form.cleaned_data["kind"],
            source=form.cleaned_data["source"],
            replace=form.cleaned_data["replace"],
        )
        return redirect("job-detail", job_id=job.pk)
    return render(request, "registry/exclusions.html", {"form": form, "lists": list_overview()})
