"""Making and editing a plan, its objectives and its main work through the pages."""

from django.urls import reverse

from fupin.core.roles import Role
from fupin.workplan.models import AnnualPlan, Objective, WorkItem
from tests.conftest import make_user
from tests.workplan import factories


def test_resident_team_creates_a_plan_then_edits_it(world, client):
    team = world.user(Role.RESIDENT_TEAM)
    client.force_login(team)
    assert reverse("plan-create") in client.get(reverse("plan-list")).content.decode()
    page = client.get(reverse("plan-create")).content.decode()
    assert world.village.name in page and "style=" not in page
    response = client.post(
        reverse("plan-create"),
        {"area": world.village.code, "year": 2021, "title": "甲一村2021年度扶贫工作计划"},
    )
    plan = AnnualPlan.objects.get()
    assert response["Location"] == reverse("plan-detail", args=[plan.pk])
    assert plan.history.get().history_user == team

    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert reverse("plan-edit", args=[plan.pk]) in page
    assert reverse("project-create", args=[plan.pk]) in page
    response = client.post(
        reverse("plan-edit", args=[plan.pk]),
        {
            "title": "甲一村2021年度工作计划",
            "guiding_ideology": "以习近平新时代中国特色社会主义思想为指导",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "甲一村2021年度工作计划" and plan.year == 2021
    assert plan.guiding_ideology.startswith("以习近平")
    assert plan.history.count() == 2 and plan.history.first().history_user == team


def test_plan_form_shows_errors_in_chinese(world, client):
    factories.plan(world.village, 2019)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    response = client.post(
        reverse("plan-create"), {"area": world.village.code, "year": 2019, "title": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "这个字段是必填项。" in page
    response = client.post(
        reverse("plan-create"), {"area": world.village.code, "year": 2019, "title": "重复"}
    )
    assert "该地区这一年已有工作计划。" in response.content.decode()
    response = client.post(
        reverse("plan-create"), {"area": world.village.code, "year": 1990, "title": "太早"}
    )
    assert response.status_code == 400 and AnnualPlan.objects.count() == 1


def test_a_plan_cannot_be_made_for_another_village(world, client):
    client.force_login(world.user(Role.RESIDENT_TEAM))
    response = client.post(
        reverse("plan-create"),
        {"area": world.outside_village.code, "year": 2021, "title": "别村计划"},
    )
    assert response.status_code == 400
    assert not AnnualPlan.objects.filter(area=world.outside_village).exists()


def test_objectives_and_work_items_are_added_and_edited(world, client):
    plan = factories.plan(world.village)
    client.force_login(world.user(Role.COUNTY_APPROVER))
    assert 'value="1"' in client.get(reverse("objective-create", args=[plan.pk])).content.decode()
    data = {"number": 1, "description": "贫困户全部脱贫", "indicator": "贫困发生率", "target": "0%"}
    assert client.post(reverse("objective-create", args=[plan.pk]), data).status_code == 302
    objective = Objective.objects.get()
    response = client.post(reverse("objective-create", args=[plan.pk]), data)
    assert response.status_code == 400  # the number is taken
    assert "计划中已有这个编号。" in response.content.decode()
    response = client.post(
        reverse("objective-edit", args=[objective.pk]), {**data, "actual": "0%", "met": "true"}
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.actual == "0%" and objective.met is True

    item = {"number": 1, "kind": "symposium", "title": "召开座谈会", "body": "每季度一次"}
    assert client.post(reverse("work-item-create", args=[plan.pk]), item).status_code == 302
    work = WorkItem.objects.get()
    response = client.post(reverse("work-item-edit", args=[work.pk]), {**item, "title": ""})
    assert response.status_code == 400
    assert (
        client.post(
            reverse("work-item-edit", args=[work.pk]), {**item, "title": "召开群众座谈会"}
        ).status_code
        == 302
    )
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "召开群众座谈会" in page and reverse("work-item-edit", args=[work.pk]) in page


def test_a_team_member_of_another_village_gets_404(world, client):
    plan = factories.plan(world.village)
    client.force_login(make_user("team_a2", Role.RESIDENT_TEAM, world.other_village.code))
    assert client.get(reverse("plan-edit", args=[plan.pk])).status_code == 404
    assert client.post(reverse("plan-edit", args=[plan.pk]), {"title": "改"}).status_code == 404
    assert client.get(reverse("objective-create", args=[plan.pk])).status_code == 404


def test_roles_without_edit_plan_get_403(world, client):
    plan = factories.plan(world.village)
    for role in (Role.VILLAGE_CLERK, Role.INSPECTOR, Role.BUREAU, Role.TOWNSHIP_REVIEWER):
        client.force_login(world.user(role))
        assert client.get(reverse("plan-create")).status_code == 403
        assert client.post(reverse("plan-edit", args=[plan.pk]), {"title": "改"}).status_code == 403
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert reverse("plan-edit", args=[plan.pk]) not in page
    plan.refresh_from_db()
    assert plan.title != "改"
