"""Assessment: runs (start one as a background job), results per household and per area —
what the assessment pages show, under the same scoping (fupin/assessment/views.py)."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.db.models.fields.tuple_lookups import TupleGreaterThan
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from fupin.api.access import need
from fupin.api.binding import valid
from fupin.api.errors import ERRORS, ApiError
from fupin.api.jobs import JobOut, job_out
from fupin.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode, encode
from fupin.api.types import AreaCode, Id, Slug
from fupin.assessment import reasons, rules
from fupin.assessment.models import AreaResult, AssessmentRun, HouseholdOutcome
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import area_q, get_scoped_or_404

router = Router(tags=["assessment"])


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _int_key(cursor: str | None) -> int | None:
    if not cursor:
        return None
    key = decode(cursor)
    if not key.isdigit():
        raise ApiError(400, "bad_cursor", _("The cursor is not valid."))
    return int(key)


def _newest_first(queryset, cursor: str | None, limit: int):
    """A keyset page by id, newest first: the rows before the cursor's id."""
    before = _int_key(cursor)
    if before is not None:
        queryset = queryset.filter(pk__lt=before)
    rows = list(queryset.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode(str(rows[-1].pk)) if more else None)


# --- runs --------------------------------------------------------------------------------------


class RunOut(Schema):
    id: int
    area: str | None
    year: int
    created_at: datetime.datetime
    started_by: str | None
    job: str | None
    standards_version: str
    inputs_hash: str
    households: int
    persons: int
    seconds: float
    summary: dict[str, Any]


class RunPage(Schema):
    items: list[RunOut]
    next_cursor: str | None


class RunFilters(Schema):
    area: AreaCode | None = None
    year: int | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _run(run) -> dict:
    return {
        "id": run.pk,
        "area": run.area_id,
        "year": run.year,
        "created_at": run.created_at,
        "started_by": run.started_by.username if run.started_by_id else None,
        "job": str(run.job_id) if run.job_id else None,
        "standards_version": run.standards_version,
        "inputs_hash": run.inputs_hash,
        "households": run.households,
        "persons": run.persons,
        "seconds": run.seconds,
        "summary": run.summary,
    }


@router.get("/assessment/runs/", response={200: RunPage, **ERRORS})
def run_list(request, filters: Query[RunFilters]):
    """The runs of the user's areas, newest first, as the assessment home page lists them
    (a run of a wider area is read through its results for the user's areas)."""
    need(request, Capability.VIEW)
    runs = AssessmentRun.objects.for_user(request.user).select_related("started_by")
    runs = runs.defer("standards")
    if filters.area:
        runs = runs.filter(area_id=filters.area)
    if filters.year:
        runs = runs.filter(year=filters.year)
    rows, cursor = _newest_first(runs, filters.cursor, _limit(filters.limit))
    return {"items": [_run(run) for run in rows], "next_cursor": cursor}


@router.get("/assessment/runs/{int:pk}/", response={200: RunOut, **ERRORS})
def run_detail(request, pk: Id):
    need(request, Capability.VIEW)
    return _run(
        get_scoped_or_404(AssessmentRun.objects.select_related("started_by"), request.user, pk=pk)
    )


class RunStart(Schema):
    year: int


@router.post("/assessment/areas/{code}/runs/", response={202: JobOut, **ERRORS})
def run_start(request, code: str, body: RunStart):
    """Assess every household of the area for `year` in the background, as the page's
    button does: answers the job at once (202); poll /api/v1/jobs/{id}/ for its progress,
    whose result names the run."""
    from fupin.assessment.tasks import run_assessment
    from fupin.assessment.views import YearForm
    from fupin.core.jobs import job_start

    need(request, Capability.RUN_TASKS)
    area = get_scoped_or_404(Area, request.user, code=code)
    data = valid(YearForm({"year": body.year}))
    job = job_start(task_obj=run_assessment, owner=request.user, area=area, year=data["year"])
    return Status(202, job_out(job))


# --- results per area ---------------------------------------------------------------------------


class AreaResultOut(Schema):
    run: Id
    area: str
    area_name: str
    year: int
    created_at: datetime.datetime
    # The figures the area page shows: households, persons, incidence, FGT, Gini, outcomes,
    # exit, inspection rates, the multidimensional indices (docs/assessment.md).
    figures: dict[str, Any]


class AreaResultPage(Schema):
    items: list[AreaResultOut]
    next_cursor: str | None


class AreaResultFilters(Schema):
    area: AreaCode | None = None
    parent: AreaCode | None = None
    run: Id | None = None
    year: int | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _area_result(result) -> dict:
    return {
        "run": result.run_id,
        "area": result.area_id,
        "area_name": result.area.name,
        "year": result.run.year,
        "created_at": result.run.created_at,
        "figures": result.figures,
    }


@router.get("/assessment/area-results/", response={200: AreaResultPage, **ERRORS})
def area_result_list(request, filters: Query[AreaResultFilters]):
    """The runs' figures per area of the user's subtree, newest first: `area` for one
    area's results over the runs, `parent` and `run` for the areas below one (as the area
    page's table)."""
    need(request, Capability.VIEW)
    results = AreaResult.objects.for_user(request.user).select_related("run", "area")
    results = results.defer("run__standards", "run__summary")
    if filters.area:
        results = results.filter(area_id=filters.area)
    if filters.parent:
        results = results.filter(area__parent_id=filters.parent)
    if filters.run:
        results = results.filter(run_id=filters.run)
    if filters.year:
        results = results.filter(run__year=filters.year)
    rows, cursor = _newest_first(results, filters.cursor, _limit(filters.limit))
    return {"items": [_area_result(r) for r in rows], "next_cursor": cursor}


# --- results per household ----------------------------------------------------------------------


class OutcomeOut(Schema):
    run: Id
    household: Id
    household_no: str
    village: str
    outcome: str
    tests: int
    per_capita_income: Decimal | None
    persons: int
    reasons: list[Any]
    # The reasons in the request's language, as the pages word them.
    reasons_text: list[str]


class OutcomePage(Schema):
    items: list[OutcomeOut]
    next_cursor: str | None


class OutcomeFilters(Schema):
    run: Id
    area: AreaCode | None = None
    outcome: Slug | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _outcome(row) -> dict:
    return {
        "run": row.run_id,
        "household": row.household_id,
        "household_no": row.household.household_no,
        "village": row.village_id,
        "outcome": row.outcome,
        "tests": row.tests,
        "per_capita_income": None if row.income_fen is None else rules.fen_to_yuan(row.income_fen),
        "persons": row.persons,
        "reasons": row.reasons,
        "reasons_text": reasons.explain_all(row.reasons),
    }


def _outcome_cursor(cursor: str | None):
    if not cursor:
        return None
    village, _sep, household = decode(cursor).partition(":")
    if not village.isdigit() or not household.isdigit():
        raise ApiError(400, "bad_cursor", _("The cursor is not valid."))
    return village, int(household)


@router.get("/assessment/results/", response={200: OutcomePage, **ERRORS})
def outcome_list(request, filters: Query[OutcomeFilters]):
    """Each household's outcome in a run (`run`), by village and household, a page at a time;
    `area` narrows to a subtree, `outcome` to one outcome. The run is one whose results
    reach the user's areas; only the user's households are listed."""
    need(request, Capability.VIEW_REGISTRY)
    user = request.user
    if not AreaResult.objects.for_user(user).filter(run_id=filters.run).exists():
        raise Http404
    rows = HouseholdOutcome.objects.for_user(user).filter(run_id=filters.run)
    if filters.area:
        rows = rows.filter(area_q("village", get_scoped_or_404(Area, user, code=filters.area).code))
    if filters.outcome:
        rows = rows.filter(outcome=filters.outcome)
    after = _outcome_cursor(filters.cursor)
    if after:
        # A row value after the run's own: one range of the outcomes' key (run, village,
        # household) from the cursor on.
        village, household = after
        key = (F("run_id"), F("village_id"), F("household_id"))
        rows = rows.filter(TupleGreaterThan(key, (filters.run, village, household)))

    limit = _limit(filters.limit)
    page = list(
        rows.select_related("household").order_by("village_id", "household_id")[: limit + 1]
    )
    more = len(page) > limit
    page = page[:limit]
    cursor = encode(f"{page[-1].village_id}:{page[-1].household_id}") if more else None
    return {"items": [_outcome(row) for row in page], "next_cursor": cursor}


@router.get("/assessment/households/{int:pk}/results/", response={200: OutcomePage, **ERRORS})
def household_outcomes(request, pk: Id):
    """A household's outcomes in the latest runs that assessed it, newest first (the
    household's assessment page)."""
    from fupin.assessment import selectors
    from fupin.registry.models import Household

    need(request, Capability.VIEW_REGISTRY)
    household = get_scoped_or_404(Household, request.user, pk=pk)
    found = selectors.outcomes_of(household)
    for row in found:
        row.household = household
    return {"items": [_outcome(row) for row in found], "next_cursor": None}
