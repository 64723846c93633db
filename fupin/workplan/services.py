"""Writes to work plans and projects: one function per action, keyword-only, validated."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fupin.core.models import Area, User
from fupin.workplan.models import (
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
PROGRESS_ON_CLOSED = _("This project is closed: no more progress can be reported.")
STATUS_NEEDS_DATE = _("Give the date the project was completed.")


def department_create(
    *, area: Area, name: str, name_en: str = "", members: Iterable[User] = ()
) -> Department:
    department = Department(area=area, name=name, name_en=name_en)
    department.full_clean()
    department.save()
    department.members.set(members)
    return department


def plan_create(*, area: Area, year: int, title: str, **texts: str) -> AnnualPlan:
    """`texts`: preamble, guiding_ideology, objectives_intro, closing (and their `_en`)."""
    plan = AnnualPlan(area=area, year=year, title=title, **texts)
    plan.full_clean()
    plan.save()
    return plan


def objective_create(
    *, plan: AnnualPlan, number: int, description: str, indicator: str, target: str, **more
) -> Objective:
    objective = Objective(
        plan=plan,
        number=number,
        description=description,
        indicator=indicator,
        target=target,
        **more,
    )
    objective.full_clean()
    objective.save()
    return objective


def objective_record_actual(*, objective: Objective, actual: str, met: bool | None) -> Objective:
    objective.actual, objective.met = actual, met
    objective.full_clean()
    objective.save()
    return objective


def work_item_create(
    *, plan: AnnualPlan, number: int, kind: str, title: str, body: str = "", **more
) -> WorkItem:
    item = WorkItem(plan=plan, number=number, kind=kind, title=title, body=body, **more)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
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
    **more,
) -> Project:
    locations = list(locations)
    for location in locations:
        if not plan.area.contains(location.code):
            raise ValidationError({"locations": LOCATION_OUTSIDE_PLAN})
    project = Project(
        plan=plan,
        number=number,
        name=name,
        category=category,
        lead_department=lead_department,
        planned_start_month=planned_start_month,
        planned_completion_month=planned_completion_month,
        **more,
    )
    project.full_clean()
    project.save()
    project.partner_departments.set(partner_departments)
    project.locations.set(locations)
    return project


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
    source = FundingSource(
        project=project,
        kind=kind,
        planned_amount=planned_amount,
        allocated_amount=allocated_amount,
        department=department,
        in_kind=in_kind,
        in_kind_en=in_kind_en,
    )
    source.full_clean()
    source.save()
    return source


def quantity_create(
    *, project: Project, description: str, amount: Decimal, unit: str, description_en: str = ""
) -> Quantity:
    quantity = Quantity(
        project=project,
        description=description,
        description_en=description_en,
        amount=amount,
        unit=unit,
    )
    quantity.full_clean()
    quantity.save()
    return quantity


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
