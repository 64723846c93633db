"""Reads of plans and projects beyond a filter: who sees which project, figures, roll-ups.

Every read of projects starts at `visible_projects(user)`: area scoping, narrowed for bureau
staff to the projects their departments lead or partner.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from fupin import areacodes
from fupin.core.models import Area
from fupin.core.roles import Role
from fupin.workplan import rules
from fupin.workplan.models import (
    AnnualPlan,
    Department,
    Expenditure,
    FundingSource,
    Project,
    SourceKind,
)


def visible_projects(user):
    projects = Project.objects.for_user(user)
    if getattr(user, "role", None) == Role.BUREAU:
        projects = projects.of_department_member(user)
    return projects


def visible_plans(user):
    return AnnualPlan.objects.for_user(user)


def plan_years(user) -> list[int]:
    return sorted(set(visible_plans(user).values_list("year", flat=True)), reverse=True)


def plan_areas(user):
    """The areas a plan can be made for: the user's townships and villages."""
    levels = [areacodes.Level.TOWNSHIP, areacodes.Level.VILLAGE]
    return Area.objects.for_user(user).filter(level__in=levels).order_by("code")


@dataclass(frozen=True)
class Filters:
    department: int | None = None
    category: str = ""
    status: str = ""
    late_only: bool = False


def _judge(project: Project, today: date) -> Project:
    """Attach what the rules say of the project today (figures come from with_money())."""
    project.days_late_now = project.days_late(today)
    project.is_late_now = rules.is_late(
        status=project.status, deadline=project.deadline, today=today
    )
    project.is_overspent = rules.is_overspent(budget=project.budget, spent=project.spent)
    project.is_stale = rules.is_stale(
        status=project.status,
        planned_start=project.planned_start,
        last_update=project.last_progress_on,
        today=today,
    )
    project.spent_percent = rules.percent(project.spent, project.budget)
    project.over_by = max(Decimal(0), project.spent - project.budget)
    return project


def project_rows(
    user, *, area: Area, year: int | None, today: date, filters: Filters = Filters()
) -> list[Project]:
    """The user's projects in an area (and year), with money and lateness, in plan order."""
    projects = visible_projects(user).in_area(area.code)
    if year:
        projects = projects.in_year(year)
    if filters.department:
        partnered = Project.partner_departments.through.objects.filter(
            department=filters.department
        ).values("project")
        projects = projects.filter(Q(lead_department=filters.department) | Q(pk__in=partnered))
    if filters.category:
        projects = projects.filter(category=filters.category)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.late_only:
        projects = projects.late(today)
    projects = projects.for_listing().order_by("plan__area", "-plan__year", "number")
    return [_judge(project, today) for project in projects]


def judged(projects, today: date) -> list[Project]:
    """Projects with their figures and what the rules say of them today."""
    return [_judge(project, today) for project in projects.for_listing()]


def plan_projects(user, plan: AnnualPlan, today: date) -> list[Project]:
    """The plan's projects the user sees; with no user (the command line), all of them."""
    projects = visible_projects(user) if user is not None else Project.objects.all()
    return judged(projects.filter(plan=plan).order_by("number"), today)


# --- money ----------------------------------------------------------------------------------


@dataclass
class MoneyRow:
    key: str
    label: str
    budget: Decimal = Decimal(0)
    allocated: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    projects: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def overspent(self) -> bool:
        return rules.is_overspent(budget=self.budget, spent=self.spent)

    @property
    def spent_percent(self) -> int:
        return rules.percent(self.spent, self.budget)


def money_by_project(projects: list[Project]) -> list[MoneyRow]:
    return [
        MoneyRow(str(p.pk), p.name, p.budget, p.allocated, p.spent, 1, {"project": p})
        for p in projects
    ]


def money_by_department(projects: list[Project]) -> list[MoneyRow]:
    """By lead department: the department answers for the project's money."""
    rows: dict[int, MoneyRow] = {}
    for project in projects:
        department = project.lead_department
        row = rows.setdefault(
            department.pk,
            MoneyRow(str(department.pk), department.name, extra={"department": department}),
        )
        row.budget += project.budget
        row.allocated += project.allocated
        row.spent += project.spent
        row.projects += 1
    return sorted(rows.values(), key=lambda row: -row.budget)


def money_by_source(projects: list[Project]) -> list[MoneyRow]:
    """Planned, allocated and spent per funding source, in two grouped queries."""
    ids = [project.pk for project in projects]
    rows = {kind: MoneyRow(kind, label) for kind, label in SourceKind.choices}
    planned = (
        FundingSource.objects.filter(project__in=ids)
        .values("kind")
        .annotate(
            budget=Coalesce(Sum("planned_amount"), Decimal(0)),
            allocated=Sum("allocated_amount"),
            n=Count("project", distinct=True),
        )
        .order_by()
    )
    for item in planned:
        row = rows[item["kind"]]
        row.budget, row.allocated, row.projects = item["budget"], item["allocated"], item["n"]
    spent = (
        Expenditure.objects.filter(project__in=ids)
        .values("source")
        .annotate(spent=Sum("amount"))
        .order_by()
    )
    for item in spent:
        rows[item["source"]].spent = item["spent"]
    return [row for row in rows.values() if row.projects or row.spent]


def money_totals(projects: list[Project]) -> MoneyRow:
    row = MoneyRow("total", "")
    for project in projects:
        row.budget += project.budget
        row.allocated += project.allocated
        row.spent += project.spent
        row.projects += 1
    return row


# --- warnings, departments, roll-ups ---------------------------------------------------------


@dataclass
class Warnings:
    late: list[Project]
    overspent: list[Project]
    stale: list[Project]

    @property
    def count(self) -> int:
        return len(self.late) + len(self.overspent) + len(self.stale)


def warnings_for(projects: list[Project]) -> Warnings:
    return Warnings(
        late=sorted((p for p in projects if p.is_late_now), key=lambda p: -p.days_late_now),
        overspent=[p for p in projects if p.is_overspent],
        stale=[p for p in projects if p.is_stale],
    )


@dataclass
class Tally:
    """Projects, lateness and money of a group of projects (a village, a department …)."""

    label: str
    code: str = ""
    projects: int = 0
    complete: int = 0
    late: int = 0
    most_days_late: int = 0
    overspent: int = 0
    stale: int = 0
    budget: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    names: list[str] = field(default_factory=list)

    def add(self, project: Project) -> None:
        self.projects += 1
        self.complete += project.is_complete
        self.late += project.is_late_now
        if project.is_late_now:
            self.most_days_late = max(self.most_days_late, project.days_late_now)
        self.overspent += project.is_overspent
        self.stale += project.is_stale
        self.budget += project.budget
        self.spent += project.spent
        self.names.append(project.name)

    @property
    def spent_percent(self) -> int:
        return rules.percent(self.spent, self.budget)


def department_view(projects: list[Project]) -> list[dict]:
    """What each department owes each village: per department, one tally per village.

    A project counts for its lead department and for each partner (marked as such)."""
    table: dict[int, dict] = {}
    for project in projects:
        village = project.plan.area
        roles = [(project.lead_department, True)]
        roles += [(d, False) for d in project.partner_departments.all()]
        for department, leads in roles:
            entry = table.setdefault(
                department.pk, {"department": department, "villages": {}, "total": Tally("")}
            )
            tally = entry["villages"].setdefault(village.code, Tally(village.name, village.code))
            if leads:
                tally.add(project)
                entry["total"].add(project)
            else:
                tally.names.append(project.name)
    result = []
    for entry in sorted(table.values(), key=lambda e: e["department"].name):
        entry["villages"] = sorted(entry["villages"].values(), key=lambda t: t.code)
        result.append(entry)
    return result


def rollup(projects: list[Project], area: Area) -> tuple[list[Tally], Tally]:
    """One tally per area directly below `area` (villages of a township, townships of a
    county …), plus the total."""
    children = list(Area.objects.children_of(area).order_by("code"))
    if not children or area.level >= areacodes.Level.VILLAGE:
        children = [area]
    by_prefix = {child.prefix: Tally(child.name, child.code) for child in children}
    length = len(children[0].prefix)
    total = Tally(area.name, area.code)
    for project in projects:
        tally = by_prefix.get(project.plan.area_id[:length])
        if tally is not None:
            tally.add(project)
        total.add(project)
    return list(by_prefix.values()), total


def departments_in(user, area: Area):
    """Departments that lead or partner some project the user sees in the area."""
    projects = visible_projects(user).in_area(area.code)
    return (
        Department.objects.filter(Q(led_projects__in=projects) | Q(partnered_projects__in=projects))
        .distinct()
        .order_by("name")
    )


def attention_counts(user, today: date) -> dict[str, int]:
    projects = visible_projects(user)
    return {
        "late": projects.late(today).count(),
        "overspent": projects.overspent().count(),
        "stale": projects.stale(today).count(),
    }


def households_for_plan(user, plan: AnnualPlan):
    """The registry's households in the plan's area the user sees, with the head's name."""
    from fupin.registry.choices import Relation
    from fupin.registry.models import Household, Member

    head = Member.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD)
    return (
        Household.objects.for_user(user)
        .in_area(plan.area_id)
        .annotate(head_name=Subquery(head.values("name")[:1]))
        .order_by("household_no")
    )
