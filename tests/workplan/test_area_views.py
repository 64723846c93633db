"""The area pages: project list filters, the Gantt chart, budget charts, warnings,
the department view and the roll-ups, for a township reviewer."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from fupin.core.roles import Role
from fupin.workplan import services
from tests.workplan import factories

TODAY = date(2019, 9, 1)


@pytest.fixture
def township(world, client):
    water = factories.department(world.village.code, "水利局")
    roads = factories.department(world.village.code, "交通局")
    late = factories.project(world.village, name="大板田堤坝", lead=water, completion=7)
    services.progress_update_create(
        project=late, date=date(2019, 6, 1), percent=60, reported_by=None
    )
    done = factories.project(world.other_village, name="二桥维修", lead=roads, completion=2)
    services.progress_update_create(
        project=done, date=date(2019, 2, 20), percent=100, reported_by=None
    )
    factories.spend(done, 160000, day=date(2019, 2, 21))  # budget 300000: not overspent
    over = factories.project(world.village, name="教学点厕所", lead=roads, budget=Decimal(50000))
    factories.spend(over, 52000)
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    with time_machine.travel(TODAY, tick=False):
        yield client


def test_project_list_filters(township, world):
    page = township.get(reverse("project-list")).content.decode()
    assert all(name in page for name in ("大板田堤坝", "二桥维修", "教学点厕所"))
    late = township.get(reverse("project-list"), {"year": 2019, "late": "on"}).content.decode()
    assert "大板田堤坝" in late and "二桥维修" not in late and "逾期32天" in late
    by_status = township.get(reverse("project-list"), {"status": "completed"}).content.decode()
    assert "二桥维修" in by_status and "大板田堤坝" not in by_status
    category = township.get(reverse("project-list"), {"category": "bridge"}).content.decode()
    assert "暂无项目" in category
    village = township.get(reverse("project-list"), {"area": world.other_village.code})
    assert "大板田堤坝" not in village.content.decode()


def test_an_area_outside_the_users_is_not_found(township, world):
    outside = {"area": world.outside_village.code}
    for name in ("project-list", "workplan-gantt", "workplan-budget", "workplan-rollup"):
        assert township.get(reverse(name), outside).status_code == 404


def test_gantt_has_todays_line_and_the_late_bar(township, world):
    page = township.get(reverse("workplan-gantt"), {"year": 2019}).content.decode()
    assert 'class="today"' in page
    assert 'data-progress="60"' in page
    assert 'class="overdue"' in page
    factories.plan(world.village, 2018)
    past = township.get(reverse("workplan-gantt"), {"year": 2018}).content.decode()
    assert "今天不在该年度内" in past


def test_budget_charts_by_project_department_and_source(township):
    page = township.get(reverse("workplan-budget")).content.decode()
    assert 'id="budget-projects"' in page and 'id="budget-departments"' in page
    assert 'id="budget-sources"' in page
    assert "is-overspent" in page
    assert "部门预算" in page


def test_warnings_page_late_overspent_stale(township):
    page = township.get(reverse("workplan-warnings")).content.decode()
    late, rest = page.split('id="overspent"')
    overspent, stale = rest.split('id="stale"')
    assert "大板田堤坝" in late and "<strong>32</strong>" in late
    assert "教学点厕所" in overspent and "2,000.00" in overspent
    assert "教学点厕所" in stale  # never reported since 1 January


def test_department_view_and_rollup(township, world):
    page = township.get(reverse("workplan-departments")).content.decode()
    assert "水利局" in page and "交通局" in page and "甲一村" in page
    rollup = township.get(reverse("workplan-rollup")).content.decode()
    assert "甲一村" in rollup and "甲二村" in rollup
    county = world.user(Role.COUNTY_APPROVER)
    township.force_login(county)
    page = township.get(reverse("workplan-rollup")).content.decode()
    assert "甲镇" in page  # the county's roll-up is by township


def test_home_page_counts_late_and_overspent_projects(township):
    page = township.get(reverse("home")).content.decode()
    assert "逾期项目" in page and "超支项目" in page
