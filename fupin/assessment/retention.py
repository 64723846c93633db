"""Which assessment runs are kept: every recent run, the latest of each month before that,
and every run something else refers to.

A county that assesses weekly writes one outcome row per household per run (about 250,000
rows a run for a million persons); kept for ever that is 13 million rows a year. Runs are
records, so pruning never changes one: it removes whole runs with their outcomes and area
figures. What may be pruned is decided by the pure function `runs_to_prune`; `prune_runs`
deletes set-based (one DELETE per table, never a row at a time).

Later apps (procedures, reports) register a hook that names the runs they refer to, so the
assessment app does not import them:

    from fupin.assessment.retention import keep_runs
    keep_runs.append(lambda: Procedure.objects.values_list("assessment_run", flat=True))
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

# Each hook returns the ids of runs that must be kept (an iterable or a values_list).
keep_runs: list[Callable[[], Iterable[int]]] = []


@dataclass(frozen=True)
class RunStamp:
    id: int
    area: str | None  # None: a run of every area
    year: int
    created_at: datetime


def runs_to_prune(runs: Iterable[RunStamp], *, now: datetime, keep_days: int, referred) -> set:
    """The ids of the runs that may go. Kept: runs made in the last `keep_days` days (so the
    change since the previous run stays visible), the latest run of each area, assessed year
    and calendar month, and every run in `referred`."""
    cutoff = now - timedelta(days=keep_days)
    latest: dict[tuple, RunStamp] = {}
    old = []
    for run in runs:
        if run.created_at >= cutoff:
            continue
        old.append(run)
        local = timezone.localtime(run.created_at)
        key = (run.area, run.year, local.year, local.month)
        best = latest.get(key)
        if best is None or (run.created_at, run.id) > (best.created_at, best.id):
            latest[key] = run
    kept = {run.id for run in latest.values()} | set(referred)
    return {run.id for run in old if run.id not in kept}


def referred_runs() -> set[int]:
    return {run_id for hook in keep_runs for run_id in hook() if run_id is not None}


@dataclass(frozen=True)
class Pruned:
    runs: int
    outcomes: int
    area_results: int


def prune_runs(*, dry_run: bool = False, now: datetime | None = None) -> Pruned:
    """Remove the runs the retention rule lets go, with their rows; counts what went (or
    would go, with `dry_run`)."""
    from fupin.assessment.models import AreaResult, AssessmentRun, HouseholdOutcome

    # One row per run (a few hundred a year at most), not per outcome: the loop is small.
    stamps = [
        RunStamp(*row)
        for row in AssessmentRun.objects.values_list("id", "area_id", "year", "created_at")
    ]
    ids = runs_to_prune(
        stamps,
        now=now or timezone.now(),
        keep_days=settings.FUPIN_RUN_KEEP_DAYS,
        referred=referred_runs(),
    )
    outcomes = HouseholdOutcome.objects.filter(run_id__in=ids)
    areas = AreaResult.objects.filter(run_id__in=ids)
    if dry_run:
        return Pruned(len(ids), outcomes.count(), areas.count())
    with transaction.atomic():
        # The immutable querysets refuse update(), not delete(); each is one DELETE.
        gone_outcomes = outcomes.delete()[0]
        gone_areas = areas.delete()[0]
        AssessmentRun.objects.filter(id__in=ids).delete()
    return Pruned(len(ids), gone_outcomes, gone_areas)
