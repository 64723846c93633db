"""Registry rows for the assessment tests, made with the ORM (the registry's services are not
there yet); each helper takes only what a test cares about."""

import itertools
from datetime import date
from decimal import Decimal

from fupin.registry import choices as c
from fupin.registry.models import Household, Member, YearlyIncome

_numbers = itertools.count(1)


def household(village, *, status=c.Status.REGISTERED, year_registered=2015, **fields):
    number = next(_numbers)
    defaults = {
        "housing_grade": "A",
        "water_quality": "safe",
        "water_quantity": "safe",
        "water_convenience": "safe",
        "water_reliability": "safe",
    }
    if status == c.Status.EXITED:
        fields.setdefault("year_exited", max(year_registered or 2016, 2016))
    if status == c.Status.NOT_REGISTERED:
        year_registered = None
    return Household.objects.create(
        household_no=f"H{number:08d}",
        village=village,
        status=status,
        year_registered=year_registered,
        **(defaults | fields),
    )


def member(household, *, name=None, birth_date=date(1980, 5, 1), relation=None, **fields):
    number = next(_numbers)
    if relation is None:
        relation = (
            c.Relation.CHILD if household.members.filter(relation="head").exists() else "head"
        )
    defaults = {
        "sex": c.Sex.MALE,
        "medical_insurance": True,
        "serious_illness_insurance": True,
    }
    return Member.objects.create(
        household=household,
        name=name or f"成员{number}",
        id_number=f"{number:018d}",
        birth_date=birth_date,
        relation=relation,
        **(defaults | fields),
    )


def income(household, year, per_capita, members=1, **parts):
    """A yearly income whose per-capita net income is `per_capita` yuan."""
    wage = Decimal(str(per_capita)) * members
    return YearlyIncome.objects.create(
        household=household, year=year, members=members, wage=wage, **parts
    )
