"""Plans and projects for tests, made through the services."""

from datetime import date
from decimal import Decimal

from fupin import areacodes
from fupin.core.models import Area
from fupin.workplan import services
from fupin.workplan.models import AnnualPlan, Category, Department, SourceKind


def department(area_code: str, name: str = "水利局", members=()) -> Department:
    county = Area.objects.get(code=area_code[:6] + "000000")
    found = Department.objects.filter(area=county, name=name).first()
    if found:
        found.members.add(*members)
        return found
    return services.department_create(area=county, name=name, members=members)


def plan(village: Area, year: int = 2019) -> AnnualPlan:
    found = AnnualPlan.objects.filter(area=village, year=year).first()
    return found or services.plan_create(
        area=village, year=year, title=f"{village.name}{year}年度扶贫工作计划"
    )


def project(
    village: Area,
    *,
    year: int = 2019,
    name: str = "饮水工程",
    lead: Department | None = None,
    budget: Decimal | None = Decimal(300000),
    kind: str = SourceKind.DEPARTMENT_BUDGET,
    start: int | None = None,
    completion: int | None = 7,
    category: str = Category.DRINKING_WATER,
    members=(),
):
    the_plan = plan(village, year)
    lead = lead or department(village.code, members=members)
    number = the_plan.projects.count() + 1
    made = services.project_create(
        plan=the_plan,
        number=number,
        name=name,
        category=category,
        lead_department=lead,
        planned_start_month=start,
        planned_completion_month=completion,
    )
    services.funding_source_create(project=made, kind=kind, planned_amount=budget)
    return made


def is_village(code: str) -> bool:
    return areacodes.level_of(code) == areacodes.Level.VILLAGE


def spend(project, amount, day=date(2019, 5, 1), source=SourceKind.DEPARTMENT_BUDGET, user=None):
    return services.expenditure_create(
        project=project, date=day, amount=Decimal(amount), source=source, recorded_by=user
    )
