"""The procedures' services: walking households through, and every refusal on the way."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from fupin.assessment import retention
from fupin.core.roles import Role
from fupin.procedures import rules, services
from fupin.procedures.models import Notice, Procedure, RiskType, Status, StepRecord
from fupin.procedures.services import StepRefused
from fupin.registry.models import ExclusionEntry, Household, Member
from tests.procedures.factories import VOTES, assess, household, income, record, start

D = datetime.date
SAFE = {
    "housing_grade": "A",
    "water_quality": "safe",
    "water_quantity": "safe",
    "water_convenience": "safe",
    "water_reliability": "safe",
}


@pytest.fixture
def actors(world):
    return {
        "clerk": world.user(Role.VILLAGE_CLERK),
        "team": world.user(Role.RESIDENT_TEAM),
        "township": world.user(Role.TOWNSHIP_REVIEWER),
        "county": world.user(Role.COUNTY_APPROVER),
    }


def at(*parts):
    """A moment in the county's own time zone (the day a clerk sees on the wall)."""
    from zoneinfo import ZoneInfo

    from django.conf import settings

    return datetime.datetime(*parts, tzinfo=ZoneInfo(settings.TIME_ZONE))


def refused(code, call, *args, **kwargs):
    with pytest.raises(StepRefused) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.messages
    return caught.value


def signed():
    return [SimpleUploadedFile("agreement.pdf", b"%PDF-1.4 signed", "application/pdf")]


IDENTIFICATION = [
    # step, actor, date, extra
    ("application", "clerk", D(2019, 3, 1), {}),
    ("group_appraisal", "clerk", D(2019, 3, 2), {"votes": VOTES}),
    ("exclusion_check", "team", D(2019, 3, 3), {}),
    ("representatives_appraisal", "clerk", D(2019, 3, 4), {"votes": VOTES}),
    ("village_verification", "team", D(2019, 3, 5), {}),
    ("first_notice", "clerk", D(2019, 3, 6), {"notice_place": "村委会公示栏"}),
    ("township_review", "township", D(2019, 3, 13), {}),
    ("second_notice", "township", D(2019, 3, 14), {}),
    ("county_approval", "county", D(2019, 3, 21), {}),
    ("announcement", "county", D(2019, 3, 22), {}),
]


def walk(procedure, actors, steps):
    for code, who, day, extra in steps:
        record(procedure, code, actors[who], on=day, **extra)


def test_identification_registers_the_household_for_the_year(world, actors):
    target = household(world.village)
    procedure = start(target, actors["clerk"])
    walk(procedure, actors, IDENTIFICATION)
    procedure.refresh_from_db()
    target.refresh_from_db()
    assert (procedure.status, procedure.closed_on, procedure.step.code) == (
        Status.COMPLETED,
        D(2019, 3, 22),
        "announcement",
    )
    assert (target.status, target.year_registered) == ("registered", 2019)
    # The registry's own service changed it, with the procedure named in its history.
    change = target.history.latest()
    assert change.history_user == actors["county"]
    assert f"#{procedure.pk}" in change.history_change_reason
    assert procedure.records.count() == len(IDENTIFICATION)
    assert StepRecord.history.filter(procedure_id=procedure.pk).count() == len(IDENTIFICATION)
    first, second, announcement = Notice.objects.order_by("posted_on")
    assert (first.area_id, first.ends_on, first.place) == (
        world.village.code,
        D(2019, 3, 12),
        "村委会公示栏",
    )
    assert second.area_id == world.village.parent_id  # the township's notice
    assert announcement.area_id == world.village.parent.parent_id  # the county's


def test_no_step_is_skipped(world, actors):
    procedure = start(household(world.village), actors["clerk"])
    error = refused(
        "step_out_of_order", record, procedure, "group_appraisal", actors["clerk"], votes=VOTES
    )
    assert "农户申请" in error.message or "Application" in error.message


def test_wrong_role_is_refused_at_every_step_and_forbidden(world, actors):
    procedure = start(household(world.village), actors["clerk"])
    for code, who, day, extra in IDENTIFICATION:
        wrong = actors["township"] if who in ("clerk", "team") else actors["clerk"]
        error = refused("wrong_role", record, procedure, code, wrong, on=day, **extra)
        assert error.status == 403
        record(procedure, code, actors[who], on=day, **extra)


def test_out_of_area_is_not_found(world, actors):
    procedure = start(household(world.village), actors["clerk"])
    error = refused("out_of_area", record, procedure, "application", world.outsider)
    assert error.status == 404
    refused("out_of_area", start, household(world.outside_village), actors["clerk"])


def test_the_notice_runs_its_days_with_time_frozen(world, actors):
    procedure = start(household(world.village), actors["clerk"])
    walk(procedure, actors, IDENTIFICATION[:5])
    posted = D(2019, 3, 6)
    with time_machine.travel(at(2019, 3, 6, 9), tick=False):
        services.step_record(procedure=procedure, step_code="first_notice", user=actors["clerk"])
    # Seven days counting the day of posting: the 6th to the 12th.
    with time_machine.travel(at(2019, 3, 12, 23), tick=False):
        error = refused(
            "notice_period_running",
            services.step_record,
            procedure=procedure,
            step_code="township_review",
            user=actors["township"],
        )
        assert error.params == {"ends_on": posted + datetime.timedelta(days=6)}
        assert "2019-03-12" in error.message
    with time_machine.travel(at(2019, 3, 13, 0, 5), tick=False):
        services.step_record(
            procedure=procedure, step_code="township_review", user=actors["township"]
        )


def test_a_step_cannot_be_recorded_for_tomorrow(world, actors):
    procedure = start(household(world.village), actors["clerk"])
    refused(
        "date_in_future",
        record,
        procedure,
        "application",
        actors["clerk"],
        on=D(2019, 3, 2),
        today=D(2019, 3, 1),
    )


def test_the_vote_rule(world, actors):
    procedure = start(household(world.village), actors["clerk"])
    record(procedure, "application", actors["clerk"])
    refused("votes_missing", record, procedure, "group_appraisal", actors["clerk"])
    thin = rules.Votes(votes_for=15, against=0, abstain=0, attendance=15, eligible=30)
    error = refused(
        "vote_rule_not_met", record, procedure, "group_appraisal", actors["clerk"], votes=thin
    )
    assert "2/3" in error.message
    done = record(procedure, "group_appraisal", actors["clerk"], votes=VOTES)
    assert (
        done.votes_for,
        done.votes_against,
        done.votes_abstain,
        done.attendance,
        done.eligible,
    ) == (20, 2, 1, 23, 30)


def test_an_exclusion_hit_is_resolved_with_a_reason(world, actors):
    target = household(world.village)
    head = Member.objects.get(household=target, relation="head")
    ExclusionEntry.objects.create(kind="vehicle", id_number=head.id_number, source="交警大队")
    procedure = start(target, actors["clerk"])
    walk(procedure, actors, IDENTIFICATION[:2])
    error = refused(
        "exclusion_hit_unresolved",
        record,
        procedure,
        "exclusion_check",
        actors["team"],
        on=D(2019, 3, 3),
    )
    assert error.params == {"hits": 1}
    done = record(
        procedure,
        "exclusion_check",
        actors["team"],
        on=D(2019, 3, 3),
        exclusion_resolution="车辆为农用车，已核实",
    )
    assert done.checks["exclusions"] == [{"member": head.name, "list": "vehicle"}]
    assert done.checks["resolution"] == "车辆为农用车，已核实"


# --- exit ---------------------------------------------------------------------------------


EXIT = [
    ("appraisal", "clerk", D(2019, 10, 1), {"votes": VOTES}),
    ("verification", "team", D(2019, 10, 2), {}),
    ("agreement", "clerk", D(2019, 10, 3), {}),  # documents added by the test
    ("village_notice", "clerk", D(2019, 10, 4), {}),
    ("township_notice", "township", D(2019, 10, 11), {}),
    ("announcement", "county", D(2019, 10, 18), {}),
]


def exit_walk(procedure, actors, steps):
    for code, who, day, extra in steps:
        if code == "agreement":
            extra = {**extra, "documents": signed()}
        record(procedure, code, actors[who], on=day, **extra)


@pytest.fixture
def exiting(world, actors):
    target = household(world.village, status="registered", income=6000, **SAFE)
    Member.objects.filter(household=target).update(serious_illness_insurance=True)
    run = assess(world.village)
    return start(target, actors["clerk"], kind="exit"), run


def test_exit_walks_through_and_cites_the_assessment(world, actors, exiting):
    procedure, run = exiting
    exit_walk(procedure, actors, EXIT)
    procedure.refresh_from_db()
    target = Household.objects.get(pk=procedure.household_id)
    assert (procedure.status, target.status, target.year_exited) == ("completed", "exited", 2019)
    verification = procedure.records.get(step__code="verification")
    assert verification.assessment_run_id == run.pk
    assert verification.checks["outcome"] == "meets_exit"
    assert procedure.records.get(step__code="agreement").attachments.count() == 1
    # Pruning keeps the run the verification relied on.
    assert run.pk in retention.referred_runs()


def test_the_agreement_needs_the_signed_form(world, actors, exiting):
    procedure, _run = exiting
    exit_walk(procedure, actors, EXIT[:2])
    refused("document_missing", record, procedure, "agreement", actors["clerk"], on=D(2019, 10, 3))


def test_exit_standard_not_met_unless_the_county_overrides(world, actors):
    target = household(world.village, status="registered", income=1000, **SAFE)
    assess(world.village)
    procedure = start(target, actors["clerk"], kind="exit")
    exit_walk(procedure, actors, EXIT[:1])
    error = refused(
        "exit_standard_not_met",
        record,
        procedure,
        "verification",
        actors["team"],
        on=D(2019, 10, 2),
    )
    assert error.status == 409
    refused(
        "override_needs_county",
        record,
        procedure,
        "verification",
        actors["team"],
        on=D(2019, 10, 2),
        override_reason="收入已达标",
    )
    refused("wrong_role", record, procedure, "verification", actors["county"], on=D(2019, 10, 2))
    done = record(
        procedure,
        "verification",
        actors["county"],
        on=D(2019, 10, 2),
        override_reason="年底分红到账，人均收入已超过标准，县扶贫办核实",
    )
    assert done.override_reason.startswith("年底分红")
    assert done.checks["outcome"] == "not_meets_exit"


def test_exit_without_an_assessment_is_refused(world, actors):
    procedure = start(household(world.village, status="registered"), actors["clerk"], kind="exit")
    exit_walk(procedure, actors, EXIT[:1])
    refused("no_assessment", record, procedure, "verification", actors["team"], on=D(2019, 10, 2))


def test_a_household_registered_this_year_cannot_exit(world, actors):
    target = household(world.village, status="registered", year_registered=2019)
    error = refused("registered_this_year", start, target, actors["clerk"], kind="exit")
    assert "2019" in error.message
    assert not Procedure.objects.exists()


def test_an_open_objection_holds_the_exit(world, actors, exiting):
    procedure, _run = exiting
    exit_walk(procedure, actors, EXIT[:4])
    objection = services.objection_raise(
        procedure=procedure,
        user=actors["clerk"],
        content="该户家中有轿车",
        raised_on=D(2019, 10, 6),
    )
    assert objection.anonymous and objection.notice.step.code == "village_notice"
    refused(
        "objection_open",
        record,
        procedure,
        "township_notice",
        actors["township"],
        on=D(2019, 10, 11),
    )
    refused(
        "reason_required",
        services.objection_resolve,
        objection=objection,
        user=actors["team"],
        handling=" ",
        resolution="dismissed",
    )
    services.objection_resolve(
        objection=objection,
        user=actors["team"],
        handling="入户核实：车辆为农用三轮车",
        resolution="dismissed",
    )
    refused(
        "objection_resolved",
        services.objection_resolve,
        objection=objection,
        user=actors["team"],
        handling="again",
        resolution="dismissed",
    )
    record(procedure, "township_notice", actors["township"], on=D(2019, 10, 11))


# --- reversal -----------------------------------------------------------------------------


def test_a_step_is_reversed_only_with_a_reason_and_can_then_be_recorded_again(world, actors):
    procedure = start(household(world.village), actors["clerk"])
    walk(procedure, actors, IDENTIFICATION[:2])
    first, second = procedure.records.order_by("step__order")
    refused(
        "reason_required", services.step_reverse, record=second, user=actors["clerk"], reason="  "
    )
    refused(
        "not_reversible", services.step_reverse, record=first, user=actors["clerk"], reason="错了"
    )
    refused(
        "wrong_role", services.step_reverse, record=second, user=actors["township"], reason="错了"
    )
    services.step_reverse(record=second, user=actors["clerk"], reason="票数录入错误")
    procedure.refresh_from_db()
    assert (procedure.step.code, procedure.step_order) == ("application", 1)
    second.refresh_from_db()
    assert (second.reversed_by, second.reverse_reason) == (actors["clerk"], "票数录入错误")
    again = record(procedure, "group_appraisal", actors["clerk"], votes=VOTES)
    assert procedure.records.count() == 3 and again.pk != second.pk
    # The database refuses a second standing record of one step.
    duplicate = StepRecord(
        procedure=procedure, step=again.step, village=world.village, date=again.date
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_one_open_procedure_per_household_kind_and_year(world, actors):
    target = household(world.village)
    procedure = start(target, actors["clerk"])
    refused("already_open", start, target, actors["clerk"])
    copy = Procedure(
        household=target,
        village=world.village,
        kind=procedure.kind,
        year=2019,
        workflow=procedure.workflow,
        started_on=D(2019, 3, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()
    services.procedure_withdraw(procedure=procedure, user=actors["clerk"], reason="农户撤回申请")
    assert start(target, actors["clerk"]).pk != procedure.pk


# --- batch --------------------------------------------------------------------------------


def test_a_batch_step_records_every_household_or_none(world, actors, django_assert_max_num_queries):
    procedures = [start(household(world.village), actors["clerk"]) for _ in range(6)]
    services.step_record_batch(
        procedures=procedures,
        step_code="application",
        user=actors["clerk"],
        on=D(2019, 3, 1),
        today=D(2019, 3, 1),
    )
    # One household was recorded on its own meanwhile: the batch refuses all, writes none.
    record(procedures[0], "group_appraisal", actors["clerk"], on=D(2019, 3, 2), votes=VOTES)
    error = refused(
        "already_recorded",
        services.step_record_batch,
        procedures=procedures,
        step_code="group_appraisal",
        user=actors["clerk"],
        on=D(2019, 3, 2),
        today=D(2019, 3, 2),
        votes=VOTES,
    )
    assert list(error.by_procedure) == [procedures[0].pk]
    assert StepRecord.objects.filter(step__code="group_appraisal").count() == 1
    rest = procedures[1:]
    with django_assert_max_num_queries(40):
        batch = services.step_record_batch(
            procedures=rest,
            step_code="group_appraisal",
            user=actors["clerk"],
            on=D(2019, 3, 2),
            today=D(2019, 3, 2),
            votes=VOTES,
            note="3月2日村民小组会议",
        )
    assert batch.households == 5
    assert set(batch.records.values_list("procedure_id", flat=True)) == {p.pk for p in rest}
    assert set(
        Procedure.objects.filter(pk__in=[p.pk for p in rest]).values_list("step__code", flat=True)
    ) == {"group_appraisal"}
    assert Procedure.history.filter(history_change_reason=f"batch #{batch.pk}").count() == 5
    written = StepRecord.history.filter(batch_id=batch.pk)
    assert written.count() == 5 and {h.history_user for h in written} == {actors["clerk"]}
    assert {h.history_type for h in written} == {"+"}


def test_a_batch_notice_is_one_notice_for_every_household(world, actors):
    procedures = [start(household(world.village), actors["clerk"]) for _ in range(3)]
    for code, who, day, extra in IDENTIFICATION[:5]:
        services.step_record_batch(
            procedures=procedures, step_code=code, user=actors[who], on=day, today=day, **extra
        )
    batch = services.step_record_batch(
        procedures=procedures,
        step_code="first_notice",
        user=actors["clerk"],
        on=D(2019, 3, 6),
        today=D(2019, 3, 6),
        notice_place="村委会",
    )
    assert Notice.objects.count() == 1 and batch.notice.records.count() == 3
    from fupin.procedures.selectors import notice_households

    assert notice_households(actors["clerk"], batch.notice).count() == 3


def test_a_batch_announcement_registers_every_household(world, actors):
    procedures = [start(household(world.village), actors["clerk"]) for _ in range(3)]
    for code, who, day, extra in IDENTIFICATION:
        services.step_record_batch(
            procedures=procedures, step_code=code, user=actors[who], on=day, today=day, **extra
        )
    targets = Household.objects.filter(procedures__in=procedures)
    assert set(targets.values_list("status", "year_registered")) == {("registered", 2019)}
    assert set(Procedure.objects.values_list("status", "closed_on")) == {
        ("completed", D(2019, 3, 22))
    }
    for target in targets:
        change = target.history.latest()
        assert (change.history_type, change.history_user, change.status) == (
            "~",
            actors["county"],
            "registered",
        )
        assert "batch #" in change.history_change_reason


def test_a_batch_is_of_one_village(world, actors):
    here = start(household(world.village), actors["clerk"])
    other = household(world.other_village)
    from tests.conftest import make_user

    clerk_a2 = make_user("clerk_a2", Role.VILLAGE_CLERK, world.other_village.code)
    there = start(other, clerk_a2)
    refused(
        "not_in_village",
        services.step_record_batch,
        procedures=[here, there],
        step_code="application",
        user=actors["township"],
        on=D(2019, 3, 1),
        today=D(2019, 3, 1),
    )


# --- monitoring and risk removal ----------------------------------------------------------


def test_monitoring_then_risk_removal(world, actors):
    target = household(world.village, status="exited", income=9000, **SAFE)
    Member.objects.filter(household=target).update(
        serious_illness_insurance=True, labour="ordinary"
    )
    types = list(RiskType.objects.filter(code__in=["illness", "income_shock"]))
    refused(
        "risk_types_required",
        start,
        target,
        actors["clerk"],
        kind="monitoring",
        year=2026,
        risk_types=[],
    )
    procedure = start(
        target,
        actors["clerk"],
        kind="monitoring",
        year=2026,
        risk_types=types,
        source="cadre_visit",
    )
    assert set(procedure.risk_types.values_list("code", flat=True)) == {"illness", "income_shock"}
    for code, who, day, extra in [
        ("proposal", "clerk", D(2026, 2, 1), {}),
        ("village_appraisal", "clerk", D(2026, 2, 2), {"votes": VOTES}),
        ("township_review", "township", D(2026, 2, 3), {}),
        ("county_confirmation", "county", D(2026, 2, 4), {}),
    ]:
        record(procedure, code, actors[who], on=day, **extra)
    target.refresh_from_db()
    assert target.status == "monitored"
    income(target, 2026, 9000)
    assess(world.village, year=2026)
    removal = start(target, actors["clerk"], kind="risk_removal", year=2026)
    record(removal, "proposal", actors["clerk"], on=D(2026, 9, 1))
    refused(
        "income_not_stable",
        record,
        removal,
        "verification",
        actors["team"],
        on=D(2026, 9, 2),
        stable_months=5,
    )
    record(removal, "verification", actors["team"], on=D(2026, 9, 2), stable_months=7)
    record(removal, "village_appraisal", actors["clerk"], on=D(2026, 9, 3), votes=VOTES)
    notice = record(removal, "notice", actors["clerk"], on=D(2026, 9, 4)).notice
    assert notice.ends_on == D(2026, 9, 8)  # five days
    refused(
        "notice_period_running",
        record,
        removal,
        "township_review",
        actors["township"],
        on=D(2026, 9, 8),
    )
    record(removal, "township_review", actors["township"], on=D(2026, 9, 9))
    record(removal, "county_confirmation", actors["county"], on=D(2026, 9, 10))
    target.refresh_from_db()
    assert target.status == "exited"


def test_a_household_without_working_capacity_stays_monitored(world, actors):
    target = household(world.village, status="monitored", income=9000, **SAFE)
    Member.objects.filter(household=target).update(serious_illness_insurance=True, labour="none")
    income(target, 2026, 9000)
    assess(world.village, year=2026)
    removal = start(target, actors["clerk"], kind="risk_removal", year=2026)
    record(removal, "proposal", actors["clerk"], on=D(2026, 9, 1))
    refused(
        "no_working_capacity",
        record,
        removal,
        "verification",
        actors["team"],
        on=D(2026, 9, 2),
        stable_months=12,
    )


def test_the_assessment_proposes_flagged_households_for_monitoring(world, actors):
    from fupin.procedures.selectors import monitoring_candidates

    flagged = household(world.village, status="exited", **SAFE)
    income(flagged, 2026, 1000)
    income(household(world.village, status="exited", **SAFE), 2026, 20000)
    Member.objects.update(serious_illness_insurance=True)
    assess(world.village, year=2026)
    found = monitoring_candidates(actors["clerk"], world.village.code, 2026)
    assert list(found) == [flagged]


def test_the_proposals_page_lists_the_flagged_and_links_to_start_monitoring(world, actors, client):
    from django.urls import reverse

    flagged = household(world.village, status="exited", **SAFE)
    income(flagged, 2026, 1000)
    secure = household(world.village, status="exited", **SAFE)
    income(secure, 2026, 20000)
    Member.objects.update(serious_illness_insurance=True)
    assess(world.village, year=2026)
    client.force_login(actors["clerk"])
    url = reverse("monitoring-proposals")
    page = client.get(url, {"village": world.village.code, "year": 2026}).content.decode()
    assert flagged.household_no in page and secure.household_no not in page
    start_url = reverse("procedure-start", args=[flagged.pk]) + "?kind=monitoring"
    assert start_url in page
    form = client.get(start_url + "&source=assessment").context["form"]
    assert form.initial["kind"] == "monitoring" and form.initial["source"] == "assessment"
    # Another county's village is not the clerk's to look at.
    assert client.get(url, {"village": world.outside_village.code}).status_code == 404
    # Once a monitoring procedure holds the household, it is no longer proposed.
    start(flagged, actors["clerk"], kind="monitoring", year=2026)
    page = client.get(url, {"village": world.village.code, "year": 2026}).content.decode()
    assert flagged.household_no not in page
