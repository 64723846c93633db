"""A household's change history as its page shows it: its own versions and its members'
and incomes', newest first, each with what it changed (core.history)."""

from fupin.core.history import with_changes
from fupin.registry.models import Household, Member, YearlyIncome

SHOWN = 30  # the latest changes on the page; the full history is on the audit page


def household_history(household: Household, *, user, limit: int = SHOWN) -> list[dict]:
    """Read by index: the household's versions, its incomes' by their ids, and the versions
    of everybody who has been a member, found by the member history's household. A member
    who moved shows in both households: here while they belonged here, and their move."""
    pk = household.pk
    # The ids as subqueries, not lists read first: three queries, not six.
    members = (
        Member.objects.filter(household_id=pk)
        .order_by()
        .values("pk")
        .union(Member.history.filter(household_id=pk).order_by().values("id"))
    )
    incomes = YearlyIncome.objects.filter(household_id=pk).values("pk")
    records = [
        *Household.history.filter(id=pk).select_related("history_user"),
        *Member.history.filter(id__in=members).select_related("history_user"),
        *YearlyIncome.history.filter(id__in=incomes).select_related("history_user"),
    ]

    def here(record, previous) -> bool:
        if record.instance_type is not Member:
            return True
        return record.household_id == pk or (previous is not None and previous.household_id == pk)

    rows = with_changes(records, user=user, limit=limit, keep=here)
    for row in rows:
        row["subject"] = _subject(row["record"])
    return rows


def _subject(record) -> str:
    model = record.instance_type
    if model is Member:
        return f"{Member._meta.verbose_name} {record.name}"
    if model is YearlyIncome:
        return f"{YearlyIncome._meta.verbose_name} {record.year}"
    return str(Household._meta.verbose_name)
