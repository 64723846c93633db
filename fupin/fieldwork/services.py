"""Writes of fieldwork: one function per action, keyword-only, validated, audited (history)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fupin import areacodes
from fupin.core.models import Area, User
from fupin.fieldwork import compliance
from fupin.fieldwork.models import (
    AssistancePlan,
    Cadre,
    FollowUp,
    FollowUpStatus,
    Measure,
    MediationCase,
    MediationStatus,
    MediationStep,
    Meeting,
    Pairing,
    Visit,
    closing_day,
)
from fupin.registry.models import Household

CADRE_OUTSIDE = _("This cadre does not work in the household's area.")
PAIRED_BEFORE_START = _("The new pairing must start after the current one started.")
VISIT_IN_FUTURE = _("A visit cannot be dated in the future.")
NO_VISITORS = _("Name at least one visitor.")
DELETE_NEEDS_REASON = _("Say why the visit is deleted: the reason is kept in its history.")
FOLLOW_UP_DONE = _(
    "A follow-up of this visit is done: the visit stays as the record of that work. "
    "Correct the visit instead of deleting it."
)
# The code of FOLLOW_UP_DONE's refusal, for the API's answer (409 `follow_ups_done`).
FOLLOW_UP_DONE_CODE = "follow_ups_done"


def _reaches(cadre: Cadre, household: Household) -> bool:
    """A cadre serves households of their area's subtree, or (from a village) that village."""
    return areacodes.is_within(household.village_id, cadre.area_id)


def cadre_create(*, area: Area, name: str, phone: str = "", unit: str = "", user=None) -> Cadre:
    cadre = Cadre(area=area, name=name, phone=phone, unit=unit, user=user)
    cadre.full_clean()
    cadre.save()
    return cadre


ACCOUNT_OUTSIDE = _(
    "A cadre signs in as an active user of their area, of an area within it or above it, "
    "who is no other cadre."
)
# What a cadre's edit may change (not their area: a cadre who moves is added again there).
CADRE_FIELDS = frozenset({"name", "phone", "unit", "active", "two_committees", "account"})


@transaction.atomic
def cadre_update(*, cadre: Cadre, user: User | None, **fields) -> Cadre:
    """Change a cadre: `fields` are any of CADRE_FIELDS — `account` is the Fupin user they
    sign in as (Cadre.user; None unlinks). A cadre who leaves is made inactive, not
    deleted: no longer offered as a visitor or owner (selectors.cadres_serving), still
    named on the visits they made. Not in the compliance figures: nothing to forget."""
    from fupin.fieldwork import selectors

    unknown = set(fields) - CADRE_FIELDS
    if unknown:
        raise TypeError(f"cadre_update cannot change {sorted(unknown)}")
    stored = Cadre.objects.select_for_update().get(pk=cadre.pk)
    if "account" in fields:
        account = fields.pop("account")
        if (
            account is not None
            and not selectors.accounts_for_cadre(stored).filter(pk=account.pk).exists()
        ):
            raise ValidationError({"user": ACCOUNT_OUTSIDE})
        stored.user = account
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.full_clean()
    stored._history_user = user
    stored.save()
    return stored


@transaction.atomic
def household_pair(*, household: Household, cadre: Cadre, on: date) -> Pairing:
    """Make `cadre` the household's responsible cadre from `on`; the current pairing, if
    any, ends that day."""
    if not _reaches(cadre, household):
        raise ValidationError({"cadre": CADRE_OUTSIDE})
    current = Pairing.objects.select_for_update().current().filter(household=household).first()
    if current is not None:
        if current.cadre_id == cadre.pk:
            return current
        if on < current.started_on:
            raise ValidationError({"started_on": PAIRED_BEFORE_START})
        current.ended_on = on
        current.save()
    pairing = Pairing(cadre=cadre, household=household, village_id=household.village_id)
    pairing.started_on = on
    pairing.full_clean()
    pairing.save()
    compliance.forget(household.village_id)
    return pairing


def _visits_changed(*villages: str) -> None:
    """The one place where figures derived from visits are kept up to date: every write of
    visits (visit_record, visit_update, visit_delete) calls it, inside the write's
    transaction, with the villages whose visits were added, changed or removed. Their stored
    compliance figures are computed again when next read (compliance.forget raises the
    villages' versions)."""
    compliance.forget(*villages)


def _check_visit(household: Household, on: date, visitors: list, today: date) -> None:
    """The rules of a visit, recorded or corrected: not after today, with at least one
    visitor, every visitor serving the household's village."""
    errors = {}
    if on > today:
        errors["date"] = VISIT_IN_FUTURE
    if not visitors:
        errors["visitors"] = NO_VISITORS
    elif any(not _reaches(cadre, household) for cadre in visitors):
        errors["visitors"] = CADRE_OUTSIDE
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_record(
    *,
    household: Household,
    on: date,
    visitors: Iterable[Cadre],
    purpose: str,
    recorded_by: User | None,
    today: date,
    follow_up: dict | None = None,
    follow_ups: Iterable[dict] = (),
    client_id=None,
    **findings: str,
) -> Visit:
    """Record a visit; `findings`: income_change, illness, schooling, housing, water, notes.
    `follow_up` (action, owner, due_on) leaves one follow-up with the visit; `follow_ups`
    any number (a follow-up's errors under `follow_ups.<index>.<field>`). `client_id`: the id
    a field app gave the visit, unique, so that a visit sent twice is recorded once."""
    visitors = list(visitors)
    _check_visit(household, on, visitors, today)
    visit = Visit(
        household=household,
        village_id=household.village_id,
        date=on,
        purpose=purpose,
        recorded_by=recorded_by,
        client_id=client_id,
        **findings,
    )
    visit.full_clean()
    visit.save()
    visit.visitors.set(visitors)
    if follow_up:
        follow_up_add(visit=visit, **follow_up)
    for index, row in enumerate(follow_ups):
        try:
            follow_up_add(visit=visit, **row)
        except ValidationError as error:
            raise ValidationError(
                {f"follow_ups.{index}.{field}": m for field, m in error.message_dict.items()}
            ) from None
    _visits_changed(household.village_id)
    return visit


# What a correction may change (the fields its recorder writes): not the household (a visit
# recorded for the wrong household is deleted, with its reason, and recorded again for the
# right one) nor the field app's id.
VISIT_FIELDS = frozenset(Visit.WRITTEN)


@transaction.atomic
def visit_update(*, visit: Visit, user: User | None, today: date, **fields) -> Visit:
    """Correct a visit: `fields` are any of VISIT_FIELDS (date, visitors, purpose,
    income_change, illness, schooling, housing, water, notes); those left out keep their
    value. The rules are those of visit_record. One history row records the correction with
    its user and the visitors after it; a correction that changes nothing writes nothing.
    The visit's follow-ups are left as they are (they have their own status)."""
    unknown = set(fields) - VISIT_FIELDS
    if unknown:
        raise TypeError(f"visit_update cannot change {sorted(unknown)}")
    stored = Visit.objects.select_for_update().select_related("household").get(pk=visit.pk)
    visitors = list(fields.pop("visitors")) if "visitors" in fields else None
    before = list(stored.visitors.all())
    after = before if visitors is None else visitors
    _check_visit(stored.household, fields.get("date", stored.date), after, today)
    changed = {name for name, value in fields.items() if getattr(stored, name) != value}
    new_visitors = {c.pk for c in after} != {c.pk for c in before}
    if not changed and not new_visitors:
        return stored
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.full_clean()
    if new_visitors:
        # The visitors first, without history of their own, so that the one row the save
        # below writes holds the fields and the visitors after the correction together.
        stored.skip_history_when_saving = True
        try:
            stored.visitors.set(visitors)
        finally:
            del stored.skip_history_when_saving
    stored._history_user = user
    stored.save()
    _visits_changed(stored.village_id)
    return stored


@transaction.atomic
def visit_delete(*, visit: Visit, user: User | None, reason: str) -> None:
    """Delete a visit recorded by mistake, with the reason, which its history keeps with the
    user. Its follow-ups go with it — those still open and those cancelled were left by the
    mistaken record, and each one's history keeps the same reason — unless one of them is
    done: then the visit stays, as the record of the work that follow-up did, and is to be
    corrected instead (ValidationError on `follow_ups`, code FOLLOW_UP_DONE_CODE)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": DELETE_NEEDS_REASON})
    stored = Visit.objects.select_for_update().get(pk=visit.pk)
    follow_ups = list(FollowUp.objects.select_for_update().filter(visit=stored).order_by("pk"))
    if any(row.status == FollowUpStatus.DONE for row in follow_ups):
        raise ValidationError(
            {"follow_ups": ValidationError(FOLLOW_UP_DONE, code=FOLLOW_UP_DONE_CODE)}
        )
    for row in [*follow_ups, stored]:
        row._history_user = user
        row._change_reason = reason
        row.delete()
    _visits_changed(stored.village_id)


def follow_up_add(*, visit: Visit, action: str, owner: Cadre, due_on: date) -> FollowUp:
    if not _reaches(owner, visit.household):
        raise ValidationError({"owner": CADRE_OUTSIDE})
    row = FollowUp(
        visit=visit,
        household_id=visit.household_id,
        village_id=visit.village_id,
        action=action,
        owner=owner,
        due_on=due_on,
    )
    row.full_clean()
    row.save()
    compliance.forget(row.village_id)
    return row


FOLLOW_UP_NOT_OPEN = _("This follow-up is already done or cancelled: it cannot be closed again.")
# The code of FOLLOW_UP_NOT_OPEN's refusal, for the API's answer (409 `follow_up_closed`).
FOLLOW_UP_CLOSED_CODE = "follow_up_closed"


@transaction.atomic
def follow_up_close(
    *, follow_up: FollowUp, status: str, on: date, user: User | None = None
) -> FollowUp:
    """Close an open follow-up: done on `on`, or cancelled. One that is closed already is
    refused (ValidationError, code FOLLOW_UP_CLOSED_CODE): closing it again would rewrite the
    day it was done, or mark done what was cancelled."""
    stored = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if stored.status != FollowUpStatus.OPEN:
        raise ValidationError(FOLLOW_UP_NOT_OPEN, code=FOLLOW_UP_CLOSED_CODE)
    if status not in (FollowUpStatus.DONE, FollowUpStatus.CANCELLED):
        raise ValueError(f"follow_up_close cannot set status {status!r}")
    follow_up.status = status
    follow_up.done_on = on if status == FollowUpStatus.DONE else None
    follow_up.full_clean()
    if user is not None:  # else the request's user, as simple-history's middleware sets it
        follow_up._history_user = user
    follow_up.save()
    compliance.forget(follow_up.village_id)
    return follow_up


PROJECT_OUTSIDE = _("The project is not in the household's area.")


def assistance_plan_for(*, household: Household, year: int, goal: str | None = None):
    """The household's plan for the year, made when first needed."""
    plan, _created = AssistancePlan.objects.get_or_create(
        household=household, year=year, defaults={"village_id": household.village_id}
    )
    if goal is not None and goal != plan.goal:
        plan.goal = goal
        plan.full_clean()
        plan.save()
    return plan


@transaction.atomic
def measure_add(*, household: Household, year: int, **fields) -> Measure:
    """Add a measure to the household's plan of `year`; `fields`: type, description, amount,
    funding_source, project, start_on, end_on, status, outcome."""
    project = fields.get("project")
    if project is not None and not project.plan.area.contains(household.village_id):
        raise ValidationError({"project": PROJECT_OUTSIDE})
    plan = assistance_plan_for(household=household, year=year)
    measure = Measure(plan=plan, village_id=household.village_id, **fields)
    measure.full_clean()
    measure.save()
    return measure


# What a measure's edit may change: not its plan (nor so its household or year).
MEASURE_FIELDS = frozenset(Measure.WRITTEN)


@transaction.atomic
def measure_update(*, measure: Measure, user: User | None = None, **fields) -> Measure:
    """Change a measure — its status and outcome as the work goes on, its amount, dates…;
    `fields` are any of MEASURE_FIELDS, those left out keep their value. The rules are
    measure_add's. A measure does not count in the compliance figures: nothing to forget."""
    unknown = set(fields) - MEASURE_FIELDS
    if unknown:
        raise TypeError(f"measure_update cannot change {sorted(unknown)}")
    stored = Measure.objects.select_for_update().get(pk=measure.pk)
    project = fields.get("project", stored.project)
    if project is not None and not project.plan.area.contains(stored.village_id):
        raise ValidationError({"project": PROJECT_OUTSIDE})
    for field, value in fields.items():
        setattr(stored, field, value)
    stored.full_clean()
    if user is not None:  # else the request's user, as simple-history's middleware sets it
        stored._history_user = user
    stored.save()
    return stored


# --- meetings and activities; dispute mediation ---------------------------------------------

NOT_A_VILLAGE = _("Meetings and mediation cases are recorded for a village.")
MEETING_IN_FUTURE = _("A meeting is recorded once held: its date cannot be in the future.")
MEMBER_OUTSIDE = _("Every person named must be a member of a household of the village.")
FEWER_THAN_NAMED = _("The number of participants cannot be less than the people named.")
CADRE_OUTSIDE_VILLAGE = _("This cadre does not work in the village's area.")
RECEIVED_IN_FUTURE = _("A case cannot be received in the future.")
CLOSED_BEFORE_RECEIVED = _("A case cannot be closed before it was received.")
STEP_OUT_OF_RANGE = _("A step is dated between the day the case was received and today.")


def _serves(cadre: Cadre | None, village_code: str) -> bool:
    return cadre is None or areacodes.is_within(village_code, cadre.area_id)


def _outside(members, village_code: str) -> bool:
    from fupin.registry.models import Member

    ids = [m.pk for m in members]
    return Member.objects.filter(pk__in=ids).exclude(household__village=village_code).exists()


@transaction.atomic
def meeting_save(
    *,
    meeting: Meeting | None = None,
    village: Area,
    members: Iterable = (),
    today: date,
    recorded_by: User | None = None,
    **fields,
) -> Meeting:
    """Record a meeting, or change one; `fields`: type, date, place, topic,
    participant_count, minutes. The named members must belong to the village's households,
    and the count is at least their number."""
    members = list(members)
    errors = {}
    if village.level != areacodes.Level.VILLAGE:
        errors["village"] = NOT_A_VILLAGE
    if fields.get("date") and fields["date"] > today:
        errors["date"] = MEETING_IN_FUTURE
    if _outside(members, village.code):
        errors["members"] = MEMBER_OUTSIDE
    if (fields.get("participant_count") or 0) < len(members):
        errors["participant_count"] = FEWER_THAN_NAMED
    if errors:
        raise ValidationError(errors)
    if meeting is None:
        meeting = Meeting(recorded_by=recorded_by)
    meeting.village = village
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    meeting.members.set(members)
    return meeting


def meeting_decision_add(*, meeting: Meeting, action: str, owner: Cadre, due_on: date) -> FollowUp:
    """A decision of the meeting: a follow-up of the village, with its owner and due date."""
    if not _serves(owner, meeting.village_id):
        raise ValidationError({"owner": CADRE_OUTSIDE_VILLAGE})
    row = FollowUp(
        meeting=meeting, village_id=meeting.village_id, action=action, owner=owner, due_on=due_on
    )
    row.full_clean()
    row.save()
    compliance.forget(row.village_id)
    return row


@transaction.atomic
def mediation_case_save(
    *,
    case: MediationCase | None = None,
    village: Area,
    party_members: Iterable = (),
    today: date,
    recorded_by: User | None = None,
    **fields,
) -> MediationCase:
    """Open a case, or change one; `fields`: type, petition, received_on, parties, summary,
    mediator, status, outcome, closed_on. A resolved or referred case without a closing day
    is closed today; a case reopened loses it."""
    party_members = list(party_members)
    errors = {}
    if village.level != areacodes.Level.VILLAGE:
        errors["village"] = NOT_A_VILLAGE
    received = fields.get("received_on")
    if received and received > today:
        errors["received_on"] = RECEIVED_IN_FUTURE
    if not _serves(fields.get("mediator"), village.code):
        errors["mediator"] = CADRE_OUTSIDE_VILLAGE
    if _outside(party_members, village.code):
        errors["party_members"] = MEMBER_OUTSIDE
    status = fields.get("status", case.status if case else MediationStatus.OPEN)
    fields["closed_on"] = closing_day(status, fields.get("closed_on"), today)
    if received and fields["closed_on"] and fields["closed_on"] < received:
        errors["closed_on"] = CLOSED_BEFORE_RECEIVED
    if errors:
        raise ValidationError(errors)
    if case is None:
        case = MediationCase(recorded_by=recorded_by)
    case.village = village
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save()
    case.party_members.set(party_members)
    return case


@transaction.atomic
def mediation_step_add(
    *, case: MediationCase, on: date, description: str, by: Cadre | None = None, today: date
) -> MediationStep:
    """A dated step of the case; the first step of an open case starts its mediation."""
    errors = {}
    if on < case.received_on or on > today:
        errors["date"] = STEP_OUT_OF_RANGE
    if not _serves(by, case.village_id):
        errors["by"] = CADRE_OUTSIDE_VILLAGE
    if errors:
        raise ValidationError(errors)
    step = MediationStep(case=case, date=on, description=description, by=by)
    step.full_clean()
    step.save()
    if case.status == MediationStatus.OPEN:
        case.status = MediationStatus.MEDIATING
        case.save(update_fields=["status"])
    return step
