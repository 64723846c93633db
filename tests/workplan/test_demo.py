"""The demo loads the seed plan exactly, twice over without change, and tells a story."""

from datetime import date
from decimal import Decimal

from django.core.management import call_command

from fupin.core.demo import load_demo
from fupin.core.models import User
from fupin.workplan import selectors
from fupin.workplan.models import (
    AnnualPlan,
    Department,
    Expenditure,
    FundingSource,
    Objective,
    ProgressUpdate,
    Project,
    Quantity,
)

MODELS = [
    AnnualPlan,
    Department,
    Objective,
    Project,
    Quantity,
    FundingSource,
    ProgressUpdate,
    Expenditure,
]


def snapshot():
    return {
        model.__name__: sorted(tuple(str(v) for v in row) for row in model.objects.values_list())
        for model in MODELS
    }


def test_demo_is_idempotent(db, capsys):
    call_command("demo")
    first = snapshot()
    call_command("demo")
    assert snapshot() == first


def test_the_seed_plan_exactly(db):
    load_demo()
    plan = AnnualPlan.objects.get(year=2019)
    projects = list(plan.projects.order_by("number"))
    assert len(projects) == 10
    budget = FundingSource.objects.filter(project__plan=plan)
    total = sum((s.planned_amount or Decimal(0)) for s in budget)
    assert total == Decimal(14570000)
    months = [p.planned_completion_month for p in projects]
    assert months == [6, None, 7, 8, 10, 11, 2, None, None, None]
    assert projects[0].planned_start_month == 3
    assert projects[7].funding.get(kind="in_kind").in_kind == "水泥50吨"
    assert projects[8].quantities.get().amount == Decimal(500)
    assert projects[1].persons_served == 600
    assert {d.name for d in projects[0].partner_departments.all()} == {
        "区计生局",
        "区卫生局",
        "区文化局",
    }
    assert plan.work_items.count() == 10


def test_water_bureau_staff_see_their_projects_only(db):
    load_demo()
    water = User.objects.get(username="water")
    assert Department.objects.get(name="区水利局").members.get() == water
    names = set(
        selectors.visible_projects(water).filter(plan__year=2019).values_list("name", flat=True)
    )
    assert names == {"那马屯、六合屯人畜饮水工程", "农田水利渠道及马鸡马屯道路"}


def test_the_2019_story_has_projects_on_time_late_and_overspent(db):
    load_demo()
    admin = User.objects.get(username="admin")
    plan = AnnualPlan.objects.get(year=2019)
    rows = selectors.plan_projects(admin, plan, date(2019, 12, 31))
    late = {p.name for p in rows if p.is_late_now}
    completed_late = {p.name for p in rows if p.is_complete and p.days_late_now}
    on_time = {p.name for p in rows if p.is_complete and not p.days_late_now}
    overspent = {p.name for p in rows if p.is_overspent}
    assert late == {"大板田堤坝建设"}  # at the year's end; the oil tea is due that very day
    assert completed_late == {"农田水利渠道及马鸡马屯道路", "二桥头至边家屯道路硬化"}
    assert len(on_time) == 6
    assert overspent == {"农田水利渠道及马鸡马屯道路", "六合峪教学点厕所及硬化操场"}
    years_later = selectors.plan_projects(admin, plan, date(2026, 11, 28))
    assert {p.name for p in years_later if p.is_late_now} == {
        "大板田堤坝建设",
        "油茶低产改造（一村一品）",
    }


def test_the_current_year_plan_never_reports_the_future(db):
    from fupin.core.demo import load_core_demo
    from fupin.workplan import demo

    context = load_core_demo()
    demo.load_demo(context, today=date(2026, 8, 1))
    plan = AnnualPlan.objects.get(year=2026)
    assert not ProgressUpdate.objects.filter(project__plan=plan, date__gt=date(2026, 8, 1)).exists()
    assert not Expenditure.objects.filter(project__plan=plan, date__gt=date(2026, 8, 1)).exists()
    dam = plan.projects.get(number=6)
    assert dam.progress_percent == 50
