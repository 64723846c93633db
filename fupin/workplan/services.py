"""Writes to work plans and projects: one function per action, keyword-only, validated."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fupin import areacodes
from fupin.core.models import Area, User
from fupin.core.scoping import area_q
from fupin.workplan.models import (
    PLAN_EXISTS,
    AnnualPlan,
    Department,
    Expenditure,
    FundingSource,
    Objective,
    ProgressUpdate,
    Project,
    Quantity,
    Status,
    WorkItem,
)

LOCATION_OUTSIDE_PLAN = _("A project's location must lie in its plan's area.")
HOUSEHOLD_OUTSIDE_PLAN = _("A beneficiary household must live in the plan's area.")
DEPARTMENT_OUTSIDE_PLAN = _("This department does not work in the plan's area.")
WORK_ITEM_OF_OTHER_PLAN = _("The work item belongs to another plan.")
CARRY_OVER_NOT_EARLIER = _("A project can only be carried over from an earlier year's project.")
SOURCE_IN_USE = _(
    "Expenditures are recorded against this funding source: it cannot be removed or changed "
    "to another source."
)
NUMBER_TAKEN = _("This number is already used in the plan.")
NAME_TAKEN = _("The plan already has a project of this name.")
# What the project form may change; status and progress have their own services.
PROJECT_FIELDS = frozenset(
    {
        "work_item",
        "number",
        "name",
        "name_en",
        "category",
        "lead_department",
        "planned_start_month",
        "planned_completion_month",
        "schedule_note",
        "persons_served",
        "households_served",
        "carried_over_from",
        "carry_over_amount",
        "carry_over_note",
        "description",
        "description_en",
    }
)
PROGRESS_ON_CLOSED = _("This project is closed: no more progress can be reported.")
STATUS_NEEDS_DATE = _("Give the date the project was completed.")


def _write(row, fields: dict, *, free_in_plan: tuple[str, ...] = ()):
    """The one path every create and update below takes: set the fields, check what must be
    unique in the plan, validate the model and save. A create passes a new row, an update the
    stored one, so both are validated alike."""
    for field, value in fields.items():
        setattr(row, field, value)
    if free_in_plan:
        _check_free_in_plan(row, **dict.fromkeys(free_in_plan, True))
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def _write_department(department: Department, *, members: Iterable[User], **fields) -> Department:
    _write(department, fields)
    department.members.set(members)
    return department


def department_create(
    *, area: Area, name: str, name_en: str = "", members: Iterable[User] = ()
) -> Department:
    return _write_department(Department(area=area), name=name, name_en=name_en, members=members)


def department_update(
    *, department: Department, name: str, name_en: str = "", members: Iterable[User] = ()
) -> Department:
    return _write_department(department, name=name, name_en=name_en, members=members)


def _check_free_in_plan(row, **fields) -> None:
    """A number (or a project's name) is used once per plan; said on the field, in words
    users know, before the database's unique constraint would refuse it."""
    others = type(row).objects.filter(plan=row.plan_id).exclude(pk=row.pk)
    errors = {
        field: NUMBER_TAKEN if field == "number" else NAME_TAKEN
        for field in fields
        if others.filter(**{field: getattr(row, field)}).exists()
    }
    if errors:
        raise ValidationError(errors)


PLAN_TEXTS = frozenset(
    f"{field}{suffix}"
    for field in ("title", "preamble", "guiding_ideology", "objectives_intro", "closing")
    for suffix in ("", "_en")
)


def plan_create(*, area: Area, year: int, title: str, **texts: str) -> AnnualPlan:
    """`texts`: preamble, guiding_ideology, objectives_intro, closing (and their `_en`)."""
    if AnnualPlan.objects.filter(area=area, year=year).exists():
        raise ValidationError({"year": PLAN_EXISTS})
    return _write(AnnualPlan(area=area, year=year), {"title": title, **texts})


def plan_update(*, plan: AnnualPlan, title: str, **texts: str) -> AnnualPlan:
    """The area and year stay: the projects' deadlines are derived from the year."""
    unknown = set(texts) - PLAN_TEXTS
    if unknown:
        raise TypeError(f"plan_update() cannot change {sorted(unknown)}")
    return _write(plan, {"title": title, **texts})


def objective_create(
    *, plan: AnnualPlan, number: int, description: str, indicator: str, target: str, **more
) -> Objective:
    fields = {"number": number, "description": description, "indicator": indicator}
    return _write(
        Objective(plan=plan), {**fields, "target": target, **more}, free_in_plan=("number",)
    )


def objective_update(*, objective: Objective, **fields) -> Objective:
    """Number, description, indicator, target (and their `_en`), actual, met."""
    return _write(objective, fields, free_in_plan=("number",))


def objective_record_actual(*, objective: Objective, actual: str, met: bool | None) -> Objective:
    return _write(objective, {"actual": actual, "met": met})


def work_item_create(
    *, plan: AnnualPlan, number: int, kind: str, title: str, body: str = "", **more
) -> WorkItem:
    fields = {"number": number, "kind": kind, "title": title, "body": body, **more}
    return _write(WorkItem(plan=plan), fields, free_in_plan=("number",))


def work_item_update(*, item: WorkItem, **fields) -> WorkItem:
    """Number, kind, title, body (and their `_en`)."""
    return _write(item, fields, free_in_plan=("number",))


def departments_for_area(area: Area):
    """The departments that may work in an area: those of the area, above it or below it."""
    above = []
    code = area.code
    while code := areacodes.parent_code(code):
        above.append(code)
    return Department.objects.filter(Q(area__in=above) | area_q("area", area.code))


def _check_project_links(
    plan: AnnualPlan,
    *,
    fields: dict,
    departments: list[Department],
    locations: list[Area],
    households: list,
) -> None:
    """What a project points to must belong to its plan's area (and year, for carry-over)."""
    errors = {}
    if any(not plan.area.contains(location.code) for location in locations):
        errors["locations"] = LOCATION_OUTSIDE_PLAN
    if any(not plan.area.contains(household.village_id) for household in households):
        errors["beneficiary_households"] = HOUSEHOLD_OUTSIDE_PLAN
    allowed = set(departments_for_area(plan.area).values_list("pk", flat=True))
    lead = fields.get("lead_department")
    if lead is not None and lead.pk not in allowed:
        errors["lead_department"] = DEPARTMENT_OUTSIDE_PLAN
    if any(department.pk not in allowed for department in departments):
        errors["partner_departments"] = DEPARTMENT_OUTSIDE_PLAN
    item = fields.get("work_item")
    if item is not None and item.plan_id != plan.pk:
        errors["work_item"] = WORK_ITEM_OF_OTHER_PLAN
    earlier = fields.get("carried_over_from")
    if earlier is not None and (
        earlier.plan.year >= plan.year or not earlier.plan.area.contains(plan.area_id)
    ):
        errors["carried_over_from"] = CARRY_OVER_NOT_EARLIER
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def _write_project(
    project: Project,
    *,
    partner_departments: Iterable[Department],
    locations: Iterable[Area],
    beneficiary_households: Iterable,
    **fields,
) -> Project:
    """Creating and changing a project are one write: the links are checked against the
    plan's area, the fields set and validated, the many-to-many rows replaced."""
    locations, partners = list(locations), list(partner_departments)
    households = list(beneficiary_households)
    _check_project_links(
        project.plan,
        fields=fields,
        departments=partners,
        locations=locations,
        households=households,
    )
    _write(project, fields, free_in_plan=("number", "name"))
    project.partner_departments.set(partners)
    project.locations.set(locations)
    project.beneficiary_households.set(households)
    return project


def project_create(
    *,
    plan: AnnualPlan,
    number: int,
    name: str,
    category: str,
    lead_department: Department,
    partner_departments: Iterable[Department] = (),
    locations: Iterable[Area] = (),
    planned_start_month: int | None = None,
    planned_completion_month: int | None = None,
    beneficiary_households: Iterable = (),
    **more,
) -> Project:
    return _write_project(
        Project(plan=plan),
        partner_departments=partner_departments,
        locations=locations,
        beneficiary_households=beneficiary_households,
        number=number,
        name=name,
        category=category,
        lead_department=lead_department,
        planned_start_month=planned_start_month,
        planned_completion_month=planned_completion_month,
        **more,
    )


def project_update(
    *,
    project: Project,
    partner_departments: Iterable[Department] = (),
    locations: Iterable[Area] = (),
    beneficiary_households: Iterable = (),
    **fields,
) -> Project:
    """Change what the plan says of a project (see PROJECT_FIELDS); its plan stays."""
    unknown = set(fields) - PROJECT_FIELDS
    if unknown:
        raise TypeError(f"project_update() cannot change {sorted(unknown)}")
    return _write_project(
        project,
        partner_departments=partner_departments,
        locations=locations,
        beneficiary_households=beneficiary_households,
        **fields,
    )


def funding_source_create(
    *,
    project: Project,
    kind: str,
    planned_amount: Decimal | None,
    allocated_amount: Decimal = Decimal(0),
    department: Department | None = None,
    in_kind: str = "",
    in_kind_en: str = "",
) -> FundingSource:
    fields = {"kind": kind, "planned_amount": planned_amount, "allocated_amount": allocated_amount}
    more = {"department": department, "in_kind": in_kind, "in_kind_en": in_kind_en}
    return _write(FundingSource(project=project), {**fields, **more})


def _source_in_use(source: FundingSource) -> bool:
    return Expenditure.objects.filter(project=source.project_id, source=source.kind).exists()


def funding_source_update(
    *,
    source: FundingSource,
    kind: str,
    planned_amount: Decimal | None,
    allocated_amount: Decimal = Decimal(0),
    department: Department | None = None,
    in_kind: str = "",
    in_kind_en: str = "",
) -> FundingSource:
    before = FundingSource.objects.get(pk=source.pk)
    if kind != before.kind and _source_in_use(before):
        raise ValidationError({"kind": SOURCE_IN_USE})
    fields = {"kind": kind, "planned_amount": planned_amount, "allocated_amount": allocated_amount}
    more = {"department": department, "in_kind": in_kind, "in_kind_en": in_kind_en}
    return _write(source, {**fields, **more})


def funding_source_delete(*, source: FundingSource) -> None:
    if _source_in_use(FundingSource.objects.get(pk=source.pk)):
        raise ValidationError(SOURCE_IN_USE)
    source.delete()


def quantity_create(
    *, project: Project, description: str, amount: Decimal, unit: str, description_en: str = ""
) -> Quantity:
    fields = {"description": description, "description_en": description_en}
    return _write(Quantity(project=project), {**fields, "amount": amount, "unit": unit})


def quantity_update(
    *, quantity: Quantity, description: str, amount: Decimal, unit: str, description_en: str = ""
) -> Quantity:
    fields = {"description": description, "description_en": description_en}
    return _write(quantity, {**fields, "amount": amount, "unit": unit})


def quantity_delete(*, quantity: Quantity) -> None:
    quantity.delete()


@transaction.atomic
def progress_update_create(
    *,
    project: Project,
    date: date,
    percent: int,
    reported_by: User | None,
    note: str = "",
    photo=None,
) -> ProgressUpdate:
    """Record progress; the project starts with its first progress and completes at 100 %."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in (Status.PLANNED, Status.STARTED):
        raise ValidationError(PROGRESS_ON_CLOSED)
    update = ProgressUpdate(
        project=project, date=date, percent=percent, note=note, reported_by=reported_by
    )
    if photo:
        update.photo = photo
    update.full_clean()
    update.save()
    if project.last_progress_on is None or date >= project.last_progress_on:
        project.progress_percent, project.last_progress_on = percent, date
    if percent > 0 and project.status == Status.PLANNED:
        project.status, project.started_on = Status.STARTED, project.started_on or date
    if percent == 100:
        project.status, project.completed_on = Status.COMPLETED, date
    project.full_clean()
    project.save()
    return update


def expenditure_create(
    *,
    project: Project,
    date: date,
    amount: Decimal,
    source: str,
    recorded_by: User | None,
    voucher_no: str = "",
    note: str = "",
) -> Expenditure:
    expenditure = Expenditure(
        project=project,
        date=date,
        amount=amount,
        source=source,
        voucher_no=voucher_no.strip(),
        note=note,
        recorded_by=recorded_by,
    )
    expenditure.full_clean()
    expenditure.save()
    return expenditure


def project_set_status(*, project: Project, status: str, on: date | None = None) -> Project:
    """Move a project to a status; completing or accepting it needs the completion date."""
    if status in (Status.COMPLETED, Status.ACCEPTED) and not (on or project.completed_on):
        raise ValidationError({"completed_on": STATUS_NEEDS_DATE})
    project.status = status
    if status in (Status.COMPLETED, Status.ACCEPTED):
        project.completed_on = project.completed_on or on
        if status == Status.COMPLETED and on:
            project.completed_on = on
        project.progress_percent = 100
    if status == Status.STARTED and not project.started_on:
        project.started_on = on
    project.full_clean()
    project.save()
    return project
