"""In real Chromium, across four roles: one household through identification and another
through exit, the notice periods passed by moving the clock.

The live server runs in a thread of the test's process, so time-machine's clock — which
replaces the process's time functions — is the server's clock too: `traveller.shift()`
moves both the pages' "today" and the services' `timezone.localdate()`. The clock starts at
the real present and only moves forward, so the browser's session cookies (set with the
server's time) stay valid; each role signs in afresh after a shift."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from fupin.core.roles import Role
from fupin.procedures.defaults import ensure_defaults
from fupin.procedures.models import Procedure
from tests.conftest import PASSWORD
from tests.procedures import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user):
    page.context.clear_cookies()
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(page.base_url + "/")


def open_step(page, procedure_id, step_name):
    page.goto(f"{page.base_url}/procedures/{procedure_id}/")
    page.get_by_role("link", name=f"登记：{step_name}").click()
    page.wait_for_url(f"**/procedures/{procedure_id}/step/")


def submit(page, procedure_id):
    page.get_by_role("button", name=re.compile("^登记：")).click()
    page.wait_for_url(f"{page.base_url}/procedures/{procedure_id}/")
    assert page.locator(".messages").get_by_text("已登记").is_visible()


def vote(page):
    page.get_by_label("赞成票").fill("21")
    page.get_by_label("反对票").fill("2")
    page.get_by_label("弃权票").fill("1")
    page.get_by_label("到会人数").fill("24")
    page.get_by_label("应到人数").fill("30")


def step(page, procedure_id, step_name, fill=None):
    open_step(page, procedure_id, step_name)
    if fill:
        fill(page)
    submit(page, procedure_id)


def notice(page):
    page.get_by_label("公示地点").fill("村委会公示栏")
    page.get_by_label("异议受理").fill("村委会 黄主任 0771-1234567")


def test_identification_and_exit_across_four_roles(world, page, artifacts_dir, tmp_path):
    ensure_defaults()
    clerk, team = world.user(Role.VILLAGE_CLERK), world.user(Role.RESIDENT_TEAM)
    township, county = world.user(Role.TOWNSHIP_REVIEWER), world.user(Role.COUNTY_APPROVER)
    applicant = factories.household(world.village)
    leaving = factories.household(world.village, status="registered", year_registered=2016)
    signed = tmp_path / "认可书.pdf"
    signed.write_bytes(b"%PDF-1.4 signed")

    with time_machine.travel(timezone.now(), tick=True) as clock:
        year = timezone.localdate().year
        # The village clerk starts both from the household pages.
        sign_in(page, clerk)
        for household, kind in ((applicant, "贫困户识别"), (leaving, "贫困户退出")):
            page.goto(f"{page.base_url}/registry/households/{household.pk}/")
            page.locator("#procedures").get_by_role("link", name="发起程序").click()
            page.get_by_label("程序").select_option(label=kind)
            page.get_by_role("button", name="发起").click()
            page.wait_for_url(re.compile(r".*/procedures/\d+/$"))
            assert page.locator(".messages").get_by_text("程序已发起").is_visible()
        ident = Procedure.objects.get(household=applicant, kind="identification", year=year).pk
        exit_ = Procedure.objects.get(household=leaving, kind="exit", year=year).pk
        step(page, ident, "农户申请")

        # The resident team member: the appraisals and the verification.
        sign_in(page, team)
        step(page, ident, "村民小组民主评议", vote)
        step(page, ident, "比对排除")
        step(page, ident, "村民代表评议", vote)
        step(page, ident, "村两委和驻村工作队核实")
        step(page, exit_, "民主评议", vote)

        # No assessment of the household this year: the county overrides in writing.
        sign_in(page, county)
        page.goto(f"{page.base_url}/procedures/{exit_}/step/")
        assert page.locator("#assessment-check").is_visible()
        page.get_by_label("县级认定：书面理由").fill(
            "县扶贫办入户核实：收入稳定，两不愁三保障已落实"
        )
        submit(page, exit_)

        # The clerk posts the first notice, and the exit's signed agreement and notice.
        sign_in(page, clerk)
        step(page, ident, "村内第一次公示", notice)
        open_step(page, exit_, "贫困户认可签字")
        page.get_by_label("签字文件（扫描件或照片）").set_input_files(str(signed))
        submit(page, exit_)
        step(page, exit_, "村内公示", notice)
        assert page.locator("#notice-running").is_visible()

        # The township reviewer is one day early: refused, with the reason, nothing written.
        sign_in(page, township)
        assert page.get_by_text("待乡镇审核").first.is_visible()  # the home page's queue
        page.goto(f"{page.base_url}/procedures/{ident}/step/")
        page.get_by_role("button", name=re.compile("^登记：")).click()
        refusal = page.locator("#refusals")
        assert "公示期至" in refusal.inner_text()
        page.screenshot(path=f"{artifacts_dir}/procedures-notice-running.png", full_page=True)

        clock.shift(datetime.timedelta(days=7))  # the village notices have run their 7 days
        sign_in(page, township)
        step(page, ident, "乡镇审核")
        step(page, ident, "第二次公示", notice)
        step(page, exit_, "乡镇审核公示", notice)

        clock.shift(datetime.timedelta(days=7))
        sign_in(page, county)
        step(page, ident, "县级审批")
        step(page, ident, "公告", notice)
        assert page.locator("#procedure-status").inner_text() == "已完成"
        assert page.locator("#household-status").inner_text() == "建档立卡贫困户"
        step(page, exit_, "县级公告退出", notice)
        assert page.locator("#procedure-status").inner_text() == "已完成"
        assert page.locator("#household-status").inner_text() == "已脱贫户"
        page.screenshot(path=f"{artifacts_dir}/procedures-exit-done.png", full_page=True)

    applicant.refresh_from_db()
    leaving.refresh_from_db()
    assert (applicant.status, applicant.year_registered) == ("registered", year)
    assert (leaving.status, leaving.year_exited) == ("exited", year)
    steps = Procedure.objects.get(pk=ident).records.values_list("actor__username", flat=True)
    assert set(steps) == {clerk.username, team.username, township.username, county.username}
