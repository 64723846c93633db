"""Training programmes, young members, enrolments and referrals for tests."""

import datetime
import itertools

from fupin import idnumbers
from fupin.fieldwork import trainings
from fupin.registry.models import Member
from tests.fieldwork import factories

_people = itertools.count(1)


def programme(area, starts_on=datetime.date(2019, 3, 1), **fields):
    values = {"provider": "广西第一工业学校", "course": "电力技术", "capacity": None}
    values.update(fields)
    return trainings.programme_create(area=area, starts_on=starts_on, **values)


def young(household, born: datetime.date, schooling="not_applicable", **fields) -> Member:
    """A child of the household born on `born`."""
    n = next(_people)
    id_number = idnumbers.make("450330", born, n % 1000)
    return Member.objects.create(
        household=household,
        relation="child",
        name=f"青年{n}",
        id_number=id_number,
        sex=idnumbers.sex_of(id_number),
        birth_date=born,
        schooling=schooling,
        **fields,
    )


def young_in(village, born=datetime.date(2001, 5, 1), **fields) -> Member:
    return young(factories.household(village), born, **fields)


def referral(member, programme=None, on=datetime.date(2019, 5, 1), by=None):
    if programme is None:
        return trainings.referral_create(
            member=member, kind="school", destination="广西电力职业技术学院", on=on, by=by
        )
    return trainings.referral_create(
        member=member, kind="programme", programme=programme, on=on, by=by
    )
