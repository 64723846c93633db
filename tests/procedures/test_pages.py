"""The procedure pages: list, detail, start, the next step with what it needs, refusals on
the page with nothing half-written, objections, reversal, withdrawal, the queue, the
overview by step."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from fupin.core.roles import Role
from fupin.procedures import errors, services
from fupin.procedures.models import Notice, Objection, Procedure, StepRecord
from tests.procedures import factories, pages

pytestmark = pytest.mark.django_db


def _zh(code, **params):
    with translation.override("zh-hans"):
        return errors.message(code, params)


def _text(response):
    return response.content.decode()


def test_the_list_filters_by_kind_step_status_and_area(world, client):
    at_notice = pages.procedure_at(world, world.village, "first_notice")
    fresh = pages.procedure_at(world, world.village, None)
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    url = reverse("procedure-list")
    shown = _text(client.get(url, {"kind": "identification", "step": "first_notice"}))
    assert at_notice.household.household_no in shown
    assert fresh.household.household_no not in shown
    shown = _text(client.get(url, {"step": "none"}))
    assert fresh.household.household_no in shown
    assert at_notice.household.household_no not in shown
    assert at_notice.household.household_no not in _text(
        client.get(url, {"village": world.other_village.code})
    )
    assert at_notice.household.household_no not in _text(client.get(url, {"status": "withdrawn"}))
    assert at_notice.household.household_no not in _text(client.get(url, {"kind": "exit"}))


def test_the_household_page_shows_its_procedures_and_a_start_link(world, client):
    home = factories.household(world.village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = _text(client.get(reverse("household-detail", args=[home.pk])))
    assert reverse("procedure-start", args=[home.pk]) in page
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    page = _text(client.get(reverse("household-detail", args=[home.pk])))
    assert 'id="procedures"' in page
    assert reverse("procedure-start", args=[home.pk]) not in page


def test_starting_a_procedure_and_a_refusal_on_the_page(world, client):
    home = factories.household(world.village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = reverse("procedure-start", args=[home.pk])
    data = {"kind": "identification", "year": 2019, "date": "2019-03-01"}
    response = client.post(url, data)
    procedure = Procedure.objects.get(household=home)
    assert response.status_code == 302
    assert response["Location"] == reverse("procedure-detail", args=[procedure.pk])
    # An exit for a household that is not registered: refused with the rule's message.
    response = client.post(url, {**data, "kind": "exit"})
    assert response.status_code == 409
    assert _zh("wrong_status", status="not_registered") in _text(response)
    assert Procedure.objects.filter(household=home).count() == 1


def test_the_step_form_shows_what_the_step_needs_and_records_it(world, client):
    procedure = pages.procedure_at(world, world.village, "application")
    client.force_login(world.user(Role.RESIDENT_TEAM))
    url = reverse("procedure-step", args=[procedure.pk])
    page = _text(client.get(url))
    assert 'name="step_code" value="group_appraisal"' in page
    assert 'id="vote-rule"' in page and "2/3" in page
    data = {
        "step_code": "group_appraisal",
        "date": "2019-03-05",
        "votes_for": 20,
        "votes_against": 2,
        "votes_abstain": 1,
        "attendance": 19,  # fewer than 2/3 of 30
        "eligible": 30,
    }
    response = client.post(url, data)
    assert response.status_code == 409
    assert "2/3" in _text(response) and 'id="refusals"' in _text(response)
    assert procedure.records.count() == 1
    response = client.post(url, {**data, "votes_for": 18, "attendance": 23})
    assert response.status_code == 302
    record = procedure.records.get(step__code="group_appraisal")
    assert (record.votes_for, record.attendance, record.eligible) == (18, 23, 30)
    assert record.actor == world.user(Role.RESIDENT_TEAM)
    page = _text(client.get(reverse("procedure-detail", args=[procedure.pk])))
    assert "18" in page and "23" in page


def test_a_step_before_the_notice_period_ends_is_refused_on_the_page(world, client):
    procedure = pages.procedure_at(world, world.village, "first_notice")
    notice = procedure.records.get(step__code="first_notice").notice
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    url = reverse("procedure-step", args=[procedure.pk])
    early = notice.ends_on  # the last day of the notice: still running
    response = client.post(url, {"step_code": "township_review", "date": early.isoformat()})
    assert response.status_code == 409
    assert _zh("notice_period_running", ends_on=notice.ends_on) in _text(response)
    assert not procedure.records.filter(step__code="township_review").exists()
    next_day = notice.ends_on + datetime.timedelta(days=1)
    response = client.post(url, {"step_code": "township_review", "date": next_day.isoformat()})
    assert response.status_code == 302
    assert procedure.records.filter(step__code="township_review").exists()


def test_a_notice_step_posts_its_notice_and_the_detail_shows_the_days_left(world, client):
    procedure = pages.procedure_at(world, world.village, "village_verification")
    client.force_login(world.user(Role.VILLAGE_CLERK))
    today = datetime.date.today()
    response = client.post(
        reverse("procedure-step", args=[procedure.pk]),
        {
            "step_code": "first_notice",
            "date": today.isoformat(),
            "notice_place": "村委会公示栏",
            "notice_object_to": "村委会 0771-1234567",
        },
    )
    assert response.status_code == 302
    notice = Notice.objects.get(records__procedure=procedure)
    assert (notice.place, notice.ends_on) == ("村委会公示栏", today + datetime.timedelta(days=6))
    page = _text(client.get(reverse("procedure-detail", args=[procedure.pk])))
    assert 'id="notice-running"' in page and "7" in page
    assert reverse("notice-detail", args=[notice.pk]) in page


def test_an_open_objection_blocks_until_resolved(world, client):
    procedure = pages.procedure_at(world, world.village, "first_notice")
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("objection-raise", args=[procedure.pk]),
        {"raised_on": "2019-03-20", "raised_by": "", "contact": "", "content": "该户有商品房"},
    )
    assert response.status_code == 302
    objection = Objection.objects.get(procedure=procedure)
    assert objection.anonymous
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    step_url = reverse("procedure-step", args=[procedure.pk])
    data = {"step_code": "township_review", "date": "2019-04-01"}
    response = client.post(step_url, data)
    assert response.status_code == 409
    assert _zh("objection_open") in _text(response)
    response = client.post(
        reverse("objection-resolve", args=[objection.pk]),
        {"handling": "入户核实，房屋为父母所有", "resolution": "dismissed"},
    )
    assert response.status_code == 302
    assert client.post(step_url, data).status_code == 302


def test_reversing_needs_a_reason_and_keeps_the_record(world, client):
    procedure = pages.procedure_at(world, world.village, "group_appraisal")
    record = procedure.records.get(step__code="group_appraisal")
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = reverse("step-reverse", args=[record.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "票数录入错误"}).status_code == 302
    record.refresh_from_db()
    procedure.refresh_from_db()
    assert record.reverse_reason == "票数录入错误" and procedure.step.code == "application"
    page = _text(client.get(reverse("procedure-detail", args=[procedure.pk])))
    assert "票数录入错误" in page and 'class="reversed"' in page
    # Only the latest standing step is reversible: the application now, not the reversed one.
    response = client.post(url, {"reason": "again"})
    assert response.status_code == 409
    assert _zh("not_reversible") in _text(response)


def test_withdrawing_closes_the_procedure(world, client):
    procedure = pages.procedure_at(world, world.village, "application")
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("procedure-withdraw", args=[procedure.pk]), {"reason": "农户撤回申请"}
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert (procedure.status, procedure.withdraw_reason) == ("withdrawn", "农户撤回申请")
    response = client.get(reverse("procedure-step", args=[procedure.pk]))
    assert response.status_code == 302  # closed: back to the detail with a message


def test_a_step_recorded_meanwhile_is_not_passed_over(world, client):
    procedure = pages.procedure_at(world, world.village, None)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = reverse("procedure-step", args=[procedure.pk])
    client.get(url)  # the page shows "application"
    pages.advance(procedure, "application", pages.actors(world, world.village))
    response = client.post(url, {"step_code": "application", "date": "2019-03-01"})
    assert response.status_code == 400
    assert StepRecord.objects.filter(procedure=procedure).count() == 1


def test_the_exit_verification_shows_the_assessment_and_the_county_may_override(world, client):
    procedure = pages.procedure_at(
        world, world.village, "appraisal", kind="exit", year_registered=2016
    )
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = reverse("procedure-step", args=[procedure.pk])
    page = _text(client.get(url))
    assert 'id="assessment-check"' in page and "override_reason" not in page
    response = client.post(url, {"step_code": "verification", "date": "2019-03-05"})
    assert response.status_code == 409
    assert _zh("no_assessment", year=2019) in _text(response)
    client.force_login(world.user(Role.COUNTY_APPROVER))
    assert "override_reason" in _text(client.get(url))
    response = client.post(
        url,
        {
            "step_code": "verification",
            "date": "2019-03-05",
            "override_reason": "县扶贫办入户核实，收入稳定",
        },
    )
    assert response.status_code == 302
    record = procedure.records.get(step__code="verification")
    assert record.override_reason == "县扶贫办入户核实，收入稳定"


def test_the_home_page_and_the_queue_list_what_waits_for_the_role(world, client):
    waiting = pages.procedure_at(world, world.village, "first_notice")
    pages.procedure_at(world, world.village, "application")
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    home = _text(client.get(reverse("home")))
    assert reverse("procedure-waiting") in home
    page = _text(client.get(reverse("procedure-waiting")))
    assert waiting.household.household_no in page
    assert page.count(reverse("procedure-detail", args=[waiting.pk])) == 1
    # The inspector acts at no step: nothing waits for them.
    client.force_login(world.user(Role.INSPECTOR))
    assert reverse("procedure-waiting") not in _text(client.get(reverse("home")))


def test_the_overview_counts_by_step_and_links_to_the_list(world, client):
    pages.procedure_at(world, world.village, "first_notice")
    pages.procedure_at(world, world.village, "first_notice")
    pages.procedure_at(world, world.other_village, None)
    client.force_login(world.user(Role.COUNTY_APPROVER))
    page = _text(client.get(reverse("procedure-overview"), {"year": 2019}))
    link = "?kind=identification&amp;step=first_notice&amp;year=2019&amp;status=open"
    assert link in page
    assert f'{link}&amp;village={world.user(Role.COUNTY_APPROVER).area_id}">2</a>' in page
    assert "step=none" in page


def test_the_waiting_query_count_does_not_grow_with_procedures(
    world, client, django_assert_max_num_queries
):
    for _ in range(3):
        pages.procedure_at(world, world.village, "first_notice")
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    with django_assert_max_num_queries(12):
        client.get(reverse("procedure-waiting"))
    with django_assert_max_num_queries(12):
        client.get(reverse("procedure-list"))


def test_a_refused_service_leaves_nothing_written(world):
    procedure = pages.procedure_at(world, world.village, "village_verification")
    before = (StepRecord.objects.count(), Notice.objects.count())
    with pytest.raises(services.StepRefused):
        services.step_record(
            procedure=procedure,
            step_code="first_notice",
            user=world.user(Role.VILLAGE_CLERK),
            on=datetime.date(2019, 3, 1),  # before the previous step
            today=pages.TODAY,
        )
    assert (StepRecord.objects.count(), Notice.objects.count()) == before


def test_an_exclusion_list_hit_is_shown_and_must_be_resolved(world, client):
    from fupin.registry.models import ExclusionEntry, Member

    procedure = pages.procedure_at(world, world.village, "group_appraisal")
    member = Member.objects.filter(household=procedure.household).first()
    kind = ExclusionEntry.Kind.values[0]
    ExclusionEntry.objects.create(kind=kind, id_number=member.id_number)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = reverse("procedure-step", args=[procedure.pk])
    page = _text(client.get(url))
    with translation.override("zh-hans"):
        label = str(ExclusionEntry.Kind(kind).label)
    assert member.name in page and label in page
    assert member.id_number not in page
    data = {"step_code": "exclusion_check", "date": "2019-03-05"}
    assert client.post(url, data).status_code == 400
    assert not procedure.records.filter(step__code="exclusion_check").exists()
    response = client.post(url, {**data, "exclusion_resolution": "车辆已于2018年转让"})
    assert response.status_code == 302
    record = procedure.records.get(step__code="exclusion_check")
    assert record.checks["resolution"] == "车辆已于2018年转让"
    assert "车辆已于2018年转让" in _text(
        client.get(reverse("procedure-detail", args=[procedure.pk]))
    )


def test_the_overview_opens_at_the_latest_year_with_procedures(world, client):
    made = pages.procedure_at(world, world.village, None)
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    response = client.get(reverse("procedure-overview"))
    assert response.context["year"] == made.year
    assert client.get(reverse("procedure-overview"), {"year": "2030"}).context["year"] == 2030


def test_the_list_is_paged_in_its_order_with_its_filters_kept(world, client, monkeypatch):
    from fupin.procedures import views

    monkeypatch.setattr(views, "PAGE", 2)
    clerk = world.user(Role.VILLAGE_CLERK)
    made = [factories.start(factories.household(world.village), clerk) for _ in range(5)]
    exit_ = pages.procedure_at(world, world.village, None, kind="exit")  # filtered out
    numbers = [f">{p.household.household_no}</a>" for p in [*made, exit_]]
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    url = reverse("procedure-list")
    filters = {"kind": "identification", "village": world.village.code}

    def shown(page):
        text = _text(client.get(url, {**filters, "page": page}))
        return text, [n for n in numbers if n in text]

    # (-year, village, id): one year and village here, so in the order they were started.
    text, found = shown(2)
    assert found == numbers[2:4]
    assert '<p class="muted" id="total">5个程序</p>' in text  # every page counts them all
    previous = f"?kind=identification&amp;village={world.village.code}&amp;page=1"
    following = f"?kind=identification&amp;village={world.village.code}&amp;page=3"
    assert f'href="{previous}"' in text and f'href="{following}"' in text
    assert shown(1)[1] == numbers[0:2]
    assert shown(3)[1] == numbers[4:5]
    # A page past the end shows the last one, a page that is no number the first.
    assert shown(99)[1] == numbers[4:5]
    assert shown("x")[1] == numbers[0:2]
    # Without the kind filter the exit procedure is listed too: the filter was what kept it out.
    everything = _text(client.get(url, {"village": world.village.code, "page": 3}))
    assert '<p class="muted" id="total">6个程序</p>' in everything
    assert [n for n in numbers if n in everything] == numbers[4:6]


def test_the_pages_say_the_procedures_words_not_fieldworks(world, client):
    # Fieldwork's catalogue comes first: its "Open" (a follow-up's 未办) and "Steps" (a
    # mediation's 调解经过) must not show here (tests/core/test_i18n.py, catalogue conflicts).
    procedure = pages.procedure_at(world, world.village, "first_notice")
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    listed = _text(client.get(reverse("procedure-list")))
    assert "<td>办理中</td>" in listed and "未办" not in listed
    detail = _text(client.get(reverse("procedure-detail", args=[procedure.pk])))
    assert "<h2>步骤</h2>" in detail and "调解经过" not in detail
    assert "办理中" in detail and "未办" not in detail
