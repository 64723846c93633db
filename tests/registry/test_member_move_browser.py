"""In real Chromium: a village clerk records a marriage, moving a member into another
household, and both households' pages tell of it."""

import pytest

from fupin.core.roles import Role
from tests.conftest import PASSWORD
from tests.registry.factories import make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_moves_a_member_into_another_household(world, page, artifacts_dir):
    origin = make_household(world.village, members=3)
    target = make_household(world.village, members=1)
    member = origin.members.get(relation="child")
    page.goto(page.base_url + f"/registry/households/{origin.pk}/")
    page.get_by_label("用户名").fill(world.user(Role.VILLAGE_CLERK).username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_label("密码").press("Enter")
    page.wait_for_url(f"**/registry/households/{origin.pk}/")

    page.get_by_role("row", name=member.name).get_by_role("link", name="迁移").click()
    page.wait_for_url(f"**/registry/members/{member.pk}/move/")
    page.get_by_role("textbox", name="迁入户").fill("没有这一户")
    page.get_by_role("combobox", name="与迁入户户主的关系").select_option(label="配偶")
    page.get_by_label("迁移原因").fill("婚入")
    page.get_by_role("button", name="迁移").click()
    assert page.get_by_role("alert").first.inner_text() == "本辖区内没有这个户编号的户。"

    page.get_by_role("textbox", name="迁入户").fill(target.household_no)
    page.screenshot(path=f"{artifacts_dir}/member-move-zh.png", full_page=True)
    page.get_by_role("button", name="迁移").click()
    page.wait_for_url(f"**/registry/households/{target.pk}/")
    assert f"{member.name} 已迁入户 {target.household_no}。" in page.content()
    members = page.locator("table").first
    assert members.get_by_role("row", name=member.name).get_by_text("配偶").is_visible()
    history = page.locator("#history")
    assert history.get_by_text(f"{origin.household_no} → {target.household_no}").is_visible()
    page.screenshot(path=f"{artifacts_dir}/member-moved-zh.png", full_page=True)

    page.goto(page.base_url + f"/registry/households/{origin.pk}/")
    assert page.locator("table").first.get_by_role("row", name=member.name).count() == 0
    moved_out = page.locator("#history tr", has_text=member.name).first
    assert f"{origin.household_no} → {target.household_no}" in moved_out.inner_text()
    assert "婚入" in moved_out.inner_text()
