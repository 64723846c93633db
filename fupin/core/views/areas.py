from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fupin.core.access import ACTION, FORM, require
from fupin.core.forms import AreaUploadForm
from fupin.core.jobs import import_start, job_start
from fupin.core.models import Area, Job
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.core.statistics import counted_models
from fupin.core.tasks import import_areas, recompute_area_statistics


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


# Areas are every other record's frame: administrators keep them. An area administrator's
# import may only add or rename areas in their own subtree (area_import.check_areas(within=)).
@require(Capability.MANAGE_USERS, Capability.RUN_TASKS, methods=FORM)
def area_import(request):
    form = AreaUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        user = request.user
        area = user.area or Area.objects.filter(level=1).order_by("code").first()
        if area is None:
            form.add_error(
                None,
                _("Fupin has no area yet: load the first division list with `fupin import-areas`."),
            )
            return render(request, "core/area_import.html", {"form": form}, status=400)
        job = import_start(
            task_obj=import_areas, upload=upload, owner=user, area=area, within=user.area_id or ""
        )
        return redirect("job-detail", job_id=job.pk)
    return render(request, "core/area_import.html", {"form": form})
