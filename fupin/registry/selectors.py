"""Reads of the registry that are more than a filter: the household list's search."""

from django.db.models import F, OuterRef, Q, Subquery

from fupin.registry.models import Household, Member, YearlyIncome


def household_list(user, filters: dict):
    """The households this user may see, filtered and sorted as the list page asks."""
    households = Household.objects.for_user(user).select_related("village", "group")
    q = (filters.get("q") or "").strip()
    if q:
        upper = q.upper()
        if upper[:17].isdigit() and len(upper) >= 15:
            member_match = Member.objects.filter(id_number=upper)
        else:
            member_match = Member.objects.filter(name=q)
        households = households.filter(
            Q(household_no__startswith=q) | Q(pk__in=member_match.values("household_id"))
        )
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
        income = YearlyIncome.objects.filter(household=OuterRef("pk"), year=year)
        households = households.annotate(
            per_capita=Subquery(income.values("per_capita_net_income")[:1])
        )
        if filters.get("income_min") is not None:
            households = households.filter(per_capita__gte=filters["income_min"])
        if filters.get("income_max") is not None:
            households = households.filter(per_capita__lt=filters["income_max"])
    sort = filters.get("sort") or "household_no"
    if "per_capita" in sort:
        if not year:
            return households.order_by("household_no", "pk")
        # Households without that year's income last, on PostgreSQL too (NULLS FIRST in a
        # descending sort there, last on SQLite).
        income = F("per_capita")
        order = income.desc(nulls_last=True) if sort[0] == "-" else income.asc(nulls_last=True)
        return households.order_by(order, "pk")
    return households.order_by(sort, "pk")


def latest_income_year(user) -> int | None:
    return (
        YearlyIncome.objects.for_user(user).order_by("-year").values_list("year", flat=True).first()
    )
