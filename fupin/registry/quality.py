"""Data-quality checks over the stored registry, set-based: one query per check.

What the database already forbids (two heads, one ID number in two households, negative
income parts) cannot be stored and is refused at import; these checks find what can be stored
but is probably wrong, and registered households that an exclusion list names.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from fupin.registry import choices as c
from fupin.registry.models import ExclusionEntry, Household, Member, YearlyIncome

MAX_AGE = 110
MAX_PER_CAPITA = 100_000  # yuan a year: far above any rural household in the registry


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    households: object  # (user, today) -> Household queryset


def _years_before(today: datetime.date, years: int) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def same_name_birth_date(user, today):
    members = Member.objects.for_user(user).present()
    duplicates = (
        members.values("household__village", "name", "birth_date")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    keys = Q(pk__in=[])
    for row in duplicates[:1000]:
        keys |= Q(
            household__village=row["household__village"],
            name=row["name"],
            birth_date=row["birth_date"],
        )
    return Household.objects.for_user(user).filter(
        pk__in=members.filter(keys).values("household_id")
    )


def implausible_age(user, today):
    members = (
        Member.objects.for_user(user)
        .present()
        .filter(
            Q(birth_date__lt=_years_before(today, MAX_AGE))
            | Q(relation=c.Relation.HEAD, birth_date__gt=_years_before(today, 16))
        )
    )
    return Household.objects.for_user(user).filter(pk__in=members.values("household_id"))


def schooling_for_age(user, today):
    in_basic_school = [c.Schooling.PRESCHOOL, c.Schooling.PRIMARY, c.Schooling.JUNIOR]
    members = (
        Member.objects.for_user(user)
        .present()
        .filter(
            Q(schooling__in=in_basic_school, birth_date__lt=_years_before(today, 20))
            | Q(schooling=c.Schooling.COLLEGE, birth_date__gt=_years_before(today, 14))
        )
    )
    return Household.objects.for_user(user).filter(pk__in=members.values("household_id"))


def implausible_income(user, today):
    incomes = YearlyIncome.objects.for_user(user).filter(
        Q(per_capita_net_income__gt=MAX_PER_CAPITA) | Q(net_income__lte=0)
    )
    return Household.objects.for_user(user).filter(pk__in=incomes.values("household_id"))


def no_head(user, today):
    # A head who has died or moved out leaves the household headless: the import requires a
    # present head, so without this check the village's own export would not import again.
    heads = Member.objects.present().filter(household=OuterRef("pk"), relation=c.Relation.HEAD)
    return (
        Household.objects.for_user(user).exclude(status=c.Status.CANCELLED).filter(~Exists(heads))
    )


def exclusion_match(user, today):
    listed = ExclusionEntry.objects.filter(id_number=OuterRef("id_number"))
    members = Member.objects.for_user(user).present().filter(Exists(listed))
    return Household.objects.for_user(user).filter(
        status__in=[c.Status.REGISTERED, c.Status.MONITORED],
        pk__in=members.values("household_id"),
    )


CHECKS = [
    Check(
        "same_name_birth_date", _("Same name and birth date in one village"), same_name_birth_date
    ),
    Check("implausible_age", _("Implausible age"), implausible_age),
    Check("schooling_for_age", _("Schooling implausible for the age"), schooling_for_age),
    Check("implausible_income", _("Implausible per-capita income"), implausible_income),
    Check("no_head", _("No head, or the head has died or moved out"), no_head),
    Check("exclusion_match", _("Registered household on an exclusion list"), exclusion_match),
]
BY_KEY = {check.key: check for check in CHECKS}


def quality_by_village(user, today: datetime.date):
    """{village code: {check key: number of households}} and the totals per check."""
    table: dict[str, dict[str, int]] = {}
    for check in CHECKS:
        rows = check.households(user, today).values("village").annotate(n=Count("id"))
        for row in rows:
            table.setdefault(row["village"], {})[check.key] = row["n"]
    totals = {check.key: sum(v.get(check.key, 0) for v in table.values()) for check in CHECKS}
    return table, totals
