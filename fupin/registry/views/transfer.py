"""Import, export and the template: the registry's file exchange with Excel."""

import io

from django.http import HttpResponse
from django.shortcuts import redirect, render

from fupin.areacodes import Level
from fupin.core.access import ACTION, FORM, require
from fupin.core.jobs import import_start, job_start
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.registry.forms import ExportForm, UploadForm
from fupin.registry.tasks import export_registry, import_registry
from fupin.registry.template_workbook import write_template_workbook


def user_area(request):
    code = request.GET.get("area") or request.POST.get("area") or request.user.area_id
    if not code:
        return Area.objects.filter(level=1).order_by("code").first()
    return get_scoped_or_404(Area, request.user, code=code)


@require(Capability.EDIT_REGISTRY, Capability.RUN_TASKS, methods=FORM)
def registry_import(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_start(
            task_obj=import_registry,
            upload=form.cleaned_data["file"],
            owner=request.user,
            area=user_area(request),
        )
        return redirect("job-detail", job_id=job.pk)
    return render(request, "registry/import.html", {"form": form})


@require(Capability.VIEW_REGISTRY)
def registry_template(request):
    """The empty import template as .xlsx, with Chinese headers, drop-down lists, the user's
    villages and how to fill each column (registry.template_workbook)."""
    villages = Area.objects.for_user(request.user).filter(level=Level.VILLAGE).order_by("code")
    groups = {}
    for parent, name in (
        Area.objects.filter(parent__in=villages).order_by("code").values_list("parent_id", "name")
    ):
        groups.setdefault(parent, []).append(name)
    buffer = io.BytesIO()
    write_template_workbook(
        buffer,
        [(code, name, groups.get(code, [])) for code, name in villages.values_list("code", "name")],
    )
    response = HttpResponse(
        buffer.getvalue(),
        content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E6%88%B7%E7%B1%8D%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"  # noqa: E501 - 户籍导入模板.xlsx
    )
    return response


@require(Capability.VIEW_REGISTRY, Capability.RUN_TASKS, methods=ACTION)
def registry_export(request):
    form = ExportForm(request.POST)
    if not form.is_valid():
        return redirect("household-list")
    full = form.cleaned_data["full_id_numbers"] and request.user.can(Capability.REVEAL_ID_NUMBERS)
    job = job_start(
        task_obj=export_registry,
        owner=request.user,
        area=user_area(request),
        file_format=form.cleaned_data["format"],
        full_id_numbers=full,
    )
    return redirect("job-detail", job_id=job.pk)
