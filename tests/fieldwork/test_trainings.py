"""Trainings and vocational referral: the candidate finder's age and schooling edges, who it
leaves out, enrolments and referrals through their pages, scoping and the household page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test.utils import override_settings
from django.urls import reverse

from fupin.core.roles import Role
from fupin.fieldwork import trainings
from fupin.fieldwork.models import Enrolment, Referral, TrainingProgramme
from fupin.registry.models import Member
from tests.fieldwork import factories
from tests.fieldwork import factories_trainings as make

ON = datetime.date(2019, 6, 1)
AGES = trainings.CandidateQuery(on=ON, min_age=15, max_age=30)


def found(query=AGES, members=None):
    return set(trainings.training_candidates(members or Member.objects.all(), query))


def born_aged(years: int, days: int = 0) -> datetime.date:
    """The birth date of someone `years` old on ON whose birthday is `days` days away."""
    return trainings.years_before(ON, years) + datetime.timedelta(days=days)


# --- ages: both ends inclusive ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "candidate"),
    [
        (born_aged(15), True),  # 15 today
        (born_aged(15, days=1), False),  # 14, 15 tomorrow
        (born_aged(30), True),  # 30 today
        (born_aged(31, days=1), True),  # 30, 31 tomorrow
        (born_aged(31), False),  # 31 today
        (born_aged(14), False),
    ],
    ids=["exactly-15", "14-turning-15-tomorrow", "exactly-30", "30-turning-31", "31", "14"],
)
def test_age_boundaries_are_inclusive(world, born, candidate):
    member = make.young_in(world.village, born, plans_migrant_work=True)
    assert (member in found()) is candidate


def test_the_age_range_is_configurable_per_query_and_by_setting(world):
    member = make.young_in(world.village, born_aged(32), plans_migrant_work=True)
    assert member not in found()
    assert member in found(trainings.CandidateQuery(on=ON, min_age=16, max_age=35))
    with override_settings(FUPIN_TRAINING_AGE_MIN=16, FUPIN_TRAINING_AGE_MAX=35):
        assert trainings.default_ages() == (16, 35)
    with pytest.raises(ValidationError):
        found(trainings.CandidateQuery(on=ON, min_age=30, max_age=15))


def test_a_leap_day_birthday_comes_on_1_march_in_other_years():
    # On 28 February 2019 someone born on 29 February 2004 is still 14, and someone born on
    # 29 February 1988 still 30.
    assert trainings.born_between(datetime.date(2019, 2, 28), 15, 30) == (
        datetime.date(1988, 2, 29),
        datetime.date(2004, 2, 28),
    )
    assert trainings.years_before(datetime.date(2020, 2, 29), 15) == datetime.date(2005, 2, 28)


# --- schooling: who finishes junior or senior secondary school this year -------------------


@pytest.mark.parametrize(
    ("schooling", "born", "candidate"),
    [
        # Junior secondary ends in the year a pupil is 15 on 31 August (born by 31 Aug 2004).
        ("junior", datetime.date(2003, 9, 1), True),  # 15, turning 16 in September: grade 9
        ("junior", datetime.date(2004, 5, 31), True),  # 15 on ON
        ("junior", datetime.date(2004, 8, 31), False),  # 14 on ON: too young for the finder
        ("junior", datetime.date(2002, 3, 1), True),  # a repeater, 17
        # Senior and secondary vocational end in the year a pupil is 18 on 31 August.
        ("senior", datetime.date(2001, 8, 31), True),  # 17 on ON, 18 on 31 August
        ("senior", datetime.date(2001, 9, 1), False),  # grade 11: finishes next year
        ("senior", datetime.date(2000, 9, 1), True),  # 18, turning 19 in September
        ("vocational", datetime.date(2001, 8, 31), True),
        ("vocational", datetime.date(2002, 1, 1), False),
        # Not at such a school this year.
        ("college", datetime.date(2000, 1, 1), False),
        ("finished", datetime.date(2000, 1, 1), False),
        ("out_of_school", datetime.date(2002, 1, 1), False),
    ],
)
def test_schooling_edges(world, schooling, born, candidate):
    member = make.young_in(world.village, born, schooling=schooling)
    row = next((m for m in found() if m.pk == member.pk), None)
    assert (row is not None) is candidate
    if row is not None:
        assert row.finishes_school and not row.plans_migrant_work


def test_the_junior_school_boundary_is_31_august(world):
    # On 1 June 2019 both are 15 or older only with the finder's own range widened to 14.
    grade9 = make.young_in(world.village, datetime.date(2004, 8, 31), schooling="junior")
    grade8 = make.young_in(world.village, datetime.date(2004, 9, 1), schooling="junior")
    wide = trainings.CandidateQuery(on=ON, min_age=14, max_age=30)
    assert grade9 in found(wide) and grade8 not in found(wide)


def test_plans_migrant_work_without_school(world):
    planning = make.young_in(world.village, schooling="finished", plans_migrant_work=True)
    staying = make.young_in(world.village, schooling="finished")
    rows = {m.pk: m for m in found()}
    assert planning.pk in rows and staying.pk not in rows
    assert rows[planning.pk].plans_migrant_work and not rows[planning.pk].finishes_school


# --- who is left out --------------------------------------------------------------------------


def test_enrolled_this_year_is_excluded_dropped_or_last_year_is_not(world):
    this_year = make.programme(world.village, datetime.date(2019, 3, 1))
    last_year = make.programme(world.village, datetime.date(2018, 3, 1))
    enrolled, dropped, earlier = (
        make.young_in(world.village, plans_migrant_work=True) for _ in range(3)
    )
    trainings.enrolment_add(programme=this_year, member=enrolled, on=ON)
    gone = trainings.enrolment_add(programme=this_year, member=dropped, on=ON)
    trainings.enrolment_record_outcome(enrolment=gone, status="dropped")
    trainings.enrolment_add(programme=last_year, member=earlier, on=datetime.date(2018, 3, 1))
    rows = found()
    assert enrolled not in rows
    assert dropped in rows and earlier in rows


def test_other_village_departed_and_cancelled_are_excluded(world):
    mine = make.young_in(world.village, plans_migrant_work=True)
    other = make.young_in(world.other_village, plans_migrant_work=True)
    outside = make.young_in(world.outside_village, plans_migrant_work=True)
    departed = make.young_in(
        world.village, plans_migrant_work=True, status="moved_out", departed_on=ON
    )
    cancelled_home = factories.household(
        world.village, status="cancelled", cancel_reason="moved_out", year_registered=None
    )
    cancelled = make.young(cancelled_home, born_aged(20), plans_migrant_work=True)
    clerk = world.user(Role.VILLAGE_CLERK)
    rows = found(members=Member.objects.for_user(clerk))
    assert mine in rows
    assert not rows & {other, outside, departed, cancelled}
    township = found(members=Member.objects.for_user(world.user(Role.TOWNSHIP_REVIEWER)))
    assert other in township and outside not in township


def test_the_finder_is_one_query(world, django_assert_num_queries):
    for _ in range(3):
        make.young_in(world.village, plans_migrant_work=True)
    with django_assert_num_queries(1):
        rows = list(trainings.training_candidates(Member.objects.all(), AGES))
        [(m.household.village.name, m.finishes_school, m.referred) for m in rows]
    assert len(rows) == 3


# --- enrolments and referrals ---------------------------------------------------------------


def test_enrolment_reach_capacity_and_once(world):
    programme = make.programme(world.village, capacity=1)
    member = make.young_in(world.village)
    trainings.enrolment_add(programme=programme, member=member, on=ON)
    with pytest.raises(ValidationError) as full:
        trainings.enrolment_add(programme=programme, member=make.young_in(world.village), on=ON)
    assert trainings.PROGRAMME_FULL in full.value.messages
    village_only = make.programme(world.village)
    with pytest.raises(ValidationError) as outside:
        trainings.enrolment_add(
            programme=village_only, member=make.young_in(world.other_village), on=ON
        )
    assert trainings.MEMBER_OUTSIDE in outside.value.messages
    with pytest.raises(ValidationError):
        trainings.enrolment_add(programme=programme, member=member, on=ON)


def test_the_database_refuses_an_employer_without_a_job_and_negative_income(world):
    enrolment = trainings.enrolment_add(
        programme=make.programme(world.village), member=make.young_in(world.village), on=ON
    )
    for fields in ({"employer": "南宁供电局"}, {"employed": True, "monthly_income": -1}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Enrolment.objects.filter(pk=enrolment.pk).update(**fields)


def test_a_referral_to_a_programme_enrolled_makes_the_enrolment(world):
    programme = make.programme(world.areas["450101001000"])  # the township's
    member = make.young_in(world.village)
    referral = make.referral(member, programme)
    trainings.referral_record_outcome(referral=referral, status="enrolled", on=ON)
    assert Enrolment.objects.get(member=member).programme == programme
    with pytest.raises(ValidationError):  # an outcome is recorded once
        trainings.referral_record_outcome(referral=referral, status="declined", on=ON)


def test_enrolling_closes_the_open_referral(world):
    programme = make.programme(world.village)
    member = make.young_in(world.village)
    referral = make.referral(member, programme, on=datetime.date(2019, 4, 1))
    trainings.enrolment_add(programme=programme, member=member, on=ON)
    referral.refresh_from_db()
    assert (referral.status, referral.outcome_on) == ("enrolled", ON)
    assert referral.history.count() == 2


def test_a_referral_names_where_to(world):
    member = make.young_in(world.village)
    with pytest.raises(ValidationError):
        trainings.referral_create(member=member, kind="employer", on=ON, by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            member=member,
            household=member.household,
            village=world.village,
            kind="school",
            referred_on=ON,
        )


# --- pages ----------------------------------------------------------------------------------


def test_programme_create_and_enrol_by_search_on_the_page(world, client):
    client.force_login(world.user(Role.RESIDENT_TEAM))
    response = client.post(
        reverse("training-programme-create"),
        {
            "provider": "广西第一工业学校",
            "course": "电力技术",
            "area": world.village.code,
            "starts_on": "2019-03-01",
            "capacity": "30",
        },
    )
    assert response.status_code == 302
    programme = TrainingProgramme.objects.get()
    member = make.young_in(world.village)
    make.young_in(world.outside_village)  # the same name's beginning, another county
    page = client.get(reverse("training-programme", args=[programme.pk]), {"q": "青年"})
    assert list(page.context["found"]) == [member]
    response = client.post(
        reverse("training-enrol", args=[programme.pk]),
        {"member": member.pk, "enrolled_on": "2019-03-01"},
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    response = client.post(
        reverse("training-enrolment-outcome", args=[enrolment.pk]),
        {
            "status": "completed",
            "certificate": "电工证（初级）",
            "employed": "on",
            "employer": "南宁供电局",
            "monthly_income": "3200",
        },
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.monthly_income) == ("completed", Decimal("3200"))
    household = client.get(reverse("household-detail", args=[member.household_id]))
    assert "电工证（初级）" in household.content.decode()


def test_enrolling_another_villages_member_is_404(world, client):
    programme = make.programme(world.areas["450101000000"])
    stranger = make.young_in(world.other_village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("training-enrol", args=[programme.pk]),
        {"member": stranger.pk, "enrolled_on": "2019-03-01"},
    )
    assert response.status_code == 404
    assert not Enrolment.objects.exists()


def test_a_clerk_sees_only_their_villages_enrolments_and_referrals(world, client):
    county = make.programme(world.areas["450101000000"])
    mine = make.young_in(world.village)
    theirs = make.young_in(world.other_village)
    for member in (mine, theirs):
        trainings.enrolment_add(programme=county, member=member, on=ON)
        make.referral(member)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("training-programme", args=[county.pk]))
    assert [e.member for e in page.context["enrolments"]] == [mine]
    referrals = client.get(reverse("training-referrals"))
    assert [r.member for r in referrals.context["referrals"]] == [mine]
    assert county in client.get(reverse("training-programmes")).context["programmes"]


def test_candidates_page_refer_and_outcome(world, client):
    member = make.young_in(world.village, born_aged(18), plans_migrant_work=True)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    page = client.get(reverse("training-candidates"), {"on": "2019-06-01"})
    assert [m.pk for m in page.context["candidates"]] == [member.pk]
    assert reverse("training-referral-create", args=[member.pk]) in page.content.decode()
    response = client.post(
        reverse("training-referral-create", args=[member.pk]),
        {"kind": "school", "destination": "广西电力职业技术学院", "referred_on": "2019-06-01"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.referred_by == world.user(Role.VILLAGE_CLERK)
    response = client.post(
        reverse("training-referral-outcome", args=[referral.pk]),
        {"status": "enrolled", "outcome_on": "2019-09-01"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "enrolled"
    household = client.get(reverse("household-detail", args=[member.household_id]))
    assert "广西电力职业技术学院" in household.content.decode()


def test_bad_candidate_ages_are_a_400(world, client):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.get(reverse("training-candidates"), {"min_age": "31", "max_age": "15"})
    assert response.status_code == 400
    assert str(trainings.BAD_AGES) in response.content.decode()


def test_a_referral_without_where_is_refused_at_the_field(world, client):
    member = make.young_in(world.village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.post(
        reverse("training-referral-create", args=[member.pk]),
        {"kind": "employer", "referred_on": "2019-06-01"},
    )
    assert response.status_code == 400
    assert "destination" in response.context["form"].errors
    assert not Referral.objects.exists()


# --- the demo -------------------------------------------------------------------------------


def test_the_demo_has_a_2019_programme_with_enrolments_and_referrals(db):
    from fupin.core.demo import load_demo
    from fupin.fieldwork import demo

    context = load_demo()
    village = context.village.code
    programmes = TrainingProgramme.objects.filter(starts_on__year=2019)
    assert set(programmes.values_list("provider", flat=True)) >= {"广西第一工业学校"}
    enrolments = Enrolment.objects.in_area(village)
    assert enrolments.count() == 4
    assert enrolments.filter(employed=True, monthly_income__gt=0).count() == 2
    statuses = set(Referral.objects.in_area(village).values_list("status", flat=True))
    assert statuses == {"referred", "enrolled", "employed", "declined"}
    demo.load_trainings_demo(context)  # again: nothing added
    assert Enrolment.objects.in_area(village).count() == 4
