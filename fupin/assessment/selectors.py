"""Reads of the assessment app that are more than a filter."""

from django.db.models import F, OuterRef, Q, Subquery

from fupin import areacodes
from fupin.assessment.models import AreaResult, AssessmentRun, HouseholdOutcome
from fupin.core.scoping import area_q


def covering_runs(village_code: str):
    """The runs whose area holds the village (or that covered every area), newest first."""
    codes, code = [], village_code
    while code:
        codes.append(code)
        code = areacodes.parent_code(code)
    return AssessmentRun.objects.filter(Q(area__isnull=True) | Q(area_id__in=codes)).order_by(
        "-created_at", "-id"
    )


def outcomes_of(household, limit: int = 10) -> list[HouseholdOutcome]:
    """The household's outcomes in the latest runs that assessed it, newest first."""
    runs = list(covering_runs(household.village_id).values_list("pk", flat=True)[:100])
    return list(
        HouseholdOutcome.objects.filter(
            run_id__in=runs, village_id=household.village_id, household=household
        )
        .select_related("run")
        .order_by("-run__created_at", "-run_id")[:limit]
    )


def latest_outcome_for(household) -> HouseholdOutcome | None:
    """The household's outcome in the latest run that assessed it, with the run.

    For the registry's household page: ``{% include "assessment/_household_outcome.html" %}``
    with ``outcome`` in the context.
    """
    found = outcomes_of(household, limit=1)
    return found[0] if found else None


def area_results(user, code: str, limit: int = 2) -> list[AreaResult]:
    """The latest results for an area the user may see, newest first, with their runs."""
    return list(
        AreaResult.objects.for_user(user)
        .filter(area_id=code)
        .select_related("run")
        .order_by("-run__created_at", "-run_id")[:limit]
    )


def outcomes_in(user, run: AssessmentRun, code: str):
    """The run's household outcomes in the area, as the user may see them."""
    return (
        HouseholdOutcome.objects.for_user(user)
        .filter(run=run)
        .filter(area_q("village", code))
        .select_related("household", "village")
    )


def changes_between(user, current: AssessmentRun, previous: AssessmentRun, code: str):
    """Households of the area whose outcome or reasons differ between two runs (or that
    appear only in the current one), with the previous outcome and reasons alongside."""
    before = HouseholdOutcome.objects.filter(
        run=previous, village=OuterRef("village"), household=OuterRef("household")
    )
    return (
        outcomes_in(user, current, code)
        .annotate(
            previous_outcome=Subquery(before.values("outcome")[:1]),
            previous_tests=Subquery(before.values("tests")[:1]),
            previous_reasons=Subquery(before.values("reasons")[:1]),
        )
        .filter(
            Q(previous_outcome__isnull=True)
            | ~Q(previous_outcome=F("outcome"))
            | ~Q(previous_tests=F("tests"))
        )
        .order_by("household__household_no")
    )
