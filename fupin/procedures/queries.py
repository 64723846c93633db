"""Reads the pages need beyond `selectors.py`: what the next step will check, the
households a village may carry through a step together, the home page's queue summed up,
the rows of a printed notice. Every read is scoped through `for_user`."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F

from fupin.core.scoping import area_q
from fupin.procedures import selectors, services
from fupin.procedures.models import (
    Kind,
    Notice,
    Procedure,
    Status,
    StepDefinition,
    StepRecord,
)
from fupin.registry.choices import Relation
from fupin.registry.models import Member

# The roles that act at some step (the services' own list): others read, never write.
ACTING_ROLES = services.PROCEDURE_ROLES


def starting_roles_by_kind() -> dict[str, set[str]]:
    """Each kind's roles of the first step of its active workflows: one query for every kind
    (the household page asked once a kind)."""
    first: dict[int, tuple[str, list]] = {}
    found = StepDefinition.objects.filter(workflow__active=True).order_by("workflow_id", "-order")
    for workflow, kind, roles in found.values_list("workflow_id", "workflow__kind", "roles"):
        first[workflow] = (kind, roles)  # the last, of the lowest order, stays
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, roles in first.values():
        by_kind[kind].update(roles)
    return by_kind


def starting_roles(kind: str | None = None) -> set[str]:
    """The roles of the first step of the workflows of `kind` (every kind when None)."""
    by_kind = starting_roles_by_kind()
    if kind:
        return by_kind.get(kind, set())
    return {role for roles in by_kind.values() for role in roles}


def startable_kinds(role: str) -> list[tuple[str, str]]:
    by_kind = starting_roles_by_kind()
    return [(value, label) for value, label in Kind.choices if role in by_kind.get(value, ())]


def may_take(definition: StepDefinition | None, role: str) -> bool:
    """The role records this step (a county approver also an exit verification, as the
    written override of a standard not met)."""
    if definition is None:
        return False
    return role in definition.roles or (
        definition.auto_check == "exit_standard" and role == services.rules.COUNTY_APPROVER
    )


def step_findings(procedure: Procedure, definition: StepDefinition) -> dict:
    """What the step's automatic check finds now (the service finds the same under its
    lock when the step is recorded): exclusion-list hits, the latest assessment's outcome."""
    steps, _definitions = services.step_specs(procedure.workflow)
    spec = next((s for s in steps if s.code == definition.code), None)
    if spec is None or not spec.check:
        return {}
    # The service's own fact finding, so that the page shows what the rule will read.
    found = selectors.step_facts(spec, [procedure], procedure.village_id, procedure.year)
    checks = found[procedure.pk].checks
    return {
        "check": spec.check,
        **checks,
        "outcome_label": outcome_label(checks.get("outcome")),
        "exclusions": hits_shown(checks.get("exclusions")),
        "run_id": found[procedure.pk].run_id,
    }


def hits_shown(hits) -> list[dict]:
    """Exclusion-list hits as stored ({member, list code}) with the list's label."""
    from fupin.registry.models import ExclusionEntry

    labels = dict(ExclusionEntry.Kind.choices)
    return [
        {**hit, "label": str(labels.get(hit.get("list"), hit.get("list")))} for hit in hits or []
    ]


def outcome_label(outcome: str | None) -> str:
    from fupin.assessment.models import Outcome

    return str(dict(Outcome.choices).get(outcome, outcome or ""))


def batch_findings(procedures, definition: StepDefinition) -> dict[int, list[dict]]:
    """For a batch at an exclusion cross-check: each procedure's exclusion-list hits."""
    if definition.auto_check != "exclusions" or not procedures:
        return {}
    steps, _definitions = services.step_specs(procedures[0].workflow)
    spec = next(s for s in steps if s.code == definition.code)
    first = procedures[0]
    found = selectors.step_facts(spec, procedures, first.village_id, first.year)
    return {
        pk: hits_shown(f.checks["exclusions"])
        for pk, f in found.items()
        if f.checks.get("exclusions")
    }


def notice_state(notice: Notice | None, today: datetime.date) -> dict | None:
    """A notice's period as the pages show it: its days, last day, days left (today counted)."""
    if notice is None:
        return None
    days = (notice.ends_on - notice.posted_on).days + 1
    left = (notice.ends_on - today).days + 1
    return {
        "notice": notice,
        "days": days,
        "left": max(left, 0),
        "running": left > 0,
        "next_from": notice.ends_on + datetime.timedelta(days=1),
    }


def batch_candidates(user, *, village_code: str, kind: str, year: int, step_code: str):
    """The open procedures of the village, kind and year whose next step is `step_code` in
    the workflow the village's procedures run under: the households a village may carry
    through that step together. Returns (definition or None, queryset)."""
    workflow = services.workflow_for(kind, village_code)
    definition = StepDefinition.objects.filter(workflow=workflow, code=step_code).first()
    if definition is None:
        return None, Procedure.objects.none()
    previous = (
        StepDefinition.objects.filter(workflow=workflow, order__lt=definition.order)
        .order_by("-order")
        .values_list("order", flat=True)
        .first()
    ) or 0
    found = (
        Procedure.objects.for_user(user)
        .open()
        .filter(village_id=village_code, kind=kind, year=year, workflow=workflow)
        .filter(step_order=previous)
        .select_related("household", "household__group", "step", "workflow")
        .order_by("household__household_no")
    )
    return definition, found


@dataclass(frozen=True)
class Waiting:
    kind: str
    kind_label: str
    step: StepDefinition
    count: int
    oldest_days: int
    objections: int


def waiting_summary(user, today: datetime.date) -> list[Waiting]:
    """The user's queue by (kind, next step): how many wait and how long the oldest has."""
    rows = selectors.waiting_for(user).values_list(
        "kind", "workflow_id", "step_order", "waiting_since", "started_on", "open_objections"
    )
    groups: dict = defaultdict(lambda: [0, today, 0])
    for kind, workflow, order, since, started, objections in rows:
        group = groups[(kind, workflow, order)]
        group[0] += 1
        group[1] = min(group[1], since or started)
        group[2] += 1 if objections else 0
    if not groups:
        return []
    steps = {}
    for definition in StepDefinition.objects.filter(
        workflow_id__in={w for _k, w, _o in groups}
    ).order_by("workflow_id", "order"):
        steps.setdefault(definition.workflow_id, []).append(definition)
    labels = dict(Kind.choices)
    summary = []
    for (kind, workflow, order), (count, oldest, objections) in groups.items():
        following = next((d for d in steps.get(workflow, []) if d.order > order), None)
        if following is None:
            continue
        summary.append(
            Waiting(kind, str(labels[kind]), following, count, (today - oldest).days, objections)
        )
    return sorted(summary, key=lambda w: (-w.oldest_days, w.kind, w.step.order))


def by_step(user, *, area: str | None, year: int | None, kind: str | None = None) -> list[dict]:
    """The area's procedures by kind and step (the township's and county's page): one row per
    kind with each step's count of open procedures standing at it, and the closed counts."""
    counts = selectors.counts_by_step(user, area=area, year=year, kind=kind)
    workflows = {}
    for definition in StepDefinition.objects.filter(workflow__province="").order_by(
        "workflow__kind", "order"
    ):
        workflows.setdefault(definition.workflow.kind, []).append(definition)
    table = []
    for kind_value, kind_label in Kind.choices:
        if kind and kind != kind_value:
            continue
        mine = [row for row in counts if row["kind"] == kind_value]
        at = defaultdict(int)
        for row in mine:
            if row["status"] == Status.OPEN:
                at[row["step__code"] or ""] += row["n"]
        steps = [{"definition": None, "code": "", "n": at.get("", 0)}]
        steps += [
            {"definition": d, "code": d.code, "n": at.get(d.code, 0)}
            for d in workflows.get(kind_value, [])
            if not d.completes
        ]
        closed = {
            status: sum(r["n"] for r in mine if r["status"] == status)
            for status in (Status.COMPLETED, Status.WITHDRAWN)
        }
        table.append(
            {
                "kind": kind_value,
                "label": kind_label,
                "steps": steps,
                "open": sum(at.values()),
                "completed": closed[Status.COMPLETED],
                "withdrawn": closed[Status.WITHDRAWN],
            }
        )
    return table


@dataclass(frozen=True)
class NoticeRow:
    number: int
    household_no: str
    group: str
    head: str
    size: int
    reason: str


def _heads_and_sizes(household_ids: list[int]) -> tuple[dict, dict]:
    heads, sizes = {}, defaultdict(int)
    for household, name, relation in (
        Member.objects.present()
        .filter(household_id__in=household_ids)
        .values_list("household_id", "name", "relation")
    ):
        sizes[household] += 1
        if relation == Relation.HEAD:
            heads[household] = name
    return heads, sizes


def notice_rows(user, notice: Notice) -> list[NoticeRow]:
    """The households a notice lists, as printed: number, group, head, size, and the reason
    (the cause of poverty for identification and exit, the risk types for monitoring)."""
    households = list(selectors.notice_households(user, notice).select_related("group"))
    ids = [h.pk for h in households]
    heads, sizes = _heads_and_sizes(ids)
    risks = defaultdict(list)
    if notice.kind in (Kind.MONITORING, Kind.RISK_REMOVAL):
        for household, name in (
            Procedure.objects.filter(household_id__in=ids, kind=notice.kind, year=notice.year)
            .exclude(risk_types=None)
            .values_list("household_id", "risk_types__name")
        ):
            risks[household].append(name)
    rows = []
    for number, household in enumerate(households, start=1):
        if risks.get(household.pk):
            reason = "、".join(risks[household.pk])
        else:
            reason = household.get_poverty_cause_display() if household.poverty_cause else ""
        rows.append(
            NoticeRow(
                number=number,
                household_no=household.household_no,
                group=household.group.name if household.group_id else "",
                head=heads.get(household.pk, ""),
                size=sizes.get(household.pk, 0),
                reason=reason,
            )
        )
    return rows


def round_notices(user, *, area_code: str, year: int, kind: str) -> list[Notice]:
    """The notices a round's households stand at now, in the area: for each procedure of
    the round whose last standing step is a notice step, that step's notice (newest first)."""
    records = (
        StepRecord.objects.for_user(user)
        .standing()
        .filter(area_q("village", area_code))
        .filter(procedure__kind=kind, procedure__year=year, notice__isnull=False)
        .exclude(procedure__status=Status.WITHDRAWN)
        .filter(step=F("procedure__step"))
    )
    return list(
        Notice.objects.filter(pk__in=records.values("notice")).order_by("-posted_on", "-id")
    )
