"""The data-quality checks: each finds the households with its problem, and no others, in
the user's area."""

import datetime

import pytest

from fupin import idnumbers
from fupin.core.roles import Role
from fupin.registry.models import ExclusionEntry, Member, YearlyIncome
from fupin.registry.quality import BY_KEY, quality_by_village
from tests.registry.factories import make_household

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2020, 6, 30)
_orders = iter(range(1, 1000))


def person(household, born, *, relation="child", name=None, **fields):
    number = idnumbers.make("450125", born, next(_orders))
    return Member.objects.create(
        household=household,
        relation=relation,
        name=name or f"韦{number[-4:]}",
        id_number=number,
        sex=idnumbers.sex_of(number),
        birth_date=born,
        **fields,
    )


def found(world, check, role=Role.COUNTY_APPROVER):
    households = BY_KEY[check].households(world.user(role), TODAY)
    return set(households.values_list("pk", flat=True))


def test_same_name_and_birth_date_in_one_village(world):
    born = datetime.date(1980, 5, 1)
    first, second = make_household(world.village), make_household(world.village)
    elsewhere, gone = make_household(world.other_village), make_household(world.village)
    for household in (first, second, elsewhere):
        person(household, born, name="韦同名")
    person(gone, born, name="韦同名", status="deceased", departed_on=datetime.date(2019, 1, 1))
    assert found(world, "same_name_birth_date") == {first.pk, second.pk}


def test_implausible_ages(world):
    too_old, young_head, child = (make_household(world.village, members=0) for _ in range(3))
    person(too_old, datetime.date(1905, 1, 1), relation="head")
    person(young_head, datetime.date(2010, 1, 1), relation="head")
    person(child, datetime.date(1980, 1, 1), relation="head")
    person(child, datetime.date(2010, 1, 1))
    assert found(world, "implausible_age") == {too_old.pk, young_head.pk}


def test_schooling_implausible_for_the_age(world):
    old_pupil, young_student, pupil = (make_household(world.village) for _ in range(3))
    person(old_pupil, datetime.date(1990, 1, 1), schooling="primary")
    person(young_student, datetime.date(2010, 1, 1), schooling="college")
    person(pupil, datetime.date(2010, 1, 1), schooling="primary")
    assert found(world, "schooling_for_age") == {old_pupil.pk, young_student.pk}


def test_implausible_per_capita_income(world):
    rich = make_household(world.village, members=1, income=100_001)
    nothing = make_household(world.village)
    YearlyIncome.objects.create(household=nothing, year=2019, members=3)
    make_household(world.village, income=3000)
    make_household(world.village, members=1, income=100_000)  # the limit itself is plausible
    assert found(world, "implausible_income") == {rich.pk, nothing.pk}


def test_no_head_except_in_a_cancelled_household(world):
    headless = make_household(world.village, members=0)
    make_household(world.village, members=0, status="cancelled", cancel_reason="moved_out")
    make_household(world.village)
    assert found(world, "no_head") == {headless.pk}


@pytest.mark.parametrize("status", ["deceased", "moved_out"])
def test_a_head_who_is_no_longer_present_is_no_head(world, status):
    """The import requires a present head: such a household's export would be refused."""
    gone, present = (make_household(world.village, members=0) for _ in range(2))
    person(gone, datetime.date(1950, 1, 1), relation="head", status=status,
           departed_on=datetime.date(2019, 1, 1))  # fmt: skip
    person(gone, datetime.date(1980, 1, 1))  # others present do not make a head
    person(present, datetime.date(1950, 1, 1), relation="head")
    person(present, datetime.date(1980, 1, 1), status=status, departed_on=datetime.date(2019, 1, 1))
    assert found(world, "no_head") == {gone.pk}


def test_registered_or_monitored_households_on_an_exclusion_list(world):
    registered = make_household(world.village, status="registered")
    monitored = make_household(world.village, status="monitored")
    exited = make_household(world.village, status="exited")
    departed = make_household(world.village, status="registered")
    leaver = person(departed, datetime.date(1990, 1, 1), status="moved_out",
                    departed_on=datetime.date(2019, 1, 1))  # fmt: skip
    listed = [registered.members.first(), monitored.members.first(), exited.members.first(), leaver]
    for index, member in enumerate(listed):
        ExclusionEntry.objects.create(kind="vehicle", id_number=member.id_number, detail=index)
    assert found(world, "exclusion_match") == {registered.pk, monitored.pk}


def test_counts_by_village_in_the_users_area_only(world):
    for village in (world.village, world.other_village, world.outside_village):
        make_household(village, members=0)
    table, totals = quality_by_village(world.user(Role.VILLAGE_CLERK), TODAY)
    assert table == {world.village.code: {"no_head": 1}}
    assert totals["no_head"] == 1 and sum(totals.values()) == 1
    table, totals = quality_by_village(world.user(Role.TOWNSHIP_REVIEWER), TODAY)
    assert set(table) == {world.village.code, world.other_village.code}
    assert totals["no_head"] == 2
