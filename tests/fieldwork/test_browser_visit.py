"""In real Chromium on a phone-sized screen: a resident team member records a visit with a
follow-up and sees it on the household page and on the compliance page."""

import datetime

import pytest

from fupin.core.roles import Role
from tests.conftest import PASSWORD
from tests.fieldwork import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def test_a_visit_with_a_follow_up_recorded_on_a_phone(world, phone, artifacts_dir):
    team = world.user(Role.RESIDENT_TEAM)
    home = factories.household(world.village)
    factories.cadre(world.village, "黄第一书记", user=team)
    page = phone
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(team.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_text("逾期未走访的户").is_visible()  # the home page's overdue item

    page.goto(f"{page.base_url}/registry/households/{home.pk}/")
    page.get_by_role("link", name="记录走访").click()
    today = datetime.date.today()
    page.get_by_label("走访日期").fill(today.isoformat())
    page.get_by_label("黄第一书记").first.check()
    page.get_by_label("走访目的").fill("了解秋收")
    page.get_by_label("疾病").fill("户主腰伤")
    page.locator("[name=follow_up_action]").fill("联系镇卫生院")
    page.get_by_label("跟进责任人").select_option(label="黄第一书记")
    page.get_by_label("跟进期限").fill((today - datetime.timedelta(days=1)).isoformat())
    # Nothing is wider than the phone: the form is usable without scrolling sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=f"{artifacts_dir}/fieldwork-visit-phone.png", full_page=True)
    page.get_by_role("button", name="保存走访记录").click()

    page.wait_for_url(f"{page.base_url}/registry/households/{home.pk}/")
    assert page.get_by_text("走访已记录").is_visible()
    assert page.locator("#fieldwork").get_by_text("了解秋收").is_visible()
    assert page.locator("#fieldwork").get_by_text("联系镇卫生院").is_visible()

    page.goto(f"{page.base_url}/fieldwork/compliance/")
    assert page.locator("#overdue-count").inner_text() == "0"
    assert page.locator("#follow-ups-count").inner_text() == "1"
    assert page.locator("#follow-ups").get_by_text("联系镇卫生院").is_visible()
