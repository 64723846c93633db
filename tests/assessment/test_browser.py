"""In real Chromium: a township reviewer runs an assessment from the page, watches it finish
and reads why a household does not meet the exit standard."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from fupin.core.roles import Role
from tests.assessment import factories as f

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_standards"),
]


def test_reviewer_runs_an_assessment_and_reads_a_households_reasons(world, page, artifacts_dir):
    poor = f.household(world.village, housing_grade="D")
    f.member(poor, name="王某", birth_date=date(2007, 3, 1), schooling="out_of_school")
    f.member(poor, medical_insurance=False)
    f.income(poor, 2019, 2500, members=2)
    ready = f.household(world.village)
    f.member(ready)
    f.income(ready, 2019, 6000)
    reviewer = world.user(Role.TOWNSHIP_REVIEWER)
    client = Client()
    client.force_login(reviewer)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": page.base_url}])

    page.goto(f"{page.base_url}/assessment/areas/{reviewer.area_id}/")
    assert page.get_by_text("该区域尚未评估。").is_visible()
    page.get_by_label("年度").fill("2019")
    page.get_by_role("button", name="开始评估").click()
    page.wait_for_url("**/tasks/**")
    assert page.locator("#job-progress").get_attribute("data-status") == "queued"

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    page.wait_for_selector("#job-progress[data-status=succeeded]")
    assert page.locator("progress").get_attribute("value") == "100"
    page.get_by_role("link", name="查看区域评估结果").click()
    page.get_by_role("link", name="甲一村").click()
    assert page.get_by_role("heading", name="贫困村退出").is_visible()
    page.screenshot(path=f"{artifacts_dir}/assessment-village-zh.png", full_page=True)
    page.get_by_role("link", name="各户评估结果及原因").click()
    row = page.locator("#outcomes tr", has_text=poor.household_no)
    assert row.get_by_text("未达到退出标准").is_visible()
    reasons = row.locator(".reasons li").all_inner_texts()
    assert "王某，12岁，失学" in reasons
    assert "住房等级D" in reasons
    assert "1名成员未参加基本医疗保险" in reasons
    page.screenshot(path=f"{artifacts_dir}/assessment-households-zh.png", full_page=True)
