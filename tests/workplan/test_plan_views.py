"""The plan list and the plan overview: objectives target vs actual, projects, documents."""

from django.urls import reverse

from fupin.core.roles import Role
from fupin.workplan import services
from tests.workplan import factories


def _plan_with_objective(world):
    plan = factories.plan(world.village)
    objective = services.objective_create(
        plan=plan,
        number=1,
        description="到2020年基本消除绝对贫困人口",
        indicator="贫困发生率",
        target="低于3%",
    )
    factories.project(world.village, name="大板田堤坝", completion=11)
    return plan, objective


def test_plan_list_shows_plans_in_the_users_area(world, client):
    plan, _ = _plan_with_objective(world)
    factories.plan(world.outside_village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("plan-list")).content.decode()
    assert plan.title in page
    assert "乙一村" not in page


def test_plan_overview_shows_objectives_projects_and_history_link(world, client):
    plan, _ = _plan_with_objective(world)
    client.force_login(world.user(Role.INSPECTOR))
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "到2020年基本消除绝对贫困人口" in page and "低于3%" in page
    assert "大板田堤坝" in page and "逾期" in page  # the project is years late today
    assert reverse("record-history", args=["workplan", "annualplan", plan.pk]) in page
    assert 'action="/plans/' not in page.split("修改记录")[0].split("文档")[-1]  # no forms
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "修改记录" not in page


def test_plan_overview_charts_have_no_inline_styles(world, client):
    plan, _ = _plan_with_objective(world)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert 'id="gantt"' in page
    assert "style=" not in page


def test_resident_team_records_an_objectives_actual(world, client):
    plan, objective = _plan_with_objective(world)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    response = client.post(
        reverse("objective-actual", args=[objective.pk]), {"actual": "1.8%", "met": "true"}
    )
    assert response["Location"] == reverse("plan-detail", args=[plan.pk])
    objective.refresh_from_db()
    assert (objective.actual, objective.met) == ("1.8%", True)


def test_plan_document_starts_a_task_and_goes_to_its_page(world, client):
    plan, _ = _plan_with_objective(world)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    response = client.post(
        reverse("plan-document", args=[plan.pk]), {"kind": "summary", "language": "en"}
    )
    from fupin.core.models import Job

    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    assert job.kind == "export_year_end_summary"
    assert job.params == {"plan_id": plan.pk, "language": "en"}
    bad = client.post(reverse("plan-document", args=[plan.pk]), {"kind": "poem"})
    assert bad.status_code == 302 and Job.objects.count() == 1
