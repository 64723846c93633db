"""Making and editing a project through its page: departments, places, works, money,
carry-over and beneficiary households, all in one form."""

from decimal import Decimal

from django.urls import reverse

from fupin.core.roles import Role
from fupin.workplan import services
from fupin.workplan.models import FundingSource, Project, Quantity, SourceKind, Status
from tests.conftest import make_user
from tests.registry.factories import make_household
from tests.workplan import factories

EMPTY_ROWS = {
    "funding-TOTAL_FORMS": 2,
    "funding-INITIAL_FORMS": 0,
    "quantities-TOTAL_FORMS": 2,
    "quantities-INITIAL_FORMS": 0,
}


def _new_project_data(world, water, roads, households):
    group = world.areas["450101001001001"]
    return {
        **EMPTY_ROWS,
        "number": 1,
        "name": "六合屯饮水工程",
        "category": "drinking_water",
        "lead_department": water.pk,
        "partner_departments": [roads.pk],
        "locations": [group.code],
        "planned_start_month": 3,
        "planned_completion_month": 8,
        "persons_served": 420,
        "households_served": 2,
        "beneficiary_households": [h.pk for h in households],
        "quantities-0-description": "管道",
        "quantities-0-amount": "12",
        "quantities-0-unit": "km",
        "funding-0-kind": "department_budget",
        "funding-0-department": water.pk,
        "funding-0-planned_amount": "300000",
        "funding-0-allocated_amount": "",
        "funding-1-kind": "in_kind",
        "funding-1-planned_amount": "",
        "funding-1-in_kind": "水泥50吨",
    }


def _setting(world):
    plan = factories.plan(world.village)
    water = factories.department(world.village.code, "水利局")
    roads = factories.department(world.village.code, "交通局")
    households = [make_household(world.village) for _ in range(3)]
    make_household(world.outside_village)
    return plan, water, roads, households


def _rows(project, prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": len(rows) + 1, f"{prefix}-INITIAL_FORMS": len(rows)}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_resident_team_creates_and_edits_a_project(world, client):
    plan, water, roads, households = _setting(world)
    team = world.user(Role.RESIDENT_TEAM)
    client.force_login(team)
    page = client.get(reverse("project-create", args=[plan.pk])).content.decode()
    assert "水利局" in page and "甲一屯" in page and "style=" not in page
    assert households[0].household_no in page and "成员" in page  # number and head's name
    assert "乙一村" not in page and world.outside_village.code not in page

    data = _new_project_data(world, water, roads, households[:2])
    response = client.post(reverse("project-create", args=[plan.pk]), data)
    project = Project.objects.get()
    assert response["Location"] == reverse("project-detail", args=[project.pk])
    assert project.lead_department == water and list(project.partner_departments.all()) == [roads]
    assert project.deadline.isoformat() == "2019-08-31" and project.status == Status.PLANNED
    assert set(project.beneficiary_households.all()) == set(households[:2])
    assert str(project.quantities.get()) == "管道 12 公里"
    cement = project.funding.get(kind="in_kind")
    assert cement.planned_amount is None and cement.in_kind == "水泥50吨"
    assert project.funding.get(kind="department_budget").allocated_amount == 0
    assert project.history.get().history_user == team

    page = client.get(reverse("project-detail", args=[project.pk])).content.decode()
    assert reverse("project-edit", args=[project.pk]) in page
    budget, in_kind = project.funding.order_by("id")
    pipes = project.quantities.get()
    edit = {
        **{k: v for k, v in data.items() if "-" not in k},
        "name": "六合屯人畜饮水工程",
        "planned_completion_month": 10,
        "beneficiary_households": [households[2].pk],
        "carry_over_amount": "20000",
        "carry_over_note": "2018年结余",
        **_rows(
            project,
            "quantities",
            [{"id": pipes.pk, "description": "管道", "amount": "15", "unit": "km"}],
        ),
        **_rows(
            project,
            "funding",
            [
                {
                    "id": budget.pk,
                    "kind": "department_budget",
                    "department": water.pk,
                    "planned_amount": "350000",
                    "allocated_amount": "100000",
                },
                {"id": in_kind.pk, "kind": "in_kind", "in_kind": "水泥50吨", "DELETE": "on"},
            ],
        ),
        "funding-2-kind": "labour",
        "funding-2-in_kind": "群众投工投劳",
    }
    response = client.post(reverse("project-edit", args=[project.pk]), edit)
    assert response.status_code == 302, response.content.decode()
    project.refresh_from_db()
    assert project.name == "六合屯人畜饮水工程" and project.deadline.isoformat() == "2019-10-31"
    assert list(project.beneficiary_households.all()) == [households[2]]
    assert project.carry_over_amount == Decimal(20000)
    assert project.quantities.get().amount == Decimal(15)
    kinds = {f.kind: f for f in project.funding.all()}
    assert set(kinds) == {"department_budget", "labour"}
    assert kinds["department_budget"].allocated_amount == Decimal(100000)
    assert project.history.count() == 2 and project.history.first().history_user == team
    assert budget.history.first().history_user == team


def test_errors_are_shown_and_nothing_is_saved(world, client):
    plan, water, roads, households = _setting(world)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    data = {
        **_new_project_data(world, water, roads, households),
        "name": "",
        "planned_start_month": 9,
        "planned_completion_month": 4,
        "funding-1-in_kind": "",
        "quantities-0-amount": "-3",
    }
    response = client.post(reverse("project-create", args=[plan.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "这个字段是必填项。" in page
    assert "计划开工不能晚于计划完成。" in page
    assert "请写明实物内容（例如：水泥50吨）。" in page
    assert not Project.objects.exists() and not FundingSource.objects.exists()


def test_a_row_the_service_refuses_rolls_the_whole_save_back(world, client):
    plan, water, roads, households = _setting(world)
    project = factories.project(world.village, name="饮水工程", lead=water)
    factories.spend(project, 1000)
    source = project.funding.get()
    client.force_login(world.user(Role.RESIDENT_TEAM))
    data = {
        "number": project.number,
        "name": "改名的饮水工程",
        "category": project.category,
        "lead_department": water.pk,
        "planned_completion_month": 7,
        **_rows(
            project,
            "funding",
            [{"id": source.pk, "kind": "poverty_fund", "planned_amount": "300000"}],
        ),
        **_rows(project, "quantities", []),
    }
    response = client.post(reverse("project-edit", args=[project.pk]), data)
    assert response.status_code == 400
    assert "已有支出记在这一资金来源下" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "饮水工程" and project.funding.get().kind == SourceKind.DEPARTMENT_BUDGET


def test_a_project_number_or_name_is_used_once_per_plan(world, client):
    plan, water, roads, households = _setting(world)
    factories.project(world.village, name="六合屯饮水工程", lead=water)
    client.force_login(world.user(Role.COUNTY_APPROVER))
    data = _new_project_data(world, water, roads, [])
    response = client.post(reverse("project-create", args=[plan.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "计划中已有这个编号。" in page and "计划中已有同名项目。" in page
    assert Project.objects.count() == 1 and not Quantity.objects.exists()


def test_households_of_another_village_cannot_be_chosen(world, client):
    plan, water, roads, households = _setting(world)
    stranger = make_household(world.other_village)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    data = _new_project_data(world, water, roads, [stranger])
    response = client.post(reverse("project-create", args=[plan.pk]), data)
    assert response.status_code == 400 and not Project.objects.exists()


def test_a_team_member_of_another_village_gets_404(world, client):
    plan, water, roads, households = _setting(world)
    project = factories.project(world.village, lead=water)
    client.force_login(make_user("team_a2", Role.RESIDENT_TEAM, world.other_village.code))
    assert client.get(reverse("project-create", args=[plan.pk])).status_code == 404
    assert client.get(reverse("project-edit", args=[project.pk])).status_code == 404
    data = _new_project_data(world, water, roads, [])
    assert client.post(reverse("project-edit", args=[project.pk]), data).status_code == 404
    project.refresh_from_db()
    assert project.name == "饮水工程"


def test_roles_without_edit_plan_get_403(world, client):
    plan, water, roads, households = _setting(world)
    project = factories.project(world.village, lead=water)
    for role in (Role.VILLAGE_CLERK, Role.BUREAU, Role.INSPECTOR, Role.TOWNSHIP_REVIEWER):
        client.force_login(world.user(role))
        assert client.get(reverse("project-create", args=[plan.pk])).status_code == 403
        assert client.get(reverse("project-edit", args=[project.pk])).status_code == 403
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("project-detail", args=[project.pk])).content.decode()
    assert reverse("project-edit", args=[project.pk]) not in page


def test_the_service_refuses_a_department_of_another_county(world):
    plan = factories.plan(world.village)
    elsewhere = factories.department(world.outside_village.code, "水利局")
    try:
        services.project_create(
            plan=plan, number=1, name="饮水", category="drinking_water", lead_department=elsewhere
        )
    except services.ValidationError as error:
        assert error.message_dict["lead_department"] == [str(services.DEPARTMENT_OUTSIDE_PLAN)]
    else:
        raise AssertionError("a department of another county was accepted")
