"""In real Chromium: a village clerk signs in (Chinese), switches to English, signs out."""

import pytest

from fupin.core.roles import Role
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_signs_in_switches_language_and_signs_out(world, page, artifacts_dir):
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_label("用户名").fill(world.user(Role.VILLAGE_CLERK).username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("欢迎")
    assert page.get_by_text("甲一村").first.is_visible()
    page.screenshot(path=f"{artifacts_dir}/home-zh.png", full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert page.get_by_role("heading", name="Needs your attention").is_visible()
    page.screenshot(path=f"{artifacts_dir}/home-en.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    assert page.get_by_role("heading", name="Sign in").is_visible()


def test_progress_bar_updates_without_reloading(world, page):
    """The job page polls with htmx: a job finishing elsewhere shows up on the open page."""
    from django.test import Client

    from fupin.core.jobs import job_start
    from fupin.core.models import Job
    from fupin.core.tasks import recompute_area_statistics

    reviewer = world.user(Role.TOWNSHIP_REVIEWER)
    client = Client()
    client.force_login(reviewer)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": page.base_url}])
    job = job_start(task_obj=recompute_area_statistics, owner=reviewer, area=reviewer.area)
    page.goto(f"{page.base_url}/tasks/{job.pk}/")
    assert page.locator("#job-progress").get_attribute("data-status") == "queued"
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, done=2, total=4)
    page.wait_for_selector("#job-progress[data-status=running]")
    assert page.locator("progress").get_attribute("value") == "50"
    from django.core.management import call_command

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    page.wait_for_selector("#job-progress[data-status=succeeded]")
    assert page.get_by_text("查看区域统计").is_visible()
