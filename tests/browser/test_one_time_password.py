"""In real Chromium: an administrator's new user signs in with the one-time password, is
sent to choose their own before anything else, and then reaches the home page."""

import pytest

from fupin.core import accounts
from fupin.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_one_time_password_must_be_changed_at_first_sign_in(world, page):
    user, password = accounts.user_create(
        by=world.user(Role.ADMIN),
        username="newclerk",
        full_name="韦新来",
        role=Role.VILLAGE_CLERK,
        area=world.village,
    )
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill("newclerk")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/accounts/password/")
    page.goto(page.base_url + "/registry/")  # anything else sends them back
    page.wait_for_url(page.base_url + "/accounts/password/")
    page.locator("input[name=old_password]").fill(password)
    page.locator("input[name=new_password1]").fill("short")
    page.locator("input[name=new_password2]").fill("short")
    page.locator("button.primary[type=submit]").click()
    assert page.locator(".errorlist, .error").count() > 0  # Django's validators apply
    new = "a-much-longer-passphrase-2026"
    page.locator("input[name=old_password]").fill(password)
    page.locator("input[name=new_password1]").fill(new)
    page.locator("input[name=new_password2]").fill(new)
    page.locator("button.primary[type=submit]").click()
    page.wait_for_url(page.base_url + "/accounts/password/done/")
    page.goto(page.base_url + "/")
    assert page.url == page.base_url + "/"
    user.refresh_from_db()
    assert not user.must_change_password
