"""The set-based engine and the per-household reference give identical results: outcomes,
failed tests and flags, reasons (in order), index deprivations and persons, on random
registries built with the ORM."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fupin.assessment import engine, reference
from fupin.assessment import rules as r
from fupin.assessment.models import HouseholdEvent
from fupin.assessment.standards import load_standards
from fupin.registry import choices as c
from tests.assessment import factories

WATER = st.sampled_from(["", "safe", "basic", "unsafe"])
# Birthdays around the reference day of 31 August, so that ages land on the range's ends.
BIRTH = st.one_of(
    st.dates(date(1940, 1, 1), date(2020, 12, 31)),
    st.builds(
        lambda y, d: date(y, 8, 31) + timedelta(days=d),
        st.integers(2002, 2015),
        st.integers(-1, 1),
    ),
)
MONEY = st.one_of(
    st.none(),
    st.sampled_from([Decimal("3218"), Decimal("3217.99"), Decimal("6000"), Decimal("0")]),
    st.decimals(Decimal("0"), Decimal("9000"), places=2),
)
MEMBER = st.fixed_dictionaries(
    {
        "birth_date": BIRTH,
        "schooling": st.sampled_from([s.value for s in c.Schooling]),
        "education": st.sampled_from(["", *[e.value for e in c.Education]]),
        "medical_insurance": st.booleans(),
        "serious_illness_insurance": st.booleans(),
        "present": st.booleans() | st.just(True),
        "name": st.sampled_from(["王某", '李"小"明', "Ann\\Lee", "赵\n六"]),
    }
)
HOUSEHOLD = st.fixed_dictionaries(
    {
        "status": st.sampled_from([s.value for s in c.Status]),
        "year_registered": st.sampled_from([2014, 2018, 2019, 2021]),
        "housing_grade": st.sampled_from(["", "A", "B", "C", "D"]),
        "housing_renovation": st.sampled_from([h.value for h in c.HousingRenovation]),
        "water": st.tuples(WATER, WATER, WATER, WATER),
        "electricity": st.booleans(),
        "members": st.lists(MEMBER, max_size=4),
        "income": MONEY,
        "previous": MONEY,
        "events": st.lists(
            st.tuples(
                st.sampled_from(["medical", "disaster"]),
                st.sampled_from([Decimal("0"), Decimal("10000"), Decimal("9999.99")]),
            ),
            max_size=2,
        ),
        "village": st.integers(0, 2),
    }
)


def build(world, spec, year):
    villages = [world.village, world.other_village, world.outside_village]
    status = spec["status"]
    fields = {
        "housing_grade": spec["housing_grade"],
        "housing_renovation": spec["housing_renovation"],
        "water_quality": spec["water"][0],
        "water_quantity": spec["water"][1],
        "water_convenience": spec["water"][2],
        "water_reliability": spec["water"][3],
        "electricity": spec["electricity"],
    }
    if status == c.Status.CANCELLED:
        fields["cancel_reason"] = c.CancelReason.MOVED_OUT
    if status == c.Status.EXITED:
        fields["year_exited"] = max(spec["year_registered"], 2016)
    household = factories.household(
        villages[spec["village"]],
        status=status,
        year_registered=None if status == c.Status.NOT_REGISTERED else spec["year_registered"],
        **fields,
    )
    for i, m in enumerate(spec["members"]):
        present = m.pop("present")
        factories.member(
            household,
            relation="head" if i == 0 else "child",
            status=c.MemberStatus.PRESENT if present else c.MemberStatus.DECEASED,
            departed_on=None if present else date(2019, 1, 1),
            **m,
        )
    for which, amount in ((year, spec["income"]), (year - 1, spec["previous"])):
        if amount is not None:
            factories.income(household, which, amount)
    for kind, amount in spec["events"]:
        HouseholdEvent.objects.create(household=household, kind=kind, year=year, amount=amount)


def engine_results(year, standards):
    cols = engine.load_columns(None, year)
    res = engine.assess(cols, standards)
    return {
        int(hid): (
            r.OUTCOMES[res.outcome[i]],
            int(res.tests[i]),
            json.loads(res.reasons[i]),
            {code: bool(values[i]) for code, values in res.deprivations.items()},
            int(res.persons[i]),
        )
        for i, hid in enumerate(cols.ids)
    }


def reference_results(year, standards):
    return {
        hid: (x.outcome, x.tests, x.reasons, x.deprivations, x.persons)
        for hid, x in reference.assess_area(None, year, standards).items()
    }


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(households=st.lists(HOUSEHOLD, min_size=1, max_size=6), year=st.sampled_from([2019, 2021]))
def test_set_based_engine_equals_the_per_household_reference(world, households, year):
    with transaction.atomic():
        for spec in households:
            build(world, spec, year)
        standards = load_standards(year, {"45"})
        expected = reference_results(year, standards)
        assert engine_results(year, standards) == expected
        transaction.set_rollback(True)
