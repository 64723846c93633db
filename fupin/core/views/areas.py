from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fupin.core.access import ACTION, require
from fupin.core.jobs import job_start
from fupin.core.models import Area, Job
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.core.statistics import counted_models
from fupin.core.tasks import recompute_area_statistics


@require()
def area_detail(request, code):
    area = get_scoped_or_404(Area, request.user, code=code)
    latest = (
        Job.objects.for_user(request.user)
        .filter(kind=recompute_area_statistics.name, area=area, status=Job.Status.SUCCEEDED)
        .order_by("-finished_at")
        .first()
    )
    labels = {"villages": _("Villages"), "users": _("Users")}
    labels.update({key: label for key, label, _model in counted_models()})
    return render(
        request,
        "core/area_detail.html",
        {
            "area": area,
            "ancestors": [a for a in area.ancestors() if request.user.may_see_area(a.code)],
            "children": Area.objects.children_of(area).order_by("code"),
            "statistics": latest,
            "labels": labels,
        },
    )


@require(Capability.RUN_TASKS, methods=ACTION)
def area_statistics_start(request, code):
    area = get_scoped_or_404(Area, request.user, code=code)
    job = job_start(task_obj=recompute_area_statistics, owner=request.user, area=area)
    messages.info(request, _("Area statistics are being recomputed."))
    return redirect("job-detail", job_id=job.pk)
