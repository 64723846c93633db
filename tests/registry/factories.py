"""Small registry records for tests, made through the models (valid ID numbers)."""

import datetime
import itertools

from fupin import idnumbers
from fupin.registry.models import Household, Member, YearlyIncome

_numbers = itertools.count(1)


def make_household(village, *, status="not_registered", members=3, income=None, **fields):
    number = next(_numbers)
    values = {"year_registered": 2016} if status in {"registered", "monitored"} else {}
    if status == "exited":
        values = {"year_registered": 2016, "year_exited": 2019}
    values.update(fields)
    household = Household.objects.create(
        household_no=f"{village.code}{number:05d}", village=village, status=status, **values
    )
    relations = ["head", "spouse"] + ["child"] * max(0, members - 2)
    for index, relation in enumerate(relations[:members]):
        born = datetime.date(1970 + 10 * index, 1 + index % 12, 1 + number % 28)
        id_number = idnumbers.make("450122", born, (number * 7 + index) % 1000)
        Member.objects.create(
            household=household,
            relation=relation,
            name=f"成员{number}-{index}",
            id_number=id_number,
            sex=idnumbers.sex_of(id_number),
            birth_date=born,
            medical_insurance=True,
        )
    if income is not None:
        YearlyIncome.objects.create(
            household=household, year=2019, members=members, wage=income * members
        )
    return household
