"""In real Chromium: bureau staff report progress and an expenditure on their project and
see the Gantt bar and the budget chart change."""

from datetime import date
from decimal import Decimal

import pytest

from fupin.core.roles import Role
from tests.conftest import PASSWORD
from tests.workplan import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bureau_reports_progress_and_spending_and_sees_the_charts_change(
    world, page, artifacts_dir
):
    bureau = world.user(Role.BUREAU)
    water = factories.department(world.village.code, "水利局", members=[bureau])
    project = factories.project(
        world.village,
        year=date.today().year,
        name="那马屯人畜饮水工程",
        lead=water,
        budget=Decimal(300000),
        completion=None,
    )

    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(bureau.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")

    page.goto(f"{page.base_url}/plans/projects/{project.pk}/")
    bar = page.locator(f"#gantt g[data-project='{project.pk}']")
    assert bar.get_attribute("data-progress") == "0"
    assert bar.locator("rect.done").get_attribute("width") == "0.0"
    assert page.locator("#gantt line.today").count() == 1
    money = page.locator("#project-budget g.bar-row")
    assert money.get_attribute("data-spent") == "0"
    assert money.locator("rect.spent").get_attribute("width") == "0.0"

    progress = page.locator("form[action$='/progress/']")
    progress.locator("input[name=percent]").fill("45")
    progress.locator("textarea[name=note]").fill("管道铺设过半")
    progress.get_by_role("button", name="填报进度").click()
    page.wait_for_selector(f"#gantt g[data-project='{project.pk}'][data-progress='45']")
    assert page.get_by_text("进度已填报").is_visible()
    assert float(bar.locator("rect.done").get_attribute("width")) > 0

    spending = page.locator("form[action$='/expenditures/']")
    spending.locator("input[name=amount]").fill("120000")
    spending.locator("input[name=voucher_no]").fill("SL-2026-001")
    spending.get_by_role("button", name="录入支出").click()
    page.wait_for_selector("#project-budget g.bar-row[data-spent='12']")
    assert page.get_by_text("支出已录入").is_visible()
    assert float(money.locator("rect.spent").get_attribute("width")) > 0
    assert page.locator("#project-spent").inner_text() == "12"
    page.screenshot(path=f"{artifacts_dir}/workplan-project.png", full_page=True)

    # The area pages show the same change.
    page.goto(f"{page.base_url}/plans/gantt/")
    assert (
        page.locator(f"#gantt g[data-project='{project.pk}']").get_attribute("data-progress")
        == "45"
    )
    page.goto(f"{page.base_url}/plans/budget/")
    assert page.locator("#budget-projects g.bar-row").get_attribute("data-spent") == "12"
    assert page.locator("#budget-sources g.bar-row").get_attribute("data-budget") == "30"
    page.screenshot(path=f"{artifacts_dir}/workplan-budget.png", full_page=True)
