"""The demo village's registry: 2019's incomes and ages, described as of this year."""

import datetime

from django.core.management import call_command

from fupin.core.demo import load_core_demo
from fupin.core.models import User
from fupin.registry.demo import load_demo
from fupin.registry.models import Member
from fupin.registry.quality import quality_by_village


def test_the_demo_registry_is_clean_all_year(db):
    call_command("demo")
    county = User.objects.get(username="county")
    assert Member.objects.count() > 1000
    this_year = datetime.date.today().year
    for day in (datetime.date.today(), datetime.date(this_year, 12, 31)):
        _by_village, totals = quality_by_village(county, day)
        # Before: 59 households with children of 2019 in primary or junior school in 2026.
        assert totals == dict.fromkeys(totals, 0), day


def test_the_demo_registry_keeps_2019_ages_and_this_years_schooling(db):
    call_command("demo")
    # Aged 9 or 10 in 2019 (primary school then), six years older by 2025 at least.
    then_in_primary = Member.objects.filter(birth_date__year__in=[2009, 2010])
    assert then_in_primary.count() > 5
    assert not then_in_primary.filter(schooling="primary").exists()
    # Nobody is born after the income year: the incomes count 2019's members.
    assert not Member.objects.filter(birth_date__year__gt=2019).exists()


def test_the_demo_loads_again_in_a_later_year_as_the_same_people_a_year_older(db):
    call_command("demo")
    people = set(Member.objects.values_list("household__household_no", "id_number", "name"))
    context = load_core_demo()
    next_year = datetime.date(datetime.date.today().year + 1, 3, 1)
    load_demo(context, today=next_year)  # raised head_not_in_file when the people changed
    assert set(Member.objects.values_list("household__household_no", "id_number", "name")) == (
        people
    )
    _by_village, totals = quality_by_village(User.objects.get(username="county"), next_year)
    assert totals == dict.fromkeys(totals, 0)
