"""In real Chromium: the resident team edits a project, finds households by the search box,
and saves; no Content Security Policy violation on the way."""

import os

import pytest

from fupin.core.roles import Role
from tests.conftest import PASSWORD
from tests.registry.factories import make_household
from tests.workplan import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_edits_a_project_and_picks_households_by_search(world, page, artifacts_dir):
    team = world.user(Role.RESIDENT_TEAM)
    water = factories.department(world.village.code, "区水利局")
    factories.department(world.village.code, "区交通运输局")
    project = factories.project(world.village, name="那马屯人畜饮水工程", lead=water)
    households = [make_household(world.village, members=1) for _ in range(40)]
    wanted = households[17]
    console = []
    page.on("console", lambda message: console.append(message.text))

    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(team.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")

    page.goto(f"{page.base_url}/plans/projects/{project.pk}/")
    page.locator("#project-edit").click()
    page.wait_for_url(f"**/plans/projects/{project.pk}/edit/")
    page.locator("input[name=quantities-0-description]").fill("引水管道")
    page.locator("input[name=quantities-0-amount]").fill("3.5")
    page.locator("select[name=quantities-0-unit]").select_option("km")
    page.get_by_label("区交通运输局").check()
    page.locator("#household-filter").fill(wanted.household_no[-5:])
    rows = page.locator("#households label:visible")
    assert rows.count() == 1
    rows.first.locator("input").check()
    page.screenshot(path=os.path.join(artifacts_dir, "workplan-project-edit.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"**/plans/projects/{project.pk}/")
    assert page.get_by_text("项目已保存。").is_visible()
    assert page.get_by_text("引水管道 3.5 公里").is_visible()
    assert list(project.beneficiary_households.all()) == [wanted]
    assert not [text for text in console if "Content Security Policy" in text]
