"""Reads of the procedures that are more than a filter: listings, queues, counts by step,
a notice's households, the households the assessment proposes, the facts a step's automatic
check reads. Every read of the pages is scoped; the facts are read for procedures already
in hand (the services read them under their row lock, the pages to show what the check
will find)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q

from fupin.assessment.models import HouseholdOutcome
from fupin.assessment.selectors import covering_runs
from fupin.core.scoping import area_q
from fupin.procedures import rules
from fupin.procedures.models import (
    Notice,
    Objection,
    Procedure,
    Status,
    StepDefinition,
    StepRecord,
)
from fupin.registry.models import ExclusionEntry, Household, Member


def procedure_list(
    user,
    *,
    kind: str | None = None,
    step: str | None = None,
    area: str | None = None,
    year: int | None = None,
    status: str | None = None,
):
    """The procedures the user may see, filtered; `step` is a step code (the last step
    recorded), `area` any area code of the user's subtree."""
    found = Procedure.objects.for_user(user)
    if area:
        found = found.filter(area_q("village", area))
    if year:
        found = found.filter(year=year)
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    if step:
        found = found.filter(step__code=step)
    return found.select_related("household", "village", "step", "workflow")


def procedure_detail(user, pk: int) -> Procedure:
    """One procedure with its records (reversed ones too, in order) and objections; raises
    Procedure.DoesNotExist outside the user's area."""
    records = StepRecord.objects.select_related(
        "step", "actor", "reversed_by", "notice", "batch", "assessment_run"
    ).prefetch_related("attachments")
    return (
        Procedure.objects.for_user(user)
        .select_related("household", "village", "step", "workflow", "started_by")
        .prefetch_related(
            Prefetch("records", queryset=records.order_by("step__order", "recorded_at")),
            Prefetch("objections", queryset=Objection.objects.order_by("raised_on", "id")),
            "risk_types",
        )
        .get(pk=pk)
    )


def next_step_of(procedure: Procedure) -> StepDefinition | None:
    """The step that comes next (None when the last is done)."""
    return (
        StepDefinition.objects.filter(
            workflow=procedure.workflow_id, order__gt=procedure.step_order
        )
        .order_by("order")
        .first()
    )


def _waiting_q(role: str) -> Q:
    """Open procedures whose next step is acted on by `role`: from the step definitions (a
    few dozen rows), the (workflow, steps done) pairs that lead to such a step."""
    q = Q(pk__in=[])
    by_workflow: dict[int, list[tuple[int, list]]] = {}
    for workflow, order, roles in StepDefinition.objects.values_list(
        "workflow_id", "order", "roles"
    ).order_by("workflow_id", "order"):
        by_workflow.setdefault(workflow, []).append((order, roles))
    for workflow, steps in by_workflow.items():
        previous = 0
        for order, roles in steps:
            if role in roles:
                q |= Q(workflow_id=workflow, step_order=previous)
            previous = order
    return q


def waiting_for(user):
    """The open procedures whose next step the user's role takes, in the user's area, with
    the date of their last step (their age in the queue)."""
    return (
        Procedure.objects.for_user(user)
        .open()
        .filter(_waiting_q(user.role))
        .annotate(
            waiting_since=Max("records__date", filter=Q(records__reversed_at__isnull=True)),
            open_objections=Count("objections", filter=Q(objections__resolved_at__isnull=True)),
        )
        .select_related("household", "village", "step", "workflow")
        .order_by("waiting_since", "id")
    )


def counts_by_step(user, *, area: str | None = None, year: int | None = None, kind=None):
    """How many procedures stand at each step: [{kind, status, step_order, step__code,
    n}], one grouped query."""
    found = Procedure.objects.for_user(user)
    if area:
        found = found.filter(area_q("village", area))
    if year:
        found = found.filter(year=year)
    if kind:
        found = found.filter(kind=kind)
    # Grouped on the procedure table alone (its listing index); the few step codes after.
    rows = list(
        found.order_by()
        .values("kind", "status", "step_order", "step_id")
        .annotate(n=Count("id"))
        .order_by("kind", "step_order", "status")
    )
    codes = dict(StepDefinition.objects.values_list("pk", "code"))
    for row in rows:
        row["step__code"] = codes.get(row.pop("step_id"))
    return rows


def notice_households(user, notice: Notice):
    """The households a notice lists: those whose standing record of its step names it."""
    return (
        Household.objects.for_user(user)
        .filter(procedures__records__notice=notice, procedures__records__reversed_at__isnull=True)
        .distinct()
        .order_by("household_no")
    )


def current_notice(procedure: Procedure) -> Notice | None:
    return (
        Notice.objects.filter(records__procedure=procedure, records__reversed_at__isnull=True)
        .order_by("-posted_on", "-id")
        .first()
    )


def monitoring_candidates(user, village_code: str, year: int):
    """Households of the village that the latest assessment of `year` flags (exited or
    never registered) and that have no open monitoring procedure: the automatic proposals."""
    runs = list(covering_runs(village_code).filter(year=year).values_list("pk", flat=True)[:1])
    if not runs:
        return Household.objects.none()
    flagged = HouseholdOutcome.objects.filter(
        run_id=runs[0],
        village_id=village_code,
        household=OuterRef("pk"),
        outcome=rules.assessment.FLAGGED,
    )
    open_monitoring = Procedure.objects.filter(
        household=OuterRef("pk"), kind="monitoring", status=Status.OPEN
    )
    return (
        Household.objects.for_user(user)
        .filter(village_id=village_code, status__in=rules.STARTS_FROM["monitoring"])
        .filter(Exists(flagged))
        .exclude(Exists(open_monitoring))
        .order_by("household_no")
    )


# --- the automatic checks' facts, set-based --------------------------------------------------


@dataclass
class StepFacts:
    """What a step's automatic check read for one procedure: the rules' facts, the
    assessment run they came from, and the findings kept on the step's record."""

    facts: rules.Facts = field(default_factory=rules.Facts)
    run_id: int | None = None
    checks: dict = field(default_factory=dict)


def exclusion_hits(household_ids: list[int]) -> dict[int, list[dict]]:
    """Present members on an exclusion list, by household: the list and the member's name
    (never the ID number, which the record does not need)."""
    members = Member.objects.present().filter(household_id__in=household_ids)
    listed = ExclusionEntry.objects.filter(id_number__in=members.values("id_number"))
    kinds = defaultdict(list)
    for number, kind in listed.values_list("id_number", "kind"):
        kinds[number].append(kind)
    hits = defaultdict(list)
    if not kinds:
        return hits
    for household, name, number in members.filter(id_number__in=list(kinds)).values_list(
        "household_id", "name", "id_number"
    ):
        for kind in kinds[number]:
            hits[household].append({"member": name, "list": kind})
    return hits


def latest_outcomes(village_code: str, year: int, household_ids: list[int], *, exact=True):
    """Each household's outcome in the latest run of `year` (with `exact=False`: of `year` or
    before) that assessed it: {household: (run id, outcome, tests)}, in two queries."""
    runs = covering_runs(village_code)
    runs = runs.filter(year=year) if exact else runs.filter(year__lte=year)
    runs = list(runs.values_list("pk", flat=True)[:50])
    if not runs:
        return {}
    rank = {run: index for index, run in enumerate(runs)}  # newest first
    best = {}
    rows = HouseholdOutcome.objects.filter(
        run_id__in=runs, village_id=village_code, household_id__in=household_ids
    ).values_list("household_id", "run_id", "outcome", "tests")
    for household, run, outcome, tests in rows:
        if household not in best or rank[run] < rank[best[household][0]]:
            best[household] = (run, outcome, tests)
    return best


def working_capacity(household_ids: list[int]) -> dict[int, bool]:
    labour = defaultdict(list)
    rows = Member.objects.present().filter(household_id__in=household_ids)
    for household, value in rows.values_list("household_id", "labour"):
        labour[household].append(value)
    return {h: rules.has_working_capacity(labour[h]) for h in household_ids}


def step_facts(step: rules.Step, procedures: Sequence[Procedure], village_code: str, year: int):
    """The facts the step's check needs, for each procedure: {procedure id: StepFacts}."""
    households = [p.household_id for p in procedures]
    found = {p.pk: StepFacts() for p in procedures}
    if step.check == "exclusions":
        hits = exclusion_hits(households)
        for p in procedures:
            mine = hits.get(p.household_id, [])
            facts = rules.Facts(exclusion_hits=len(mine))
            found[p.pk] = StepFacts(facts, None, {"exclusions": mine})
    elif step.check in ("exit_standard", "risk_removal"):
        # Exit is verified on the year's own assessment; a risk removal on the latest one
        # (monitoring runs all year, and the guarantees are what the latest run found).
        outcomes = latest_outcomes(
            village_code, year, households, exact=step.check == "exit_standard"
        )
        working = working_capacity(households) if step.check == "risk_removal" else {}
        for p in procedures:
            run, outcome, tests = outcomes.get(p.household_id, (None, None, 0))
            facts = rules.Facts(
                outcome=outcome, tests=tests, working_capacity=working.get(p.household_id, True)
            )
            checks = {"outcome": outcome, "tests": tests}
            if step.check == "risk_removal":
                checks["working_capacity"] = facts.working_capacity
            found[p.pk] = StepFacts(facts, run, checks)
    return found
