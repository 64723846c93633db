"""Reads of the registry that are more than a filter: the household list's search."""

from django.db.models import F, FilteredRelation, Q

from fupin.areacodes import SUBTREE_END
from fupin.registry.models import Household, Member


def household_list(user, filters: dict):
    """The households this user may see, filtered and sorted as the list page asks.

    Every filter is written so that an index answers it at a million persons: search by ID
    number or name goes through the member indexes, household numbers by a range, the
    income band by joining the year's income row on its (year, per-capita) index.
    """
    households = Household.objects.for_user(user).select_related("village", "group")
    q = (filters.get("q") or "").strip()
    if q:
        upper = q.upper()
        if upper[:17].isdigit() and len(upper) >= 15:
            ids = Member.objects.filter(id_number=upper).values_list("household_id", flat=True)
        else:
            ids = Member.objects.filter(name=q).values_list("household_id", flat=True)
        matches = set(ids)
        if q.isdigit():
            matches |= set(
                Household.objects.for_user(user)
                .filter(household_no__gte=q, household_no__lt=q + SUBTREE_END)
                .values_list("pk", flat=True)[:1000]
            )
        households = households.filter(pk__in=matches)
    if filters.get("village"):
        households = households.filter(village_id=filters["village"])
    for name in ("status", "attribute"):
        if filters.get(name):
            households = households.filter(**{name: filters[name]})
    if filters.get("group"):
        households = households.filter(group_id=filters["group"])
    if filters.get("cause"):
        households = households.filter(poverty_cause=filters["cause"])
    if filters.get("category"):
        households = households.filter(**{filters["category"]: True})
    year = filters.get("income_year")
    if year:
        # A LEFT JOIN on the year's income row (its (household, year) index): households
        # without an income that year stay in the list, sorted last; the band filters on the
        # same joined row.
        households = households.annotate(
            year_income=FilteredRelation("incomes", condition=Q(incomes__year=year)),
            per_capita=F("year_income__per_capita_net_income"),
        )
        if filters.get("income_min") is not None:
            households = households.filter(per_capita__gte=filters["income_min"])
        if filters.get("income_max") is not None:
            households = households.filter(per_capita__lt=filters["income_max"])
    sort = filters.get("sort") or "household_no"
    if "per_capita" in sort and not year:
        sort = "household_no"
    if sort == "per_capita":
        order = F("per_capita").asc(nulls_last=True)
    elif sort == "-per_capita":
        order = F("per_capita").desc(nulls_last=True)
    else:
        order = sort
    return households.order_by(order, "pk")


def latest_income_year(user) -> int | None:
    from fupin.registry.models import YearlyIncome

    return (
        YearlyIncome.objects.for_user(user).order_by("-year").values_list("year", flat=True).first()
    )
