"""A household's change history as its page shows it: its own versions and its members'
and incomes', newest first, each with what it changed (core.history)."""

from fupin.core.history import with_changes
from fupin.registry.models import Household, Member, YearlyIncome

SHOWN = 30  # the latest changes on the page; the full history is on the audit page


def household_history(household: Household, *, user, limit: int = SHOWN) -> list[dict]:
    """Read by primary key (the history tables' index): the household, then its members and
    incomes by their ids — a household has a few of each, so every version is read."""
    members = list(household.members.values_list("pk", flat=True))
    incomes = list(household.incomes.values_list("pk", flat=True))
    records = [
        *Household.history.filter(id=household.pk).select_related("history_user"),
        *Member.history.filter(id__in=members).select_related("history_user"),
        *YearlyIncome.history.filter(id__in=incomes).select_related("history_user"),
    ]
    rows = with_changes(records, user=user, limit=limit)
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
