"""In real Chromium on a phone-sized screen: the clerk records a meeting, finds a member by
the search box and ticks them, adds a decision, and sees it past due on the compliance page."""

import datetime

import pytest

from fupin.core.roles import Role
from tests.conftest import PASSWORD
from tests.fieldwork import factories
from tests.fieldwork.test_browser_visit import phone  # noqa: F401 - the phone fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meeting_with_a_named_member_and_a_decision_on_a_phone(world, phone, artifacts_dir):  # noqa: F811
    clerk = world.user(Role.VILLAGE_CLERK)
    homes = [factories.household(world.village) for _ in range(3)]
    wanted = homes[1].members.first()
    factories.cadre(world.village, "韦文书", user=clerk)
    page = phone
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")

    page.goto(page.base_url + "/fieldwork/meetings/")
    page.get_by_role("link", name="记录会议活动").click()
    today = datetime.date.today()
    page.get_by_label("类型").select_option(label="两委座谈会")
    page.get_by_label("日期").fill(today.isoformat())
    page.get_by_label("主题").fill("研究饮水工程")
    page.get_by_label("参加人数").fill("9")
    page.get_by_placeholder("姓名或户编号").fill(homes[1].household_no)
    rows = page.locator("#id_members-list label")
    assert (
        rows.filter(visible=True).count() == homes[1].members.count()
    )  # the search hides the rest
    rows.filter(has_text=wanted.name).filter(visible=True).first.locator("input").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=f"{artifacts_dir}/fieldwork-meeting-phone.png", full_page=True)
    page.get_by_role("button", name="保存").click()

    page.wait_for_url("**/fieldwork/meetings/*/")
    assert page.get_by_text("会议活动已保存").is_visible()
    assert page.locator("#members").get_by_text(wanted.name).is_visible()
    page.locator("[name=action]").fill("修缮那马屯饮水管")
    page.get_by_label("责任人").select_option(label="韦文书")
    page.get_by_label("完成期限").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="添加").click()
    assert page.locator("#decisions").get_by_text("修缮那马屯饮水管").is_visible()

    page.goto(page.base_url + "/fieldwork/compliance/")
    assert page.locator("#follow-ups-count").inner_text() == "1"
    assert page.locator("#follow-ups").get_by_text("修缮那马屯饮水管").is_visible()
