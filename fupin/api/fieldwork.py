"""Fieldwork: cadres, pairings, visits with their follow-ups, household plans and measures,
and the visit compliance figures — read with the pages' scoping, written through the pages'
forms and services (fupin/fieldwork/services.py), so validation and history are theirs.

A field app records visits offline and sends them when it has a signal, perhaps more than
once: it gives each visit its own UUID (`client_id`), and a visit sent again with the same id
is answered with the one already recorded (200) instead of being recorded twice (201)."""

import datetime
import uuid
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status

from fupin import areacodes
from fupin.api.access import need
from fupin.api.binding import form_data, valid
from fupin.api.errors import ERRORS, ApiError, Error
from fupin.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode, keyset_page
from fupin.api.types import AreaCode, Id
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.fieldwork import selectors, services
from fupin.fieldwork.compliance import compliance
from fupin.fieldwork.forms import (
    AssistancePlanForm,
    MeasureForm,
    PairingForm,
    VisitDeleteForm,
    VisitForm,
)
from fupin.fieldwork.models import (
    AssistancePlan,
    Cadre,
    FollowUp,
    FollowUpStatus,
    Measure,
    MeasureType,
    Pairing,
    Visit,
)
from fupin.registry.models import Household

router = Router(tags=["fieldwork"])

CLIENT_ID_TAKEN = gettext_lazy("This client id belongs to a visit of another household.")

WITH_CONFLICT = {**ERRORS, 409: Error}


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _by_id(queryset, cursor: str | None, limit: int):
    """A keyset page ordered by id (a cursor that is not one of ours is 400, as elsewhere)."""
    if cursor:
        key = decode(cursor)
        if not (key.isascii() and key.isdigit()):
            raise ApiError(400, "bad_cursor", _("The cursor is not valid."))
    return keyset_page(queryset, "id", cursor, _limit(limit))


def _household(request, pk: int) -> Household:
    return get_scoped_or_404(Household.objects.select_related("village"), request.user, pk=pk)


def _invalid(form):
    return ValidationError(form.errors.as_data())


# --- cadres ----------------------------------------------------------------------------------


class CadreOut(Schema):
    id: int
    name: str
    phone: str
    unit: str
    area: str
    user: int | None
    active: bool


class CadrePage(Schema):
    items: list[CadreOut]
    next_cursor: str | None


class CadreFilters(Schema):
    area: AreaCode | None = None
    household: Id | None = Field(
        None, description="the cadres who may visit this household (the visit form's choices)"
    )
    active: bool | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _cadre(cadre: Cadre) -> dict:
    return {
        "id": cadre.pk,
        "name": cadre.name,
        "phone": cadre.phone,
        "unit": cadre.unit,
        "area": cadre.area_id,
        "user": cadre.user_id,
        "active": cadre.active,
    }


@router.get("/fieldwork/cadres/", response={200: CadrePage, **ERRORS})
def cadre_list(request, filters: Query[CadreFilters]):
    """The cadres of the user's area (the cadres page), or those who may visit a household:
    of its village and of the township and county above it."""
    need(request, Capability.VIEW_REGISTRY)
    if filters.household:
        cadres = selectors.cadres_serving(_household(request, filters.household).village_id)
    else:
        cadres = Cadre.objects.for_user(request.user)
    if filters.area:
        cadres = cadres.filter(area_id=filters.area)
    if filters.active is not None:
        cadres = cadres.filter(active=filters.active)
    rows, cursor = _by_id(cadres, filters.cursor, filters.limit)
    return {"items": [_cadre(c) for c in rows], "next_cursor": cursor}


# --- pairings --------------------------------------------------------------------------------


class PairingOut(Schema):
    id: int
    cadre: int
    cadre_name: str
    household: int
    household_no: str
    village: str
    started_on: datetime.date
    ended_on: datetime.date | None


class PairingPage(Schema):
    items: list[PairingOut]
    next_cursor: str | None


class PairingFilters(Schema):
    household: Id | None = None
    cadre: Id | None = None
    village: AreaCode | None = None
    current: bool | None = Field(None, description="true: only pairings not yet ended")
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class PairingIn(Schema):
    cadre: Id
    started_on: datetime.date


def _pairing(pairing: Pairing) -> dict:
    return {
        "id": pairing.pk,
        "cadre": pairing.cadre_id,
        "cadre_name": pairing.cadre.name,
        "household": pairing.household_id,
        "household_no": pairing.household.household_no,
        "village": pairing.village_id,
        "started_on": pairing.started_on,
        "ended_on": pairing.ended_on,
    }


@router.get("/fieldwork/pairings/", response={200: PairingPage, **ERRORS})
def pairing_list(request, filters: Query[PairingFilters]):
    """Pairings of cadres and households in the user's area, current and ended."""
    need(request, Capability.VIEW_REGISTRY)
    pairings = Pairing.objects.for_user(request.user).select_related("cadre", "household")
    if filters.household:
        pairings = pairings.filter(household_id=filters.household)
    if filters.cadre:
        pairings = pairings.filter(cadre_id=filters.cadre)
    if filters.village:
        pairings = pairings.filter(village_id=filters.village)
    if filters.current is not None:
        pairings = pairings.filter(ended_on__isnull=filters.current)
    rows, cursor = _by_id(pairings, filters.cursor, filters.limit)
    return {"items": [_pairing(p) for p in rows], "next_cursor": cursor}


@router.post("/fieldwork/households/{int:pk}/pairing/", response={200: PairingOut, **ERRORS})
def household_pair(request, pk: int, body: PairingIn):
    """Make a cadre the household's responsible cadre from a day, as the pairing page does:
    the current pairing, if any, ends that day."""
    need(request, Capability.EDIT_REGISTRY)
    household = _household(request, pk)
    form = PairingForm(body.dict(), cadres=selectors.cadres_serving(household.village_id))
    if not form.is_valid():
        raise _invalid(form)
    pairing = services.household_pair(
        household=household, cadre=form.cleaned_data["cadre"], on=form.cleaned_data["started_on"]
    )
    return _pairing(Pairing.objects.select_related("cadre", "household").get(pk=pairing.pk))


# --- visits and follow-ups -------------------------------------------------------------------

FINDINGS = ("income_change", "illness", "schooling", "housing", "water", "notes")


class Person(Schema):
    id: int
    name: str


class FollowUpOut(Schema):
    id: int
    # A follow-up comes from a visit (with its household) or is a meeting's decision.
    visit: int | None
    household: int | None
    meeting: int | None
    village: str
    action: str
    owner: Person
    due_on: datetime.date
    status: str
    done_on: datetime.date | None


class VisitOut(Schema):
    id: int
    client_id: uuid.UUID | None
    household: int
    household_no: str
    village: str
    date: datetime.date
    visitors: list[Person]
    purpose: str
    income_change: str
    illness: str
    schooling: str
    housing: str
    water: str
    notes: str
    recorded_by: str | None


class VisitDetail(VisitOut):
    follow_ups: list[FollowUpOut]


class VisitPage(Schema):
    items: list[VisitOut]
    next_cursor: str | None


class VisitFilters(Schema):
    household: Id | None = None
    village: AreaCode | None = None
    cadre: Id | None = Field(None, description="visits this cadre made (one of the visitors)")
    date_from: datetime.date | None = Field(None, description="visits on or after this day")
    date_to: datetime.date | None = Field(None, description="visits on or before this day")
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class FollowUpIn(Schema):
    action: str
    owner: Id
    due_on: datetime.date


class VisitIn(Schema):
    client_id: uuid.UUID | None = Field(
        None, description="the field app's own id for this visit: a visit sent again is not doubled"
    )
    date: datetime.date
    visitors: list[Id]
    purpose: str
    income_change: str = ""
    illness: str = ""
    schooling: str = ""
    housing: str = ""
    water: str = ""
    notes: str = ""
    follow_ups: list[FollowUpIn] = []


def _person(cadre: Cadre) -> dict:
    return {"id": cadre.pk, "name": cadre.name}


def _follow_up(row: FollowUp) -> dict:
    return {
        "id": row.pk,
        "visit": row.visit_id,
        "household": row.household_id,
        "meeting": row.meeting_id,
        "village": row.village_id,
        "action": row.action,
        "owner": _person(row.owner),
        "due_on": row.due_on,
        "status": row.status,
        "done_on": row.done_on,
    }


def _visit(visit: Visit) -> dict:
    data = {name: getattr(visit, name) for name in FINDINGS}
    data.update(
        id=visit.pk,
        client_id=visit.client_id,
        household=visit.household_id,
        household_no=visit.household.household_no,
        village=visit.village_id,
        date=visit.date,
        visitors=[_person(c) for c in visit.visitors.all()],
        purpose=visit.purpose,
        recorded_by=visit.recorded_by.username if visit.recorded_by else None,
    )
    return data


def _visits():
    return Visit.objects.select_related("household", "recorded_by").prefetch_related(
        Prefetch("visitors", queryset=Cadre.objects.order_by("name"))
    )


def _visit_detail(visit_id: int) -> dict:
    visit = _visits().prefetch_related(
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner").order_by("id"))
    )
    visit = visit.get(pk=visit_id)
    return {**_visit(visit), "follow_ups": [_follow_up(f) for f in visit.follow_ups.all()]}


@router.get("/fieldwork/visits/", response={200: VisitPage, **ERRORS})
def visit_list(request, filters: Query[VisitFilters]):
    """Visits in the user's area, in the order they were recorded (by id), a page at a time."""
    need(request, Capability.VIEW_REGISTRY)
    visits = _visits().for_user(request.user)
    if filters.household:
        visits = visits.filter(household_id=filters.household)
    if filters.village:
        visits = visits.filter(village_id=filters.village)
    if filters.cadre:
        visits = visits.filter(visitors=filters.cadre)
    if filters.date_from:
        visits = visits.filter(date__gte=filters.date_from)
    if filters.date_to:
        visits = visits.filter(date__lte=filters.date_to)
    rows, cursor = _by_id(visits, filters.cursor, filters.limit)
    return {"items": [_visit(v) for v in rows], "next_cursor": cursor}


@router.get("/fieldwork/visits/{int:pk}/", response={200: VisitDetail, **ERRORS})
def visit_detail(request, pk: int):
    """A visit with what was found and the follow-ups it left."""
    need(request, Capability.VIEW_REGISTRY)
    return _visit_detail(get_scoped_or_404(Visit, request.user, pk=pk).pk)


def _visit_forms(body: VisitIn, cadres) -> list:
    """The page's visit form, bound once per follow-up (the form holds one), or once."""
    visit = {"date": body.date, "visitors": body.visitors, "purpose": body.purpose}
    visit.update({name: getattr(body, name) for name in FINDINGS})
    follow_ups = [
        {"follow_up_action": f.action, "follow_up_owner": f.owner, "follow_up_due": f.due_on}
        for f in body.follow_ups
    ] or [{}]
    return [VisitForm({**visit, **extra}, cadres=cadres) for extra in follow_ups]


FOLLOW_UP_FIELDS = {
    "follow_up_action": "action",
    "follow_up_owner": "owner",
    "follow_up_due": "due_on",
}


def _form_errors(forms: list) -> dict:
    """The forms' errors: the visit's by field, each follow-up's as follow_ups.<i>.<field>."""
    errors = {}
    for index, form in enumerate(forms):
        for field, messages in form.errors.as_data().items():
            if field in FOLLOW_UP_FIELDS:
                field = f"follow_ups.{index}.{FOLLOW_UP_FIELDS[field]}"
            elif field == "__all__" and form.data.get("follow_up_action") is not None:
                # "a follow-up needs its action, owner and due date": one of them was refused
                if any(key.startswith(f"follow_ups.{index}.") for key in errors):
                    continue
                field = f"follow_ups.{index}"
            errors.setdefault(field, messages)
    return errors


def _sent_before(client_id, household) -> dict | None:
    """The visit already recorded under this client id, if any (409 if another household's)."""
    if client_id is None:
        return None
    sent = Visit.objects.filter(client_id=client_id).only("pk", "household_id").first()
    if sent is None:
        return None
    if sent.household_id != household.pk:
        raise ApiError(409, "conflict", CLIENT_ID_TAKEN)
    return _visit_detail(sent.pk)


@router.post(
    "/fieldwork/households/{int:pk}/visits/",
    response={201: VisitDetail, 200: VisitDetail, **WITH_CONFLICT},
)
def visit_create(request, pk: int, body: VisitIn):
    """Record a visit of the household with its follow-ups, all or nothing, as the visit
    page does. With a `client_id` already recorded for this household: that visit, 200."""
    need(request, Capability.EDIT_REGISTRY)
    household = _household(request, pk)
    if (sent := _sent_before(body.client_id, household)) is not None:
        return Status(200, sent)
    forms = _visit_forms(body, selectors.cadres_serving(household.village_id))
    if errors := _form_errors(forms):
        raise ValidationError(errors)
    data = forms[0].cleaned_data
    try:
        visit = services.visit_record(
            household=household,
            on=data["date"],
            visitors=data["visitors"],
            purpose=data["purpose"],
            recorded_by=request.user,
            today=timezone.localdate(),
            follow_ups=[f for form in forms if (f := form.follow_up())],
            client_id=body.client_id,
            **{name: data[name] for name in FINDINGS},
        )
    except (IntegrityError, ValidationError):
        # The same visit sent twice at once: the other request recorded it.
        if (sent := _sent_before(body.client_id, household)) is not None:
            return Status(200, sent)
        raise
    return Status(201, _visit_detail(visit.pk))


class VisitChange(Schema):
    """What a correction changes; a field left out keeps its value."""

    date: datetime.date | None = None
    visitors: list[Id] | None = None
    purpose: str | None = None
    income_change: str | None = None
    illness: str | None = None
    schooling: str | None = None
    housing: str | None = None
    water: str | None = None
    notes: str | None = None


class VisitDeletion(Schema):
    reason: str = Field(description="why the visit is deleted: kept in its history")


@router.patch("/fieldwork/visits/{int:pk}/", response={200: VisitDetail, **ERRORS})
def visit_update(request, pk: Id, body: VisitChange):
    """Correct a visit, as the visit's edit page does: its date, visitors, purpose and what
    was found (not its household, nor its follow-ups, which keep their own status)."""
    need(request, Capability.EDIT_REGISTRY)
    visit = get_scoped_or_404(Visit.objects.select_related("household"), request.user, pk=pk)
    form = VisitForm(
        form_data(VisitForm, visit, body.dict()),
        instance=visit,
        cadres=selectors.cadres_for_visit(visit),
        with_follow_up=False,
    )
    services.visit_update(visit=visit, user=request.user, today=timezone.localdate(), **valid(form))
    return _visit_detail(visit.pk)


@router.delete("/fieldwork/visits/{int:pk}/", response={204: None, **WITH_CONFLICT})
def visit_delete(request, pk: Id, body: VisitDeletion):
    """Delete a visit recorded by mistake, with the reason (the visit's delete page's):
    its open and cancelled follow-ups go with it. A visit with a follow-up done stays:
    `409 follow_ups_done` (correct it instead)."""
    need(request, Capability.EDIT_REGISTRY)
    visit = get_scoped_or_404(Visit, request.user, pk=pk)
    form = VisitDeleteForm(body.dict())
    try:
        services.visit_delete(visit=visit, user=request.user, reason=valid(form)["reason"])
    except ValidationError as error:
        refusals = getattr(error, "error_dict", {}).get("follow_ups", [])
        if any(e.code == services.FOLLOW_UP_DONE_CODE for e in refusals):
            raise ApiError(409, services.FOLLOW_UP_DONE_CODE, services.FOLLOW_UP_DONE) from None
        raise
    return Status(204, None)


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    next_cursor: str | None


class FollowUpFilters(Schema):
    status: Literal["open", "done", "cancelled"] | None = None
    overdue: bool = Field(False, description="only open follow-ups due before `on`")
    on: datetime.date | None = Field(None, description="the day for `overdue` (default today)")
    household: Id | None = None
    village: AreaCode | None = None
    owner: Id | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


@router.get("/fieldwork/follow-ups/", response={200: FollowUpPage, **ERRORS})
def follow_up_list(request, filters: Query[FollowUpFilters]):
    """Follow-ups in the user's area: `status=open` for the open ones, `overdue=true` for
    those past due (as the compliance page counts them)."""
    need(request, Capability.VIEW_REGISTRY)
    rows = FollowUp.objects.for_user(request.user).select_related("owner")
    if filters.overdue:
        rows = rows.overdue(filters.on or timezone.localdate())
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.household:
        rows = rows.filter(household_id=filters.household)
    if filters.village:
        rows = rows.filter(village_id=filters.village)
    if filters.owner:
        rows = rows.filter(owner_id=filters.owner)
    page, cursor = _by_id(rows, filters.cursor, filters.limit)
    return {"items": [_follow_up(f) for f in page], "next_cursor": cursor}


@router.post("/fieldwork/follow-ups/{int:pk}/done/", response={200: FollowUpOut, **WITH_CONFLICT})
def follow_up_done(request, pk: int):
    """Mark a follow-up done today, as the household page's button does; a follow-up done
    already is left as it is (a request sent twice changes nothing). One cancelled is not
    done: `409 follow_up_closed`."""
    need(request, Capability.EDIT_REGISTRY)
    row = get_scoped_or_404(FollowUp.objects.select_related("owner"), request.user, pk=pk)
    if row.status != FollowUpStatus.DONE:
        try:
            services.follow_up_close(
                follow_up=row, status=FollowUpStatus.DONE, on=timezone.localdate()
            )
        except ValidationError as error:
            if error.code != services.FOLLOW_UP_CLOSED_CODE:
                raise
            row.refresh_from_db()
            if row.status != FollowUpStatus.DONE:  # done meanwhile (sent twice at once): 200
                raise ApiError(
                    409, services.FOLLOW_UP_CLOSED_CODE, services.FOLLOW_UP_NOT_OPEN
                ) from None
    return _follow_up(row)


# --- household plans and measures ------------------------------------------------------------


class MeasureOut(Schema):
    id: int
    plan_year: int
    type: str
    type_name: str
    description: str
    amount: Decimal | None
    funding_source: str
    project: int | None
    start_on: datetime.date | None
    end_on: datetime.date | None
    status: str
    outcome: str


class PlanOut(Schema):
    id: int
    household: int
    year: int
    goal: str
    measures: list[MeasureOut]


class PlanIn(Schema):
    year: int
    goal: str = ""


class MeasureIn(Schema):
    year: int = Field(description="the year of the household plan the measure belongs to")
    type: str = Field(
        pattern=r"^[-a-z0-9_]{1,32}$", description="a measure type's code: industry, education, …"
    )
    description: str
    amount: Decimal | None = None
    funding_source: str = ""
    project: Id | None = None
    start_on: datetime.date | None = None
    end_on: datetime.date | None = None
    status: str = "planned"
    outcome: str = ""


def _measure(measure: Measure, year: int) -> dict:
    return {
        "id": measure.pk,
        "plan_year": year,
        "type": measure.type.code,
        "type_name": str(measure.type),
        "description": measure.description,
        "amount": measure.amount,
        "funding_source": measure.funding_source,
        "project": measure.project_id,
        "start_on": measure.start_on,
        "end_on": measure.end_on,
        "status": measure.status,
        "outcome": measure.outcome,
    }


def _plan(plan: AssistancePlan) -> dict:
    return {
        "id": plan.pk,
        "household": plan.household_id,
        "year": plan.year,
        "goal": plan.goal,
        "measures": [_measure(m, plan.year) for m in plan.measures.all()],
    }


def _plans_of(household) -> list[dict]:
    plans = household.assistance_plans.prefetch_related(
        Prefetch("measures", queryset=Measure.objects.select_related("type"))
    )
    return [_plan(p) for p in plans.order_by("-year")]


@router.get("/fieldwork/households/{int:pk}/plans/", response={200: list[PlanOut], **ERRORS})
def plan_list(request, pk: int):
    """The household's plans (一户一策), latest year first, each with its measures."""
    need(request, Capability.VIEW_REGISTRY)
    return _plans_of(_household(request, pk))


@router.post("/fieldwork/households/{int:pk}/plans/", response={200: PlanOut, **ERRORS})
def plan_set(request, pk: int, body: PlanIn):
    """The household's plan of a year with this goal: made if it is not there yet."""
    need(request, Capability.EDIT_REGISTRY)
    household = _household(request, pk)
    form = AssistancePlanForm(body.dict())
    if not form.is_valid():
        raise _invalid(form)
    plan = services.assistance_plan_for(
        household=household, year=form.cleaned_data["year"], goal=form.cleaned_data["goal"]
    )
    return _plan(plan)


@router.post("/fieldwork/households/{int:pk}/measures/", response={201: MeasureOut, **ERRORS})
def measure_create(request, pk: int, body: MeasureIn):
    """Add a measure to the household's plan of a year, as the measure page does."""
    need(request, Capability.EDIT_REGISTRY)
    household = _household(request, pk)
    data = body.dict()
    kind = MeasureType.objects.filter(code=data["type"], active=True).first()
    data["type"] = kind.pk if kind else data["type"]
    form = MeasureForm(
        {name: value for name, value in data.items() if value is not None},
        projects=selectors.projects_serving(household.village_id),
    )
    if not form.is_valid():
        raise _invalid(form)
    fields = dict(form.cleaned_data)
    measure = services.measure_add(household=household, year=fields.pop("year"), **fields)
    return Status(201, _measure(measure, measure.plan.year))


class MeasureChange(Schema):
    """What a change of a measure sets; a field left out keeps its value."""

    type: str | None = Field(None, pattern=r"^[-a-z0-9_]{1,32}$", description="a type's code")
    description: str | None = None
    amount: Decimal | None = None
    funding_source: str | None = None
    project: Id | None = None
    start_on: datetime.date | None = None
    end_on: datetime.date | None = None
    status: str | None = None
    outcome: str | None = None


@router.patch("/fieldwork/measures/{int:pk}/", response={200: MeasureOut, **ERRORS})
def measure_update(request, pk: Id, body: MeasureChange):
    """Change a measure, as the measure's edit page does: its status and outcome, amount,
    dates… (not its plan)."""
    need(request, Capability.EDIT_REGISTRY)
    measure = get_scoped_or_404(Measure.objects.select_related("plan"), request.user, pk=pk)
    given = body.dict()
    if given["type"] is not None:
        kind = MeasureType.objects.filter(code=given["type"]).first()
        given["type"] = kind.pk if kind else given["type"]
    form = MeasureForm(
        form_data(MeasureForm, measure, given),
        instance=measure,
        projects=selectors.projects_serving(measure.village_id),
    )
    changed = services.measure_update(measure=measure, user=request.user, **valid(form))
    return _measure(Measure.objects.select_related("type").get(pk=changed.pk), changed.plan.year)


# --- compliance ------------------------------------------------------------------------------


class VillageFigures(Schema):
    village: str
    households_due: int
    overdue: int
    follow_ups_overdue: int


class CadreFigures(Schema):
    cadre: int | None
    households_due: int
    overdue: int


class ComplianceOut(Schema):
    area: str
    on: datetime.date
    policy: dict[str, int]
    households_due: int
    overdue: int
    follow_ups_overdue: int
    by_village: list[VillageFigures]
    by_cadre: list[CadreFigures]
    computed_at: datetime.datetime | None = Field(
        None, description="when the oldest of its villages' figures were computed"
    )


class ComplianceFilters(Schema):
    area: AreaCode | None = Field(None, description="an area in the user's (default: theirs)")
    on: datetime.date | None = Field(
        None, ge=datetime.date(2000, 1, 1), description="the day (default: today)"
    )


@router.get("/fieldwork/compliance/", response={200: ComplianceOut, **ERRORS})
def compliance_figures(request, filters: Query[ComplianceFilters]):
    """The compliance page's and `fupin visit-compliance --json`'s figures, for an area."""
    need(request, Capability.VIEW_REGISTRY)
    user = request.user
    code = filters.area or user.area_id
    if code:
        area = get_scoped_or_404(Area, user, code=code)
    else:  # an all-areas administrator without an area: the first county, as the page does
        area = Area.objects.filter(level=areacodes.Level.COUNTY).order_by("code").first()
        if area is None:
            raise ApiError(404, "not_found", _("Not found."))
    return compliance(area.code, filters.on or timezone.localdate()).as_json()
