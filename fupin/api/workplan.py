"""The work plan: annual plans, objectives, projects with their funding, progress updates and
expenditures — read as the pages show them, written through the pages' forms and services
(fupin/workplan/views.py, services.py), so validation and history are theirs."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema, Status

from fupin.api.access import need
from fupin.api.binding import form_data, valid
from fupin.api.errors import ERRORS, ApiError
from fupin.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode, keyset_page
from fupin.api.types import AreaCode, Id, Slug
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.workplan import selectors, services
from fupin.workplan.models import AnnualPlan, Objective

router = Router(tags=["workplan"])

NO_SUCH_ROW = gettext_lazy("The project has no such row: %(rows)s.")


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _id_cursor(cursor: str | None) -> str | None:
    from django.utils.translation import gettext as _

    if cursor and not decode(cursor).isdigit():
        raise ApiError(400, "bad_cursor", _("The cursor is not valid."))
    return cursor


def _fields(row, names) -> dict:
    return {name: getattr(row, name) for name in names}


# --- plans and objectives --------------------------------------------------------------------


class ObjectiveOut(Schema):
    id: int
    plan: Id
    number: int
    description: str
    indicator: str
    target: str
    actual: str
    met: bool | None
    description_en: str
    indicator_en: str
    target_en: str


class PlanOut(Schema):
    id: int
    area: str
    year: int
    title: str
    title_en: str


class PlanDetail(PlanOut):
    preamble: str
    guiding_ideology: str
    objectives_intro: str
    closing: str
    preamble_en: str
    guiding_ideology_en: str
    objectives_intro_en: str
    closing_en: str
    objectives: list[ObjectiveOut]
    projects: list[int]


class PlanPage(Schema):
    items: list[PlanOut]
    next_cursor: str | None


class PlanFilters(Schema):
    area: AreaCode | None = None
    year: int | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


PLAN_FIELDS = ["id", "year", "title", "title_en"]
PLAN_TEXTS = [name for name in PlanDetail.model_fields if name not in PlanOut.model_fields]
PLAN_TEXTS = [name for name in PLAN_TEXTS if name not in ("objectives", "projects")]
OBJECTIVE_FIELDS = [name for name in ObjectiveOut.model_fields if name != "plan"]


def _plan(plan) -> dict:
    return {**_fields(plan, PLAN_FIELDS), "area": plan.area_id}


def _objective(objective) -> dict:
    return {**_fields(objective, OBJECTIVE_FIELDS), "plan": objective.plan_id}


@router.get("/workplan/plans/", response={200: PlanPage, **ERRORS})
def plan_list(request, filters: Query[PlanFilters]):
    """The annual work plans of the user's areas, by id."""
    need(request, Capability.VIEW)
    plans = selectors.visible_plans(request.user)
    if filters.area:
        plans = plans.filter(area_id=filters.area)
    if filters.year:
        plans = plans.filter(year=filters.year)
    rows, cursor = keyset_page(plans, "id", _id_cursor(filters.cursor), _limit(filters.limit))
    return {"items": [_plan(p) for p in rows], "next_cursor": cursor}


@router.get("/workplan/plans/{int:pk}/", response={200: PlanDetail, **ERRORS})
def plan_detail(request, pk: Id):
    """A plan with its texts, objectives and the ids of the projects the user sees."""
    need(request, Capability.VIEW)
    plan = get_scoped_or_404(AnnualPlan, request.user, pk=pk)
    return {
        **_plan(plan),
        **_fields(plan, PLAN_TEXTS),
        "objectives": [_objective(o) for o in plan.objectives.order_by("number")],
        "projects": list(
            selectors.visible_projects(request.user)
            .filter(plan=plan)
            .order_by("number")
            .values_list("pk", flat=True)
        ),
    }


class PlanChange(Schema):
    """Texts to change; those left out keep their value. The area and year stay."""

    title: str | None = None
    title_en: str | None = None
    preamble: str | None = None
    guiding_ideology: str | None = None
    objectives_intro: str | None = None
    closing: str | None = None
    preamble_en: str | None = None
    guiding_ideology_en: str | None = None
    objectives_intro_en: str | None = None
    closing_en: str | None = None


class PlanNew(PlanChange):
    area: str
    year: int
    title: str


@router.post("/workplan/plans/", response={201: PlanDetail, **ERRORS})
def plan_create(request, body: PlanNew):
    """A plan for one of the user's townships or villages, as the page's form makes it."""
    from fupin.workplan.forms import PlanForm

    need(request, Capability.EDIT_PLAN)
    areas = selectors.plan_areas(request.user)
    form = PlanForm(form_data(PlanForm, None, body.dict()), areas=areas)
    plan = services.plan_create(**valid(form))
    return Status(201, plan_detail(request, plan.pk))


@router.patch("/workplan/plans/{int:pk}/", response={200: PlanDetail, **ERRORS})
def plan_update(request, pk: Id, body: PlanChange):
    from fupin.workplan.forms import PlanForm

    need(request, Capability.EDIT_PLAN)
    plan = get_scoped_or_404(AnnualPlan, request.user, pk=pk)
    form = PlanForm(form_data(PlanForm, plan, body.dict()), instance=plan)
    services.plan_update(plan=plan, **valid(form))
    return plan_detail(request, plan.pk)


class ObjectiveChange(Schema):
    number: int | None = None
    description: str | None = None
    indicator: str | None = None
    target: str | None = None
    actual: str | None = None
    # true, false, or "unknown" (not judged); left out keeps the value.
    met: bool | str | None = None
    description_en: str | None = None
    indicator_en: str | None = None
    target_en: str | None = None


class ObjectiveNew(ObjectiveChange):
    description: str
    indicator: str
    target: str


def _objective_form(objective, given: dict):
    from fupin.workplan.forms import ObjectiveForm

    data = form_data(ObjectiveForm, objective, given)
    # A NullBooleanField posts "true", "false" or "unknown"; False is not left out here.
    met = given.get("met", objective.met)
    data["met"] = {True: "true", False: "false", None: "unknown"}.get(met, met)
    return valid(ObjectiveForm(data, instance=objective))


@router.post("/workplan/plans/{int:pk}/objectives/", response={201: ObjectiveOut, **ERRORS})
def objective_create(request, pk: Id, body: ObjectiveNew):
    """An objective (target) of the plan; its number defaults to the next one."""
    from django.db.models import Max

    need(request, Capability.EDIT_PLAN)
    plan = get_scoped_or_404(AnnualPlan, request.user, pk=pk)
    given = body.dict()
    if given.get("number") is None:
        given["number"] = (plan.objectives.aggregate(top=Max("number"))["top"] or 0) + 1
    data = _objective_form(Objective(plan=plan), given)
    return Status(201, _objective(services.objective_create(plan=plan, **data)))


@router.patch("/workplan/objectives/{int:pk}/", response={200: ObjectiveOut, **ERRORS})
def objective_update(request, pk: Id, body: ObjectiveChange):
    need(request, Capability.EDIT_PLAN)
    objective = get_scoped_or_404(Objective.objects.select_related("plan"), request.user, pk=pk)
    data = _objective_form(objective, body.dict(exclude_unset=True))
    return _objective(services.objective_update(objective=objective, **data))


# --- projects ----------------------------------------------------------------------------------


class FundingOut(Schema):
    id: int
    kind: str
    department: Id | None
    planned_amount: Decimal | None
    allocated_amount: Decimal
    in_kind: str


class QuantityOut(Schema):
    id: int
    description: str
    amount: Decimal
    unit: str


class ProgressOut(Schema):
    id: int
    project: Id
    date: datetime.date
    percent: int
    note: str
    has_photo: bool
    reported_by: str | None


class ExpenditureOut(Schema):
    id: int
    project: Id
    date: datetime.date
    amount: Decimal
    source: str
    voucher_no: str
    note: str
    recorded_by: str | None


class ProjectOut(Schema):
    id: int
    plan: Id
    area: str
    year: int
    number: int
    name: str
    name_en: str
    category: str
    work_item: Id | None
    lead_department: Id
    lead_department_name: str
    status: str
    planned_start_month: int | None
    planned_completion_month: int | None
    planned_start: datetime.date
    deadline: datetime.date
    started_on: datetime.date | None
    completed_on: datetime.date | None
    progress_percent: int
    last_progress_on: datetime.date | None
    persons_served: int | None
    households_served: int | None
    # Money in yuan: the valued planned funding, allocated and spent so far.
    budget: Decimal
    allocated: Decimal
    spent: Decimal


class ProjectDetail(ProjectOut):
    schedule_note: str
    description: str
    description_en: str
    partner_departments: list[int]
    locations: list[str]
    beneficiary_households: list[int]
    carried_over_from: Id | None
    carry_over_amount: Decimal | None
    carry_over_note: str
    funding: list[FundingOut]
    quantities: list[QuantityOut]
    progress: list[ProgressOut]
    expenditures: list[ExpenditureOut]


class ProjectPage(Schema):
    items: list[ProjectOut]
    next_cursor: str | None


class ProjectFilters(Schema):
    plan: Id | None = None
    area: AreaCode | None = None
    year: int | None = None
    status: Slug | None = None
    category: Slug | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


PROJECT_FIELDS = [
    "id", "number", "name", "name_en", "category", "status", "planned_start_month",
    "planned_completion_month", "planned_start", "deadline", "started_on", "completed_on",
    "progress_percent", "last_progress_on", "persons_served", "households_served",
]  # fmt: skip


def _project(project) -> dict:
    return {
        **_fields(project, PROJECT_FIELDS),
        "plan": project.plan_id,
        "area": project.plan.area_id,
        "year": project.plan.year,
        "work_item": project.work_item_id,
        "lead_department": project.lead_department_id,
        "lead_department_name": project.lead_department.name,
        "budget": _yuan(project.budget),
        "allocated": _yuan(project.allocated),
        "spent": _yuan(project.spent),
    }


def _yuan(amount) -> Decimal:
    """A sum in yuan to the fen, whatever the database's sum kept of the scale."""
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def _visible_projects(request):
    return (
        selectors.visible_projects(request.user)
        .with_money()
        .select_related("plan", "lead_department")
    )


def _project_or_404(request, pk: Id):
    return get_scoped_or_404(_visible_projects(request), request.user, pk=pk)


@router.get("/workplan/projects/", response={200: ProjectPage, **ERRORS})
def project_list(request, filters: Query[ProjectFilters]):
    """The projects the user sees (bureau staff: their departments'), by id, with money."""
    need(request, Capability.VIEW)
    projects = _visible_projects(request)
    if filters.plan:
        projects = projects.filter(plan_id=filters.plan)
    if filters.area:
        # An area of the user's (else 404), so a made-up code is never read as a range.
        projects = projects.in_area(get_scoped_or_404(Area, request.user, code=filters.area).code)
    if filters.year:
        projects = projects.in_year(filters.year)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.category:
        projects = projects.filter(category=filters.category)
    rows, cursor = keyset_page(projects, "id", _id_cursor(filters.cursor), _limit(filters.limit))
    return {"items": [_project(p) for p in rows], "next_cursor": cursor}


def _progress(update) -> dict:
    return {
        **_fields(update, ["id", "date", "percent", "note"]),
        "project": update.project_id,
        "has_photo": bool(update.photo),
        "reported_by": update.reported_by.username if update.reported_by_id else None,
    }


def _expenditure(row) -> dict:
    return {
        **_fields(row, ["id", "date", "amount", "source", "voucher_no", "note"]),
        "project": row.project_id,
        "recorded_by": row.recorded_by.username if row.recorded_by_id else None,
    }


@router.get("/workplan/projects/{int:pk}/", response={200: ProjectDetail, **ERRORS})
def project_detail(request, pk: Id):
    """A project with its funding sources, quantities, progress updates and expenditures."""
    need(request, Capability.VIEW)
    project = _project_or_404(request, pk)
    funding = [
        {**_fields(f, ["id", "kind", "planned_amount", "allocated_amount", "in_kind"]),
         "department": f.department_id}
        for f in project.funding.order_by("pk")
    ]  # fmt: skip
    return {
        **_project(project),
        **_fields(project, ["schedule_note", "description", "description_en"]),
        **_fields(project, ["carry_over_amount", "carry_over_note"]),
        "carried_over_from": project.carried_over_from_id,
        "partner_departments": [d.pk for d in project.partner_departments.all()],
        "locations": [a.pk for a in project.locations.all()],
        "beneficiary_households": [h.pk for h in project.beneficiary_households.all()],
        "funding": funding,
        "quantities": [
            _fields(q, ["id", "description", "amount", "unit"])
            for q in project.quantities.order_by("pk")
        ],
        "progress": [
            _progress(u) for u in project.progress.select_related("reported_by").order_by("pk")
        ],
        "expenditures": [
            _expenditure(e)
            for e in project.expenditures.select_related("recorded_by").order_by("pk")
        ],
    }


class FundingRow(Schema):
    """A funding source: `id` of one to change (or to remove, `delete`); none for a new one.
    Rows not named keep what they are."""

    id: int | None = None
    kind: str | None = None
    department: Id | None = None
    planned_amount: Decimal | None = None
    allocated_amount: Decimal | None = None
    in_kind: str | None = None
    delete: bool = False


class QuantityRow(Schema):
    id: int | None = None
    description: str | None = None
    amount: Decimal | None = None
    unit: str | None = None
    delete: bool = False


class ProjectChange(Schema):
    """Fields to change; those left out keep their value. Links are ids (departments,
    households, the work item, the earlier project) and area codes (locations)."""

    number: int | None = None
    name: str | None = None
    name_en: str | None = None
    category: str | None = None
    work_item: Id | None = None
    lead_department: Id | None = None
    partner_departments: list[int] | None = None
    locations: list[str] | None = None
    planned_start_month: int | None = None
    planned_completion_month: int | None = None
    schedule_note: str | None = None
    persons_served: int | None = None
    households_served: int | None = None
    beneficiary_households: list[int] | None = None
    carried_over_from: Id | None = None
    carry_over_amount: Decimal | None = None
    carry_over_note: str | None = None
    description: str | None = None
    description_en: str | None = None
    funding: list[FundingRow] | None = None
    quantities: list[QuantityRow] | None = None


class ProjectNew(ProjectChange):
    name: str
    category: str
    lead_department: Id


def _rows_data(formset, given: list[dict] | None) -> dict:
    """What the page's row editor posts: every present row (as it is, or as changed), then
    the new ones."""
    prefix, data = formset.prefix, {}
    existing = list(formset.get_queryset())
    changes = {row["id"]: row for row in given or [] if row.get("id") is not None}
    unknown = set(changes) - {row.pk for row in existing}
    if unknown:
        raise ValidationError(
            {prefix: NO_SUCH_ROW % {"rows": ", ".join(map(str, sorted(unknown)))}}
        )
    fields = formset.form._meta.fields
    new = [row for row in given or [] if row.get("id") is None and not row.get("delete")]
    for index, row in enumerate(existing):
        change = changes.get(row.pk, {})
        values = form_data(formset.form, row, {k: change.get(k) for k in fields})
        data.update({f"{prefix}-{index}-{k}": v for k, v in values.items()})
        data[f"{prefix}-{index}-id"] = row.pk
        if change.get("delete"):
            data[f"{prefix}-{index}-DELETE"] = "on"
    for offset, row in enumerate(new, start=len(existing)):
        values = {k: v for k, v in row.items() if k in fields and v is not None}
        data.update({f"{prefix}-{offset}-{k}": v for k, v in values.items()})
    data[f"{prefix}-TOTAL_FORMS"] = len(existing) + len(new)
    data[f"{prefix}-INITIAL_FORMS"] = len(existing)
    return data


def _form_errors(form, *formsets) -> dict:
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    for formset in formsets:
        for index, row in enumerate(formset.forms):
            for name, messages in row.errors.items():
                errors[f"{formset.prefix}.{index}.{name}"] = [str(m) for m in messages]
        if formset.non_form_errors():
            errors[formset.prefix] = [str(m) for m in formset.non_form_errors()]
    return errors


def _save_project(request, plan, project, given: dict):
    """The page's editor: the project form and its funding and quantity rows, saved in one
    transaction through project_create/update and the funding and quantity services."""
    from fupin.workplan.forms import ProjectForm
    from fupin.workplan.models import Project
    from fupin.workplan.views import project_forms, save_project

    funding_given, quantities_given = given.pop("funding"), given.pop("quantities")
    _form, funding, quantities = project_forms(request.user, plan, project, None)
    data = form_data(ProjectForm, project or Project(plan=plan), given)
    data.update(_rows_data(funding, funding_given))
    data.update(_rows_data(quantities, quantities_given))
    form, funding, quantities = project_forms(request.user, plan, project, data)
    saved = save_project(plan, project, form, funding, quantities)
    if saved is None:
        raise ValidationError(_form_errors(form, funding, quantities))
    return saved


@router.post("/workplan/plans/{int:pk}/projects/", response={201: ProjectDetail, **ERRORS})
def project_create(request, pk: Id, body: ProjectNew):
    """A project of the plan, with its funding sources and quantities, as the page's editor
    saves it (all or nothing); its number defaults to the next one."""
    from django.db.models import Max

    need(request, Capability.EDIT_PLAN)
    plan = get_scoped_or_404(AnnualPlan.objects.select_related("area"), request.user, pk=pk)
    given = body.dict()
    if given.get("number") is None:
        given["number"] = (plan.projects.aggregate(top=Max("number"))["top"] or 0) + 1
    project = _save_project(request, plan, None, given)
    return Status(201, project_detail(request, project.pk))


@router.patch("/workplan/projects/{int:pk}/", response={200: ProjectDetail, **ERRORS})
def project_update(request, pk: Id, body: ProjectChange):
    need(request, Capability.EDIT_PLAN)
    project = _project_or_404(request, pk)
    _save_project(request, project.plan, project, body.dict())
    return project_detail(request, pk)


class StatusChange(Schema):
    status: str
    # The date of completion (completed, accepted) or start.
    on: datetime.date | None = None


@router.post("/workplan/projects/{int:pk}/status/", response={200: ProjectDetail, **ERRORS})
def project_status(request, pk: Id, body: StatusChange):
    """Move a project to a status, as the project page's status form does."""
    from fupin.workplan.forms import StatusForm

    need(request, Capability.EDIT_PLAN)
    project = _project_or_404(request, pk)
    data = valid(StatusForm({k: v for k, v in body.dict().items() if v is not None}))
    services.project_set_status(project=project, **data)
    return project_detail(request, pk)


# --- progress and spending: REPORT_PROGRESS, as the project page's two forms -------------------


class ProgressNew(Schema):
    date: datetime.date | None = None  # default: today
    percent: int
    note: str = ""


@router.post("/workplan/projects/{int:pk}/progress/", response={201: ProgressOut, **ERRORS})
def progress_create(request, pk: Id, body: ProgressNew):
    """Report a project's progress, as the project page does: the project starts with its
    first progress and completes at 100 %; a closed project takes none."""
    from fupin.workplan.forms import ProgressForm

    need(request, Capability.REPORT_PROGRESS)
    project = _project_or_404(request, pk)
    given = body.dict()
    given["date"] = given["date"] or timezone.localdate()
    data = valid(ProgressForm(form_data(ProgressForm, None, given)))
    update = services.progress_update_create(project=project, reported_by=request.user, **data)
    return Status(201, _progress(update))


class ExpenditureNew(Schema):
    date: datetime.date | None = None  # default: today
    amount: Decimal
    source: str
    voucher_no: str = ""
    note: str = ""


@router.post("/workplan/projects/{int:pk}/expenditures/", response={201: ExpenditureOut, **ERRORS})
def expenditure_create(request, pk: Id, body: ExpenditureNew):
    """Record spending against one of the project's funding sources, as the page does."""
    from fupin.workplan.forms import ExpenditureForm

    need(request, Capability.REPORT_PROGRESS)
    project = _project_or_404(request, pk)
    given = body.dict()
    given["date"] = given["date"] or timezone.localdate()
    form = ExpenditureForm(form_data(ExpenditureForm, None, given), project=project)
    row = services.expenditure_create(project=project, recorded_by=request.user, **valid(form))
    return Status(201, _expenditure(row))
