"""Writes of the procedures: start one, record a step (one household or a village's batch),
reverse a step, raise and resolve objections, post a notice, withdraw.

Each write locks the procedure rows it changes (`select_for_update`), reads their state
under the lock, asks the pure rules (`rules.check_step`) and writes only when they refuse
nothing — all in one transaction. Two reviewers recording the same step at the same moment
queue on the lock: the second reads the first's record and is refused `already_recorded`
("already recorded by …"); the database's one-standing-record-per-step constraint is the
backstop (an IntegrityError there is turned into the same refusal).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from fupin import areacodes
from fupin.procedures import rules, selectors
from fupin.procedures.errors import FORBIDDEN, NOT_FOUND, message
from fupin.procedures.models import (
    Attachment,
    Batch,
    Kind,
    Notice,
    Objection,
    Procedure,
    RiskType,
    Status,
    StepDefinition,
    StepRecord,
    Workflow,
)
from fupin.registry.models import Household
from fupin.registry.staging import copy_history, q

# Roles that record objections and follow procedures (those that act at some step).
PROCEDURE_ROLES = ("village_clerk", "resident_team", "township_reviewer", "county_approver")


class StepRefused(Exception):
    """The rules refuse: `code` is the first refusal's machine code, `refusals` all of them
    (for a batch, `by_procedure` says whose)."""

    def __init__(self, refusals: Sequence[rules.Refusal], by_procedure=None, names=None):
        self.refusals = list(refusals)
        self.by_procedure = by_procedure or {}
        self.names = names or {}
        first = self.refusals[0]
        self.code, self.params = first.code, first.params
        super().__init__(self.message)

    @property
    def status(self) -> int:
        if self.code in NOT_FOUND:
            return 404
        if self.code in FORBIDDEN:
            return 403
        return 409

    def _shown(self, refusal: rules.Refusal) -> str:
        params = dict(refusal.params)
        for key in ("step", "expected"):
            if key in params:
                params[key] = self.names.get(params[key], params[key])
        return message(refusal.code, params)

    @property
    def message(self) -> str:
        return self._shown(self.refusals[0])

    @property
    def messages(self) -> list[str]:
        return [self._shown(refusal) for refusal in self.refusals]


def _refuse(code: str, **params):
    raise StepRefused([rules.Refusal(code, params)])


# --- the workflow as the rules see it ------------------------------------------------------


def workflow_for(kind: str, village_code: str) -> Workflow:
    """The workflow of the village's province, or the one for every province."""
    province = village_code[:2]
    found = (
        Workflow.objects.filter(kind=kind, province__in=["", province], active=True)
        .order_by("-province")
        .first()
    )
    if found is None:
        raise ValidationError(f"no workflow for {kind} in province {province}")
    return found


def step_specs(workflow: Workflow) -> tuple[list[rules.Step], dict[str, StepDefinition]]:
    definitions = list(StepDefinition.objects.filter(workflow=workflow).order_by("order"))
    specs = [
        rules.Step(
            code=d.code,
            order=d.order,
            roles=tuple(d.roles),
            is_notice=d.is_notice,
            notice_days=d.notice_days,
            vote=d.vote,
            attendance=(d.attendance_numerator, d.attendance_denominator),
            majority=d.majority,
            check=d.auto_check,
            needs_document=d.needs_document,
            completes=d.completes,
        )
        for d in definitions
    ]
    return specs, {d.code: d for d in definitions}


def _names(definitions: dict[str, StepDefinition]) -> dict[str, str]:
    return {code: str(d) for code, d in definitions.items()}


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


@dataclass
class _Standing:
    done: int = 0
    last_code: str = ""
    last_date: datetime.date | None = None
    last_by: str = ""
    notice_ends_on: datetime.date | None = None
    last_record_id: int | None = None


def _standing(procedure_ids: Iterable[int]) -> dict[int, _Standing]:
    """Each procedure's standing records summed up, in one query."""
    found: dict[int, _Standing] = defaultdict(_Standing)
    rows = (
        StepRecord.objects.standing()
        .filter(procedure_id__in=list(procedure_ids))
        .values_list(
            "procedure_id",
            "id",
            "step__order",
            "step__code",
            "date",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
            "notice__ends_on",
        )
    )
    for pk, record, order, code, day, first, last, username, ends in rows:
        state = found[pk]
        if order > state.done:
            state.done, state.last_code, state.last_date = order, code, day
            state.last_by = f"{last}{first}".strip() or (username or "")
            state.last_record_id = record
        if ends and (state.notice_ends_on is None or ends > state.notice_ends_on):
            state.notice_ends_on = ends
    return found


def _open_objections(procedure_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Objection.objects.unresolved()
        .filter(procedure_id__in=list(procedure_ids))
        .values("procedure_id")
        .annotate(n=Count("id"))
        .values_list("procedure_id", "n")
    )
    return dict(rows)


def _state(procedure: Procedure, standing: _Standing, objections: int) -> rules.State:
    return rules.State(
        kind=procedure.kind,
        year=procedure.year,
        status=procedure.status,
        done=standing.done,
        last_code=standing.last_code,
        last_date=standing.last_date,
        last_by=standing.last_by,
        notice_ends_on=standing.notice_ends_on,
        open_objections=objections,
        stable_months_needed=procedure.workflow.stable_months,
    )


# --- notices -------------------------------------------------------------------------------


def _area_at_level(village_code: str, level: int) -> str:
    """The code of the village's ancestor at `level` (the village itself at village level)."""
    code = village_code
    while areacodes.level_of(code) > level:
        code = areacodes.parent_code(code)
    return code


def notice_post(
    *,
    area_code: str,
    kind: str,
    year: int,
    step: StepDefinition,
    posted_on: datetime.date,
    user,
    place: str = "",
    object_to: str = "",
) -> Notice:
    """A notice posted for a notice step: it runs the step's days, the day of posting counted."""
    if not step.is_notice:
        _refuse("notice_step_only")
    notice = Notice(
        area_id=area_code,
        kind=kind,
        year=year,
        step=step,
        posted_on=posted_on,
        ends_on=rules.notice_ends_on(posted_on, step.notice_days),
        place=place,
        object_to=object_to,
        posted_by=user,
    )
    notice.full_clean()
    notice._history_user = user
    notice.save()
    return notice


# --- starting ------------------------------------------------------------------------------


def _may_exit_in_registration_year(village_code: str) -> bool:
    """The assessment's rule set says whether a household exits in its registration year."""
    from fupin.assessment.models import RuleSet

    rule = (
        RuleSet.objects.filter(province__in=["", village_code[:2]])
        .order_by("-province")
        .values_list("no_exit_in_registration_year", flat=True)
        .first()
    )
    return True if rule is None else rule


def _in_area(user, household: Household) -> None:
    if not Household.objects.for_user(user).filter(pk=household.pk).exists():
        _refuse("out_of_area")


def _first_step_roles(workflow: Workflow) -> list[str]:
    first = StepDefinition.objects.filter(workflow=workflow).order_by("order").first()
    return list(first.roles) if first else []


@transaction.atomic
def procedure_start(
    *,
    household: Household,
    kind: str,
    year: int,
    user,
    on: datetime.date | None = None,
    source: str = "",
    monitoring_kind: str = "",
    risk_types: Sequence[RiskType] = (),
    note: str = "",
) -> Procedure:
    """Open a procedure of `kind` for the household for `year` (one open per kind and year)."""
    if kind not in Kind.values:
        raise ValidationError({"kind": f"unknown kind {kind!r}"})
    _in_area(user, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    workflow = workflow_for(kind, household.village_id)
    if user.role not in _first_step_roles(workflow):
        _refuse("wrong_role")
    has_open = Procedure.objects.open().filter(household=household, kind=kind, year=year).exists()
    refusals = rules.check_start(
        rules.Start(
            kind=kind,
            year=year,
            household_status=household.status,
            year_registered=household.year_registered,
            no_exit_in_registration_year=_may_exit_in_registration_year(household.village_id),
            has_open=has_open,
            monitoring_kind=monitoring_kind,
            risk_types=len(risk_types),
        )
    )
    if refusals:
        raise StepRefused(refusals)
    procedure = Procedure(
        household=household,
        village_id=household.village_id,
        kind=kind,
        year=year,
        workflow=workflow,
        source=source,
        monitoring_kind=monitoring_kind,
        started_on=on or timezone.localdate(),
        started_by=user,
        note=note,
    )
    procedure.full_clean()
    procedure._history_user = user
    try:
        with transaction.atomic():
            procedure.save()
    except IntegrityError:
        _refuse("already_open", year=year)
    if risk_types:
        procedure.risk_types.set(risk_types)
    return procedure


def procedure_start_batch(
    *,
    households: Sequence[Household],
    kind: str,
    year: int,
    user,
    on: datetime.date | None = None,
    source: str = "",
    monitoring_kind: str = "",
    risk_types: Sequence[RiskType] = (),
) -> list[Procedure]:
    """Open procedures for many households at once (a round's start, or the households the
    assessment flags for monitoring): all or nothing."""
    with transaction.atomic():
        return [
            procedure_start(
                household=h,
                kind=kind,
                year=year,
                user=user,
                on=on,
                source=source,
                monitoring_kind=monitoring_kind,
                risk_types=risk_types,
            )
            for h in households
        ]


# --- recording steps -----------------------------------------------------------------------


def _attempt(step_code, on, today, user, votes, document, override_reason, resolution, months):
    return rules.Attempt(
        step_code=step_code,
        on=on,
        today=today,
        role=user.role,
        votes=votes,
        document=document,
        override_reason=override_reason,
        exclusion_resolution=resolution,
        stable_months=months,
    )


def _record(
    procedure,
    definition,
    found: selectors.StepFacts,
    *,
    on,
    user,
    votes,
    note,
    batch,
    notice,
    override_reason,
    resolution,
    months,
) -> StepRecord:
    checks = dict(found.checks)
    if resolution.strip() and checks.get("exclusions"):
        checks["resolution"] = resolution.strip()
    if months is not None:
        checks["stable_months"] = months
    return StepRecord(
        procedure=procedure,
        step=definition,
        village_id=procedure.village_id,
        date=on,
        actor=user,
        votes_for=votes.votes_for if votes else None,
        votes_against=votes.against if votes else None,
        votes_abstain=votes.abstain if votes else None,
        attendance=votes.attendance if votes else None,
        eligible=votes.eligible if votes else None,
        note=note,
        batch=batch,
        notice=notice,
        assessment_run_id=found.run_id,
        override_reason=override_reason.strip(),
        checks=checks,
    )


def _complete(procedure: Procedure, *, on, user, reason: str) -> None:
    """The household's status for the year, through the registry's own service."""
    from fupin.registry.services import household_save

    household = Household.objects.get(pk=procedure.household_id)
    household.status = rules.status_after(procedure.kind, year_exited=household.year_exited)
    if procedure.kind == Kind.IDENTIFICATION:
        household.year_registered = procedure.year
    elif procedure.kind == Kind.EXIT:
        household.year_exited = procedure.year
    household_save(household=household, user=user, reason=reason)
    procedure.status = Status.COMPLETED
    procedure.closed_on = on


def _complete_batch(first: Procedure, batch: Batch, definition, *, user) -> None:
    """A completing batch step: the households' statuses for the year, set-based through the
    registry's `household_status_set` (a risk removal's, by whether each had exited)."""
    from fupin.registry.services import household_status_set

    households = StepRecord.objects.filter(batch=batch).values("procedure__household_id")
    reason = f"{first.get_kind_display()} {first.year}: {definition} (batch #{batch.pk})"
    year = {}
    if first.kind == Kind.IDENTIFICATION:
        year = {"year_registered": first.year}
    elif first.kind == Kind.EXIT:
        year = {"year_exited": first.year}
    groups = [(households, rules.status_after(first.kind, year_exited=None))]
    if first.kind == Kind.RISK_REMOVAL:
        exited = Household.objects.filter(pk__in=households, year_exited__isnull=False)
        never = Household.objects.filter(pk__in=households, year_exited__isnull=True)
        groups = [
            (exited.values("pk"), rules.status_after(first.kind, year_exited=first.year)),
            (never.values("pk"), rules.status_after(first.kind, year_exited=None)),
        ]
    for chosen, status in groups:
        household_status_set(households=chosen, status=status, user=user, reason=reason, **year)


def _completion_reason(procedure: Procedure, definition: StepDefinition) -> str:
    return f"{procedure.get_kind_display()} {procedure.year}: {definition} (#{procedure.pk})"


def step_record(
    *,
    procedure: Procedure,
    step_code: str,
    user,
    on: datetime.date | None = None,
    votes: rules.Votes | None = None,
    note: str = "",
    documents: Sequence = (),
    override_reason: str = "",
    exclusion_resolution: str = "",
    stable_months: int | None = None,
    notice_place: str = "",
    notice_object_to: str = "",
    today: datetime.date | None = None,
) -> StepRecord:
    """Record the next step of one household's procedure (`step_code` names the step the
    actor means, so that a step recorded meanwhile by someone else is not passed over)."""
    today = today or timezone.localdate()
    on = on or today
    with transaction.atomic():
        if not Procedure.objects.for_user(user).filter(pk=procedure.pk).exists():
            _refuse("out_of_area")
        procedure = (
            Procedure.objects.select_for_update().select_related("workflow").get(pk=procedure.pk)
        )
        steps, definitions = step_specs(procedure.workflow)
        names = _names(definitions)
        standing = _standing([procedure.pk])[procedure.pk]
        state = _state(procedure, standing, _open_objections([procedure.pk]).get(procedure.pk, 0))
        spec = next((s for s in steps if s.code == step_code), None)
        village, year = procedure.village_id, procedure.year
        found = selectors.step_facts(spec, [procedure], village, year) if spec else {}
        found = found.get(procedure.pk, selectors.StepFacts())
        attempt = _attempt(
            step_code,
            on,
            today,
            user,
            votes,
            bool(documents),
            override_reason,
            exclusion_resolution,
            stable_months,
        )
        refusals = rules.check_step(steps, state, attempt, found.facts)
        if refusals:
            raise StepRefused(refusals, names=names)
        definition = definitions[step_code]
        notice = None
        if definition.is_notice:
            notice = notice_post(
                area_code=_area_at_level(procedure.village_id, definition.level),
                kind=procedure.kind,
                year=procedure.year,
                step=definition,
                posted_on=on,
                user=user,
                place=notice_place,
                object_to=notice_object_to,
            )
        record = _record(
            procedure,
            definition,
            found,
            on=on,
            user=user,
            votes=votes,
            note=note,
            batch=None,
            notice=notice,
            override_reason=override_reason,
            resolution=exclusion_resolution,
            months=stable_months,
        )
        record.full_clean(validate_constraints=False)
        record._history_user = user
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            # Only when the lock did not serialise the writers: someone recorded it first.
            raise StepRefused(
                [rules.Refusal("already_recorded", {"step": step_code, "by": "", "date": on})],
                names=names,
            ) from None
        for upload in documents:
            attachment = Attachment(
                record=record,
                village_id=procedure.village_id,
                file=upload,
                name=getattr(upload, "name", "")[:200],
                uploaded_by=user,
            )
            attachment._history_user = user
            attachment.save()
        procedure.step, procedure.step_order = definition, definition.order
        if definition.completes:
            _complete(procedure, on=on, user=user, reason=_completion_reason(procedure, definition))
        procedure._history_user = user
        procedure.save()
    return record


def step_record_batch(
    *,
    procedures: Sequence[Procedure] | Iterable[int],
    step_code: str,
    user,
    on: datetime.date | None = None,
    votes: rules.Votes | dict[int, rules.Votes] | None = None,
    note: str = "",
    document=None,
    exclusion_resolutions: dict[int, str] | None = None,
    notice_place: str = "",
    notice_object_to: str = "",
    today: datetime.date | None = None,
) -> Batch:
    """One step for many households of one village together (one meeting, one notice):
    all of them or none. `votes` is one tally for all, or a tally per procedure id. The
    reads and writes are set-based: a fixed number of queries whatever the households
    (but the registry's status change at a completing step, one household at a time)."""
    today = today or timezone.localdate()
    on = on or today
    ids = sorted({p if isinstance(p, int) else p.pk for p in procedures})
    resolutions = exclusion_resolutions or {}
    with transaction.atomic():
        visible = Procedure.objects.for_user(user).filter(pk__in=ids).count()
        if visible != len(ids) or not ids:
            _refuse("out_of_area")
        locked = list(Procedure.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        first = locked[0]
        if any(
            (p.village_id, p.kind, p.year, p.workflow_id)
            != (first.village_id, first.kind, first.year, first.workflow_id)
            for p in locked
        ):
            _refuse("not_in_village")
        workflow = Workflow.objects.get(pk=first.workflow_id)
        for p in locked:
            p.workflow = workflow
        steps, definitions = step_specs(workflow)
        names = _names(definitions)
        spec = next((s for s in steps if s.code == step_code), None)
        standing = _standing(ids)
        objections = _open_objections(ids)
        found = selectors.step_facts(spec, locked, first.village_id, first.year) if spec else {}
        refused = {}
        for p in locked:
            tally = votes.get(p.pk) if isinstance(votes, dict) else votes
            attempt = _attempt(
                step_code,
                on,
                today,
                user,
                tally,
                document is not None,
                "",
                resolutions.get(p.pk, ""),
                None,
            )
            refusals = rules.check_step(
                steps,
                _state(p, standing[p.pk], objections.get(p.pk, 0)),
                attempt,
                found.get(p.pk, selectors.StepFacts()).facts,
            )
            if refusals:
                refused[p.pk] = refusals
        if refused:
            firsts = [r for rs in refused.values() for r in rs]
            raise StepRefused(firsts, by_procedure=refused, names=names)
        definition = definitions[step_code]
        notice = None
        if definition.is_notice:
            notice = notice_post(
                area_code=_area_at_level(first.village_id, definition.level),
                kind=first.kind,
                year=first.year,
                step=definition,
                posted_on=on,
                user=user,
                place=notice_place,
                object_to=notice_object_to,
            )
        batch = Batch(
            village_id=first.village_id,
            kind=first.kind,
            year=first.year,
            step=definition,
            date=on,
            notice=notice,
            recorded_by=user,
            note=note,
            households=len(locked),
        )
        if document is not None:
            batch.document = document
        batch._history_user = user
        batch.save()
        records = [
            _record(
                p,
                definition,
                found.get(p.pk, selectors.StepFacts()),
                on=on,
                user=user,
                votes=votes.get(p.pk) if isinstance(votes, dict) else votes,
                note=note,
                batch=batch,
                notice=notice,
                override_reason="",
                resolution=resolutions.get(p.pk, ""),
                months=None,
            )
            for p in locked
        ]
        try:
            with transaction.atomic():
                StepRecord.objects.bulk_create(records, batch_size=500)
        except IntegrityError:
            raise StepRefused(
                [rules.Refusal("already_recorded", {"step": step_code, "by": "", "date": on})],
                names=names,
            ) from None
        # Every procedure of the batch takes the same values: one UPDATE; the history rows of
        # the records and the procedures copied by INSERT … SELECT, as the registry's import
        # writes its own (what a save through simple-history would have written).
        now = timezone.now()
        changes = {"step": definition, "step_order": definition.order, "updated_at": now}
        if definition.completes:
            changes.update(status=Status.COMPLETED, closed_on=on)
        if definition.completes:
            _complete_batch(first, batch, definition, user=user)
        Procedure.objects.filter(pk__in=ids).update(**changes)
        reason = f"batch #{batch.pk}"
        records_table = q(StepRecord._meta.db_table)
        _copy_history(StepRecord, "r.batch_id = %s", [batch.pk], "+", now, user, reason)
        _copy_history(
            Procedure,
            f"r.id IN (SELECT procedure_id FROM {records_table} WHERE batch_id = %s)",  # noqa: S608
            [batch.pk],
            "~",
            now,
            user,
            reason,
        )
    return batch


def _copy_history(model, where: str, params, kind: str, when, user, reason: str) -> None:
    copy_history(
        model,
        where,
        params,
        kind=kind,
        when=when,
        user_id=getattr(user, "pk", None),
        reason=reason,
    )


# --- reversing and withdrawing -------------------------------------------------------------


@transaction.atomic
def step_reverse(*, record: StepRecord, user, reason: str) -> StepRecord:
    """Reverse the latest standing step of an open procedure, with a reason: the record
    stays, marked reversed; the procedure is back at the step before."""
    if not reason.strip():
        _refuse("reason_required")
    if not Procedure.objects.for_user(user).filter(pk=record.procedure_id).exists():
        _refuse("out_of_area")
    procedure = Procedure.objects.select_for_update().get(pk=record.procedure_id)
    record = StepRecord.objects.select_related("step").get(pk=record.pk)
    if user.role not in record.step.roles and user.role != rules.COUNTY_APPROVER:
        _refuse("wrong_role")
    standing = _standing([procedure.pk])[procedure.pk]
    if (
        procedure.status != Status.OPEN
        or record.reversed_at is not None
        or standing.last_record_id != record.pk
    ):
        _refuse("not_reversible")
    record.reversed_at = timezone.now()
    record.reversed_by = user
    record.reverse_reason = reason.strip()
    record._history_user = user
    record._change_reason = reason.strip()[:100]
    record.save(update_fields=["reversed_at", "reversed_by", "reverse_reason"])
    previous = (
        StepRecord.objects.standing()
        .filter(procedure=procedure)
        .select_related("step")
        .order_by("-step__order")
        .first()
    )
    procedure.step = previous.step if previous else None
    procedure.step_order = previous.step.order if previous else 0
    procedure._history_user = user
    procedure._change_reason = reason.strip()[:100]
    procedure.save()
    return record


@transaction.atomic
def procedure_withdraw(*, procedure: Procedure, user, reason: str, on=None) -> Procedure:
    if not reason.strip():
        _refuse("reason_required")
    if not Procedure.objects.for_user(user).filter(pk=procedure.pk).exists():
        _refuse("out_of_area")
    if user.role not in PROCEDURE_ROLES:
        _refuse("wrong_role")
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.status != Status.OPEN:
        _refuse("procedure_closed", status=procedure.get_status_display())
    procedure.status = Status.WITHDRAWN
    procedure.withdraw_reason = reason.strip()[:300]
    procedure.closed_on = on or timezone.localdate()
    procedure._history_user = user
    procedure._change_reason = procedure.withdraw_reason[:100]
    procedure.full_clean()
    procedure.save()
    return procedure


# --- objections ----------------------------------------------------------------------------


@transaction.atomic
def objection_raise(
    *,
    procedure: Procedure,
    user,
    content: str,
    raised_by: str = "",
    contact: str = "",
    raised_on: datetime.date | None = None,
    notice: Notice | None = None,
) -> Objection:
    """Record an objection (anonymous when `raised_by` is blank); it holds the procedure.
    Without `notice`, it is tied to the procedure's latest notice, if any."""
    if not Procedure.objects.for_user(user).filter(pk=procedure.pk).exists():
        _refuse("out_of_area")
    if user.role not in PROCEDURE_ROLES:
        _refuse("wrong_role")
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.status != Status.OPEN:
        _refuse("procedure_closed", status=procedure.get_status_display())
    if notice is None:
        notice = (
            Notice.objects.filter(records__procedure=procedure, records__reversed_at__isnull=True)
            .order_by("-posted_on", "-id")
            .first()
        )
    objection = Objection(
        procedure=procedure,
        notice=notice,
        village_id=procedure.village_id,
        raised_on=raised_on or timezone.localdate(),
        raised_by=raised_by.strip(),
        contact=contact.strip(),
        content=content.strip(),
        recorded_by=user,
    )
    objection.full_clean()
    objection._history_user = user
    objection.save()
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, user, handling: str, resolution: str) -> Objection:
    """Resolve an objection: how it was handled (required) and whether it was upheld."""
    if not Objection.objects.for_user(user).filter(pk=objection.pk).exists():
        _refuse("out_of_area")
    if user.role not in PROCEDURE_ROLES:
        _refuse("wrong_role")
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.resolved_at is not None:
        _refuse("objection_resolved")
    if not handling.strip():
        _refuse("reason_required")
    objection.handling = handling.strip()
    objection.resolution = resolution
    objection.resolved_at = timezone.now()
    objection.resolved_by = user
    objection.full_clean()
    objection._history_user = user
    objection.save()
    return objection


__all__ = [
    "StepRefused",
    "notice_post",
    "objection_raise",
    "objection_resolve",
    "procedure_start",
    "procedure_start_batch",
    "procedure_withdraw",
    "step_record",
    "step_record_batch",
    "step_reverse",
    "workflow_for",
]
