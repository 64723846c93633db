"""The work plan's pages: thin views over selectors (reads) and services (writes)."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fupin import areacodes
from fupin.core.access import require
from fupin.core.jobs import job_start
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import area_for_user_or_404, get_scoped_or_404
from fupin.workplan import charts, selectors, services, tasks
from fupin.workplan.forms import (
    DocumentForm,
    ExpenditureForm,
    LedgerForm,
    ObjectiveActualForm,
    ProgressForm,
    ScopeForm,
    StatusForm,
)
from fupin.workplan.models import AnnualPlan, Objective, ProgressUpdate


@dataclass
class Scope:
    area: Area
    year: int
    filters: selectors.Filters
    form: ScopeForm
    query: str  # ?year=…&area=… to carry to the other pages


def _top_area(user) -> Area:
    area = Area.objects.for_user(user).order_by("level", "code").first()
    if area is None:
        raise Http404
    return area


def _scope(request) -> Scope:
    """The area (in the user's subtree, else 404) and year a page shows, and its filters."""
    user = request.user
    code = request.GET.get("area") or ""
    area = area_for_user_or_404(user, code) if code else _top_area(user)
    years = selectors.plan_years(user) or [timezone.localdate().year]
    top = _top_area(user)
    areas = list(
        Area.objects.for_user(user)
        .filter(level__lte=areacodes.Level.VILLAGE, level__gte=top.level)
        .order_by("code")[:500]
    )
    form = ScopeForm(
        request.GET or None,
        years=years,
        areas=areas,
        departments=selectors.departments_in(user, area),
    )
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or years[0]
    department = data.get("department")
    filters = selectors.Filters(
        department=department.pk if department else None,
        category=data.get("category") or "",
        status=data.get("status") or "",
        late_only=bool(data.get("late")),
    )
    return Scope(area, year, filters, form, f"year={year}&area={area.code}")


def _context(scope: Scope, **more) -> dict:
    return {"scope": scope, "area": scope.area, "year": scope.year, **more}


def _abilities(user) -> dict:
    return {
        "can_edit_plan": user.can(Capability.EDIT_PLAN),
        "can_report": user.can(Capability.REPORT_PROGRESS),
        "can_run_tasks": user.can(Capability.RUN_TASKS),
        "can_view_audit": user.can(Capability.VIEW_AUDIT),
    }


# --- plans -----------------------------------------------------------------------------------


@require(Capability.VIEW)
def plan_list(request):
    plans = (
        selectors.visible_plans(request.user)
        .select_related("area")
        .annotate(project_count=Count("projects"))
        .order_by("-year", "area")
    )
    return render(request, "workplan/plan_list.html", {"plans": plans})


@require(Capability.VIEW)
def plan_detail(request, plan_id):
    plan = get_scoped_or_404(AnnualPlan.objects.select_related("area"), request.user, pk=plan_id)
    today = timezone.localdate()
    projects = selectors.plan_projects(request.user, plan, today)
    return render(
        request,
        "workplan/plan_detail.html",
        {
            "plan": plan,
            "objectives": plan.objectives.all(),
            "work_items": plan.work_items.all(),
            "projects": projects,
            "totals": selectors.money_totals(projects),
            "warnings": selectors.warnings_for(projects),
            "gantt": charts.gantt(plan.year, projects, today),
            "query": f"year={plan.year}&area={plan.area_id}",
            "document_form": DocumentForm(),
            "edit_plan": request.user.can(Capability.EDIT_PLAN),
            **_abilities(request.user),
        },
    )


@require_POST
@require(Capability.EDIT_PLAN)
def objective_actual(request, objective_id):
    objective = get_scoped_or_404(Objective, request.user, pk=objective_id)
    form = ObjectiveActualForm(request.POST)
    if form.is_valid():
        services.objective_record_actual(
            objective=objective, actual=form.cleaned_data["actual"], met=form.cleaned_data["met"]
        )
        messages.success(request, _("The objective's result was saved."))
    else:
        messages.error(request, _("The objective's result was not saved."))
    return redirect("plan-detail", plan_id=objective.plan_id)


@require_POST
@require(Capability.RUN_TASKS)
def plan_document(request, plan_id):
    plan = get_scoped_or_404(AnnualPlan, request.user, pk=plan_id)
    form = DocumentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a document and a language."))
        return redirect("plan-detail", plan_id=plan.pk)
    task = (
        tasks.export_plan_document
        if form.cleaned_data["kind"] == "plan"
        else tasks.export_year_end_summary
    )
    job = job_start(
        task_obj=task,
        owner=request.user,
        area=plan.area,
        plan_id=plan.pk,
        language=form.cleaned_data["language"],
    )
    return redirect("job-detail", job_id=job.pk)


@require_POST
@require(Capability.RUN_TASKS)
def ledger_export(request):
    form = LedgerForm(request.POST)
    if not form.is_valid():
        raise Http404
    area = area_for_user_or_404(request.user, form.cleaned_data["area"])
    job = job_start(
        task_obj=tasks.export_project_ledger,
        owner=request.user,
        area=area,
        year=form.cleaned_data["year"],
    )
    return redirect("job-detail", job_id=job.pk)


# --- projects --------------------------------------------------------------------------------


@require(Capability.VIEW)
def project_list(request):
    scope = _scope(request)
    today = timezone.localdate()
    projects = selectors.project_rows(
        request.user, area=scope.area, year=scope.year, today=today, filters=scope.filters
    )
    return render(
        request,
        "workplan/project_list.html",
        _context(scope, projects=projects, totals=selectors.money_totals(projects)),
    )


def _project_or_404(request, project_id):
    projects = selectors.visible_projects(request.user).with_money()
    return get_scoped_or_404(
        projects.select_related("plan__area", "lead_department"), request.user, pk=project_id
    )


def _project_page(request, project, *, progress_form=None, expenditure_form=None, status=200):
    today = timezone.localdate()
    project = selectors.judged(
        selectors.visible_projects(request.user).filter(pk=project.pk), today
    )[0]
    return render(
        request,
        "workplan/project_detail.html",
        {
            "project": project,
            "plan": project.plan,
            "quantities": project.quantities.all(),
            "funding": project.funding.select_related("department"),
            "progress": project.progress.select_related("reported_by"),
            "expenditures": project.expenditures.select_related("recorded_by"),
            "gantt": charts.gantt(project.plan.year, [project], today),
            "budget_chart": charts.bar_chart(
                selectors.money_by_project([project]), width=420, label_width=4
            ),
            "progress_form": progress_form or ProgressForm(initial={"date": today}),
            "expenditure_form": expenditure_form
            or ExpenditureForm(project=project, initial={"date": today}),
            "status_form": StatusForm(initial={"status": project.status}),
            **_abilities(request.user),
        },
        status=status,
    )


@require(Capability.VIEW)
def project_detail(request, project_id):
    return _project_page(request, _project_or_404(request, project_id))


@require_POST
@require(Capability.REPORT_PROGRESS)
def progress_create(request, project_id):
    project = _project_or_404(request, project_id)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.progress_update_create(
                project=project, reported_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _project_page(request, project, progress_form=form, status=400)
    messages.success(request, _("Progress recorded."))
    return redirect("project-detail", project_id=project.pk)


@require_POST
@require(Capability.REPORT_PROGRESS)
def expenditure_create(request, project_id):
    project = _project_or_404(request, project_id)
    form = ExpenditureForm(request.POST, project=project)
    if form.is_valid():
        try:
            services.expenditure_create(
                project=project, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _project_page(request, project, expenditure_form=form, status=400)
    messages.success(request, _("Expenditure recorded."))
    return redirect("project-detail", project_id=project.pk)


@require_POST
@require(Capability.EDIT_PLAN)
def project_status(request, project_id):
    project = _project_or_404(request, project_id)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.project_set_status(project=project, **form.cleaned_data)
            messages.success(request, _("Status changed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("project-detail", project_id=project.pk)


@require(Capability.VIEW)
def progress_photo(request, update_id):
    """A progress photo, for those who see its project; media files are never public."""
    updates = ProgressUpdate.objects.filter(
        project__in=selectors.visible_projects(request.user)
    ).exclude(photo="")
    update = get_scoped_or_404(updates, request.user, pk=update_id)
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / update.photo.name).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), filename=path.name)


# --- area pages: the Gantt chart, money, warnings, departments, roll-ups ----------------------


def _area_projects(request, scope: Scope, *, all_years=False):
    return selectors.project_rows(
        request.user,
        area=scope.area,
        year=None if all_years else scope.year,
        today=timezone.localdate(),
        filters=scope.filters,
    )


@require(Capability.VIEW)
def gantt(request):
    scope = _scope(request)
    projects = _area_projects(request, scope)
    chart = charts.gantt(scope.year, projects, timezone.localdate())
    return render(request, "workplan/gantt.html", _context(scope, gantt=chart))


@require(Capability.VIEW)
def budget(request):
    scope = _scope(request)
    projects = _area_projects(request, scope)
    return render(
        request,
        "workplan/budget.html",
        _context(
            scope,
            totals=selectors.money_totals(projects),
            by_project=charts.bar_chart(selectors.money_by_project(projects)),
            by_department=charts.bar_chart(selectors.money_by_department(projects)),
            by_source=charts.bar_chart(selectors.money_by_source(projects)),
        ),
    )


@require(Capability.VIEW)
def warnings(request):
    scope = _scope(request)
    projects = _area_projects(request, scope, all_years=True)
    return render(
        request,
        "workplan/warnings.html",
        _context(scope, warnings=selectors.warnings_for(projects)),
    )


@require(Capability.VIEW)
def departments(request):
    scope = _scope(request)
    projects = _area_projects(request, scope)
    return render(
        request,
        "workplan/departments.html",
        _context(scope, table=selectors.department_view(projects)),
    )


@require(Capability.VIEW)
def rollup(request):
    scope = _scope(request)
    projects = _area_projects(request, scope)
    rows, total = selectors.rollup(projects, scope.area)
    return render(request, "workplan/rollup.html", _context(scope, rows=rows, total=total))
