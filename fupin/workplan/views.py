"""The work plan's pages: thin views over selectors (reads) and services (writes)."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import areacodes
from fupin.core.access import ACTION, FORM, require
from fupin.core.forms import add_validation_error
from fupin.core.jobs import job_start
from fupin.core.models import Area, User
from fupin.core.roles import Capability, Role
from fupin.core.scoping import area_for_user_or_404, get_scoped_or_404
from fupin.workplan import charts, selectors, services, tasks
from fupin.workplan.forms import (
    DepartmentForm,
    DocumentForm,
    ExpenditureForm,
    FundingFormSet,
    LedgerForm,
    ObjectiveActualForm,
    ObjectiveForm,
    PlanForm,
    ProgressForm,
    ProjectForm,
    QuantityFormSet,
    ScopeForm,
    StatusForm,
    WorkItemForm,
)
from fupin.workplan.models import (
    AnnualPlan,
    Department,
    Objective,
    ProgressUpdate,
    Project,
    WorkItem,
    photo_type,
)


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
    return render(request, "workplan/plan_list.html", {"plans": plans, **_abilities(request.user)})


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


@require(Capability.EDIT_PLAN, methods=ACTION)
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


@require(Capability.RUN_TASKS, methods=ACTION)
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


@require(Capability.RUN_TASKS, methods=ACTION)
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


@require(Capability.REPORT_PROGRESS, methods=ACTION)
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


@require(Capability.REPORT_PROGRESS, methods=ACTION)
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


@require(Capability.EDIT_PLAN, methods=ACTION)
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
    handle = path.open("rb")
    # Served as the image its bytes say it is, never by its stored name: a file that is no
    # image we accept (an HTML page or an SVG drawing left by some other way in) is a
    # download of no active type, and nothing served here may run as a page of Fupin's.
    kind = photo_type(handle.read(12))
    handle.seek(0)
    response = FileResponse(
        handle,
        filename=path.name,
        as_attachment=kind is None,
        content_type=kind or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


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
        _context(
            scope,
            table=selectors.department_view(projects),
            can_manage_departments=request.user.can(Capability.APPROVE),
        ),
    )


@require(Capability.VIEW)
def rollup(request):
    scope = _scope(request)
    projects = _area_projects(request, scope)
    rows, total = selectors.rollup(projects, scope.area)
    return render(request, "workplan/rollup.html", _context(scope, rows=rows, total=total))


# --- editing: plans, objectives, work items, projects, departments ---------------------------


def _saved(form, save):
    """Validate the form and save through a service; a service's ValidationError goes on the
    form. Returns what `save` returned, or None when the form must be shown again."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        add_validation_error(form, error)
        return None


def _edit_page(request, form, save, *, saved, done, title, back, back_label):
    """Every create and edit page of plans, objectives, work items and departments: on POST
    the form is validated and saved through `save` (a service), the user told `saved` and
    sent to `done(row)`; otherwise, or when the form is refused, the form is shown (400)."""
    row = request.method == "POST" and _saved(form, save)
    if row:
        messages.success(request, saved)
        return redirect(done(row))
    return render(
        request,
        "workplan/edit_form.html",
        {"form": form, "title": title, "back": back, "back_label": back_label},
        status=400 if request.method == "POST" else 200,
    )


def _to_plan(plan) -> str:
    return reverse("plan-detail", args=[plan.pk])


def _to_its_plan(row) -> str:
    """After an objective or a work item: back to the plan it belongs to."""
    return reverse("plan-detail", args=[row.plan_id])


def _plan_or_404(request, plan_id):
    return get_scoped_or_404(AnnualPlan.objects.select_related("area"), request.user, pk=plan_id)


@require(Capability.EDIT_PLAN, methods=FORM)
def plan_create(request):
    areas = selectors.plan_areas(request.user)
    form = PlanForm(
        request.POST or None,
        areas=areas,
        initial={"area": areas.last(), "year": timezone.localdate().year},
    )
    return _edit_page(
        request,
        form,
        lambda data: services.plan_create(**data),
        saved=_("The plan was created."),
        done=_to_plan,
        title=_("New annual work plan"),
        back=reverse("plan-list"),
        back_label=_("Plans"),
    )


@require(Capability.EDIT_PLAN, methods=FORM)
def plan_edit(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    return _edit_page(
        request,
        PlanForm(request.POST or None, instance=plan),
        lambda data: services.plan_update(plan=plan, **data),
        saved=_("The plan was saved."),
        done=_to_plan,
        title=_("Edit the plan"),
        back=reverse("plan-detail", args=[plan.pk]),
        back_label=plan.title,
    )


def _next_number(rows) -> int:
    return (rows.aggregate(top=Max("number"))["top"] or 0) + 1


@require(Capability.EDIT_PLAN, methods=FORM)
def objective_create(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    form = ObjectiveForm(
        request.POST or None,
        instance=Objective(plan=plan),
        initial={"number": _next_number(plan.objectives.all())},
    )
    return _edit_page(
        request,
        form,
        lambda data: services.objective_create(plan=plan, **data),
        saved=_("The objective was added."),
        done=_to_its_plan,
        title=_("New objective"),
        back=reverse("plan-detail", args=[plan.pk]),
        back_label=plan.title,
    )


@require(Capability.EDIT_PLAN, methods=FORM)
def objective_edit(request, objective_id):
    objective = get_scoped_or_404(
        Objective.objects.select_related("plan"), request.user, pk=objective_id
    )
    return _edit_page(
        request,
        ObjectiveForm(request.POST or None, instance=objective),
        lambda data: services.objective_update(objective=objective, **data),
        saved=_("The objective was saved."),
        done=_to_its_plan,
        title=_("Edit the objective"),
        back=reverse("plan-detail", args=[objective.plan_id]),
        back_label=objective.plan.title,
    )


@require(Capability.EDIT_PLAN, methods=FORM)
def work_item_create(request, plan_id):
    plan = _plan_or_404(request, plan_id)
    form = WorkItemForm(
        request.POST or None,
        instance=WorkItem(plan=plan),
        initial={"number": _next_number(plan.work_items.all())},
    )
    return _edit_page(
        request,
        form,
        lambda data: services.work_item_create(plan=plan, **data),
        saved=_("The work item was added."),
        done=_to_its_plan,
        title=_("New work item"),
        back=reverse("plan-detail", args=[plan.pk]),
        back_label=plan.title,
    )


@require(Capability.EDIT_PLAN, methods=FORM)
def work_item_edit(request, item_id):
    item = get_scoped_or_404(WorkItem.objects.select_related("plan"), request.user, pk=item_id)
    return _edit_page(
        request,
        WorkItemForm(request.POST or None, instance=item),
        lambda data: services.work_item_update(item=item, **data),
        saved=_("The work item was saved."),
        done=_to_its_plan,
        title=_("Edit the work item"),
        back=reverse("plan-detail", args=[item.plan_id]),
        back_label=item.plan.title,
    )


class _Rollback(Exception):
    """Raised inside the atomic block so that nothing of a rejected project is kept."""


_ROW_KEYS = {"id", "project", "DELETE"}


def _save_rows(formset, *, project, key, create, update, delete) -> bool:
    """Create, change or remove a project's funding or quantity rows through the services;
    a row the services reject gets the error. Unchanged rows are not saved again, so the
    change history shows only real changes."""
    ok = True
    for form in formset.forms:
        if not form.has_changed():
            continue
        try:
            if formset._should_delete_form(form):
                if form.instance.pk:
                    delete(**{key: form.instance})
                continue
            data = {k: v for k, v in form.cleaned_data.items() if k not in _ROW_KEYS}
            if form.instance.pk:
                update(**{key: form.instance}, **data)
            else:
                create(project=project, **data)
        except ValidationError as error:
            add_validation_error(form, error)
            ok = False
    return ok


def save_project(plan, project, form, funding, quantities):
    """The project and its rows in one transaction: all saved, or none (returns None)."""
    if not all([form.is_valid(), funding.is_valid(), quantities.is_valid()]):
        return None
    try:
        with transaction.atomic():
            try:
                if project is None:
                    project = services.project_create(plan=plan, **form.cleaned_data)
                else:
                    project = services.project_update(project=project, **form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
                raise _Rollback from error
            rows_ok = _save_rows(
                funding,
                project=project,
                key="source",
                create=services.funding_source_create,
                update=services.funding_source_update,
                delete=services.funding_source_delete,
            )
            rows_ok &= _save_rows(
                quantities,
                project=project,
                key="quantity",
                create=services.quantity_create,
                update=services.quantity_update,
                delete=services.quantity_delete,
            )
            if not rows_ok:
                raise _Rollback
    except _Rollback:
        return None
    return project


def project_forms(user, plan, project, data):
    """The project form and its funding and quantity rows, bound to `data` (or not), with
    the choices the user has in the plan's area: the page's and the API's one editor."""
    departments = services.departments_for_area(plan.area).order_by("name")
    instance = project or Project(plan=plan)
    initial = {} if project else {"number": _next_number(plan.projects.all())}
    form = ProjectForm(
        data,
        instance=instance,
        initial=initial,
        departments=departments,
        locations=Area.objects.for_user(user)
        .in_area(plan.area_id)
        .filter(level=areacodes.Level.GROUP)
        .order_by("code"),
        households=selectors.households_for_plan(user, plan),
        work_items=plan.work_items.all(),
        earlier=selectors.visible_projects(user)
        .filter(plan__area=plan.area, plan__year__lt=plan.year)
        .order_by("-plan__year", "number"),
    )
    rows = {"data": data, "instance": instance, "departments": departments}
    funding = FundingFormSet(prefix="funding", **rows)
    quantities = QuantityFormSet(prefix="quantities", **rows)
    return form, funding, quantities


def _project_editor(request, plan, project):
    data = request.POST if request.method == "POST" else None
    form, funding, quantities = project_forms(request.user, plan, project, data)
    if data is not None:
        saved = save_project(plan, project, form, funding, quantities)
        if saved:
            messages.success(request, _("The project was saved."))
            return redirect("project-detail", project_id=saved.pk)
    return render(
        request,
        "workplan/project_form.html",
        {
            "plan": plan,
            "project": project,
            "form": form,
            "funding": funding,
            "quantities": quantities,
        },
        status=400 if data is not None else 200,
    )


@require(Capability.EDIT_PLAN, methods=FORM)
def project_create(request, plan_id):
    return _project_editor(request, _plan_or_404(request, plan_id), None)


@require(Capability.EDIT_PLAN, methods=FORM)
def project_edit(request, project_id):
    project = get_scoped_or_404(
        selectors.visible_projects(request.user).select_related("plan__area"),
        request.user,
        pk=project_id,
    )
    return _project_editor(request, project.plan, project)


# Departments belong to a county (district) and name its bureaus' staff: county approvers
# (APPROVE) keep them, as they sit at the county level where the departments are.


@require(Capability.APPROVE)
def department_list(request):
    departments = (
        Department.objects.for_user(request.user)
        .select_related("area")
        .annotate(
            member_count=Count("members", distinct=True),
            led_count=Count("led_projects", distinct=True),
        )
        .order_by("area", "name")
    )
    return render(request, "workplan/department_list.html", {"departments": departments})


def _bureau_staff(user):
    return User.objects.for_user(user).filter(role=Role.BUREAU, is_active=True).order_by("username")


def _to_departments(_row) -> str:
    return reverse("department-list")


@require(Capability.APPROVE, methods=FORM)
def department_create(request):
    areas = Area.objects.for_user(request.user).filter(level=areacodes.Level.COUNTY)
    form = DepartmentForm(
        request.POST or None,
        areas=areas.order_by("code"),
        staff=_bureau_staff(request.user),
        initial={"area": areas.first()},
    )
    return _edit_page(
        request,
        form,
        lambda data: services.department_create(**data),
        saved=_("The department was created."),
        done=_to_departments,
        title=_("New department"),
        back=reverse("department-list"),
        back_label=_("Departments"),
    )


@require(Capability.APPROVE, methods=FORM)
def department_edit(request, department_id):
    department = get_scoped_or_404(Department, request.user, pk=department_id)
    form = DepartmentForm(
        request.POST or None,
        instance=department,
        areas=None,
        staff=_bureau_staff(request.user).in_area(department.area_id),
    )
    return _edit_page(
        request,
        form,
        lambda data: services.department_update(department=department, **data),
        saved=_("The department was saved."),
        done=_to_departments,
        title=_("Edit the department"),
        back=reverse("department-list"),
        back_label=_("Departments"),
    )
