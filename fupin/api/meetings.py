"""Meetings and activities with their decisions, mediation cases with their steps, and the
Spring Festival list's entries with what was given: read with the pages' scoping, written
through the pages' forms and services (validation, history)."""

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from fupin.api.access import need
from fupin.api.binding import form_data, valid
from fupin.api.errors import ERRORS, ApiError
from fupin.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode, keyset_page
from fupin.api.types import AreaCode, Id, Slug
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.fieldwork import festival, selectors, services
from fupin.fieldwork.forms import (
    DecisionForm,
    FestivalGiftForm,
    MediationCaseForm,
    MediationStepForm,
    MeetingForm,
)
from fupin.fieldwork.models import (
    DisputeType,
    FestivalVisit,
    FollowUp,
    MediationCase,
    MediationStep,
    Meeting,
    MeetingType,
)
from fupin.registry.models import Member

router = Router()

Year = Annotated[int, Field(ge=2000, le=2100)]


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _village(request, code: str) -> Area:
    return get_scoped_or_404(Area, request.user, code=code)


def _by_id(rows, cursor: str | None, limit: int):
    """Keyset pages by id: a cursor that is not one of ours is a 400, not a 500."""
    if cursor:
        key = decode(cursor)
        if not key.isdigit() or len(key) > 18:
            raise ApiError(400, "bad_cursor", _("The cursor is not valid."))
    return keyset_page(rows, "id", cursor, _limit(limit))


def _kind_pk(model, code: str):
    """The type's key for the form ("" for an unknown code, which the form refuses)."""
    return model.objects.filter(code=code).values_list("pk", flat=True).first() or ""


def _valid(form) -> dict:
    """The page's form, given what the page would post: its rules, its messages."""
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return dict(form.cleaned_data)


def _post(values: dict) -> dict:
    """A schema's values as a form posts them: no None, dates as text."""
    return {
        name: value.isoformat() if isinstance(value, datetime.date) else value
        for name, value in values.items()
        if value is not None
    }


class NamedMember(Schema):
    id: int
    name: str
    household: int


def _named(member) -> dict:
    return {"id": member.pk, "name": member.name, "household": member.household_id}


# --- meetings -------------------------------------------------------------------------------


class DecisionOut(Schema):
    id: int
    action: str
    owner: int
    due_on: datetime.date
    status: str
    done_on: datetime.date | None


class MeetingOut(Schema):
    id: int
    village: str
    type: str
    date: datetime.date
    place: str
    topic: str
    participant_count: int


class MeetingDetail(MeetingOut):
    minutes: str
    members: list[NamedMember]
    decisions: list[DecisionOut]


class MeetingPage(Schema):
    items: list[MeetingOut]
    next_cursor: str | None


class MeetingFilters(Schema):
    village: AreaCode | None = None
    type: Slug | None = None
    year: Year | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class MeetingNew(Schema):
    village: AreaCode
    type: Slug
    date: datetime.date
    topic: str
    place: str = ""
    participant_count: Annotated[int, Field(ge=0, le=100000)] = 0
    members: list[Id] = []
    minutes: str = ""


class DecisionNew(Schema):
    action: str
    owner: Id
    due_on: datetime.date


def _meeting(meeting) -> dict:
    return {
        "id": meeting.pk,
        "village": meeting.village_id,
        "type": meeting.type.code,
        "date": meeting.date,
        "place": meeting.place,
        "topic": meeting.topic,
        "participant_count": meeting.participant_count,
    }


def _decision(row) -> dict:
    return {
        "id": row.pk,
        "action": row.action,
        "owner": row.owner_id,
        "due_on": row.due_on,
        "status": row.status,
        "done_on": row.done_on,
    }


@router.get("/fieldwork/meetings/", response={200: MeetingPage, **ERRORS}, tags=["fieldwork"])
def meeting_list(request, filters: Query[MeetingFilters]):
    """The meetings of the user's area, a page at a time (by id); `type` is a type's code."""
    need(request, Capability.VIEW_REGISTRY)
    meetings = Meeting.objects.for_user(request.user).select_related("type")
    if filters.village:
        meetings = meetings.filter(village=filters.village)
    if filters.type:
        meetings = meetings.filter(type__code=filters.type)
    if filters.year:
        meetings = meetings.filter(date__year=filters.year)
    rows, cursor = _by_id(meetings, filters.cursor, filters.limit)
    return {"items": [_meeting(m) for m in rows], "next_cursor": cursor}


@router.get(
    "/fieldwork/meetings/{int:pk}/", response={200: MeetingDetail, **ERRORS}, tags=["fieldwork"]
)
def meeting_detail(request, pk: int):
    """A meeting with its minutes, the members named and its decisions."""
    need(request, Capability.VIEW_REGISTRY)
    meeting = get_scoped_or_404(
        Meeting.objects.select_related("type").prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("pk")),
            Prefetch("decisions", queryset=FollowUp.objects.order_by("due_on", "pk")),
        ),
        request.user,
        pk=pk,
    )
    return {
        **_meeting(meeting),
        "minutes": meeting.minutes,
        "members": [_named(m) for m in meeting.members.all()],
        "decisions": [_decision(d) for d in meeting.decisions.all()],
    }


@router.post("/fieldwork/meetings/", response={201: MeetingDetail, **ERRORS}, tags=["fieldwork"])
def meeting_create(request, body: MeetingNew):
    """Record a meeting in one of the user's villages, as the page's form does."""
    need(request, Capability.EDIT_REGISTRY)
    village = _village(request, body.village)
    given = _post(body.dict(exclude={"village"}))
    given["type"] = _kind_pk(MeetingType, body.type)
    data = _valid(MeetingForm(given, members=selectors.village_members(village.code)))
    meeting = services.meeting_save(
        village=village,
        members=data.pop("members"),
        today=timezone.localdate(),
        recorded_by=request.user,
        **data,
    )
    return Status(201, meeting_detail(request, meeting.pk))


@router.post(
    "/fieldwork/meetings/{int:pk}/decisions/",
    response={201: DecisionOut, **ERRORS},
    tags=["fieldwork"],
)
def meeting_decision_add(request, pk: int, body: DecisionNew):
    """A decision of the meeting: a follow-up with its owner (a cadre) and due date."""
    need(request, Capability.EDIT_REGISTRY)
    meeting = get_scoped_or_404(Meeting, request.user, pk=pk)
    cadres = selectors.cadres_serving(meeting.village_id)
    data = _valid(DecisionForm(_post(body.dict()), cadres=cadres))
    row = services.meeting_decision_add(meeting=meeting, **data)
    return Status(201, _decision(row))


class MeetingChange(Schema):
    """What a change of a meeting sets; a field left out keeps its value."""

    type: Slug | None = None
    date: datetime.date | None = None
    topic: str | None = None
    place: str | None = None
    participant_count: Annotated[int, Field(ge=0, le=100000)] | None = None
    members: list[Id] | None = None
    minutes: str | None = None


@router.patch(
    "/fieldwork/meetings/{int:pk}/", response={200: MeetingDetail, **ERRORS}, tags=["fieldwork"]
)
def meeting_update(request, pk: Id, body: MeetingChange):
    """Change a meeting, as its edit page does: its type, date, topic, place, minutes and
    who took part (not its village, nor its decisions, which keep their own status)."""
    need(request, Capability.EDIT_REGISTRY)
    meeting = get_scoped_or_404(Meeting.objects.select_related("village"), request.user, pk=pk)
    given = body.dict()
    if given["type"] is not None:
        given["type"] = _kind_pk(MeetingType, given["type"])
    form = MeetingForm(
        form_data(MeetingForm, meeting, given),
        instance=meeting,
        members=selectors.village_members(meeting.village_id),
    )
    data = dict(valid(form))
    services.meeting_save(
        meeting=meeting,
        village=meeting.village,
        members=data.pop("members"),
        today=timezone.localdate(),
        recorded_by=request.user,
        **data,
    )
    return meeting_detail(request, meeting.pk)


# --- mediation cases ------------------------------------------------------------------------


class StepOut(Schema):
    id: int
    date: datetime.date
    description: str
    by: int | None


class CaseOut(Schema):
    id: int
    village: str
    type: str
    petition: bool
    received_on: datetime.date
    parties: str
    mediator: int | None
    status: str
    outcome: str
    closed_on: datetime.date | None


class CaseDetail(CaseOut):
    summary: str
    party_members: list[NamedMember]
    steps: list[StepOut]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class CaseFilters(Schema):
    village: AreaCode | None = None
    status: Slug | None = None
    type: Slug | None = None
    year: Year | None = None
    petition: bool | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class CaseNew(Schema):
    village: AreaCode
    type: Slug
    received_on: datetime.date
    parties: str
    summary: str
    petition: bool = False
    party_members: list[Id] = []
    mediator: Id | None = None
    status: Slug = "open"
    outcome: str = ""
    closed_on: datetime.date | None = None


class StepNew(Schema):
    date: datetime.date
    description: str
    by: Id | None = None


def _case(case) -> dict:
    return {
        "id": case.pk,
        "village": case.village_id,
        "type": case.type.code,
        "petition": case.petition,
        "received_on": case.received_on,
        "parties": case.parties,
        "mediator": case.mediator_id,
        "status": case.status,
        "outcome": case.outcome,
        "closed_on": case.closed_on,
    }


def _step(step) -> dict:
    return {"id": step.pk, "date": step.date, "description": step.description, "by": step.by_id}


@router.get("/fieldwork/mediation-cases/", response={200: CasePage, **ERRORS}, tags=["fieldwork"])
def mediation_case_list(request, filters: Query[CaseFilters]):
    """The mediation cases (and petitions) of the user's area, a page at a time (by id)."""
    need(request, Capability.VIEW_REGISTRY)
    cases = MediationCase.objects.for_user(request.user).select_related("type")
    if filters.village:
        cases = cases.filter(village=filters.village)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.type:
        cases = cases.filter(type__code=filters.type)
    if filters.year:
        cases = cases.filter(received_on__year=filters.year)
    if filters.petition is not None:
        cases = cases.filter(petition=filters.petition)
    rows, cursor = _by_id(cases, filters.cursor, filters.limit)
    return {"items": [_case(c) for c in rows], "next_cursor": cursor}


@router.get(
    "/fieldwork/mediation-cases/{int:pk}/",
    response={200: CaseDetail, **ERRORS},
    tags=["fieldwork"],
)
def mediation_case_detail(request, pk: int):
    """A case with what it is about, the parties in the registry and its steps."""
    need(request, Capability.VIEW_REGISTRY)
    case = get_scoped_or_404(
        MediationCase.objects.select_related("type").prefetch_related(
            Prefetch("party_members", queryset=Member.objects.order_by("pk")),
            Prefetch("steps", queryset=MediationStep.objects.order_by("date", "pk")),
        ),
        request.user,
        pk=pk,
    )
    return {
        **_case(case),
        "summary": case.summary,
        "party_members": [_named(m) for m in case.party_members.all()],
        "steps": [_step(s) for s in case.steps.all()],
    }


@router.post(
    "/fieldwork/mediation-cases/", response={201: CaseDetail, **ERRORS}, tags=["fieldwork"]
)
def mediation_case_create(request, body: CaseNew):
    """Open a case (or record a petition) in one of the user's villages."""
    need(request, Capability.EDIT_REGISTRY)
    village = _village(request, body.village)
    given = _post(body.dict(exclude={"village"}))
    given["type"] = _kind_pk(DisputeType, body.type)
    form = MediationCaseForm(
        given,
        members=selectors.village_members(village.code),
        cadres=selectors.cadres_serving(village.code),
    )
    data = _valid(form)
    case = services.mediation_case_save(
        village=village,
        party_members=data.pop("party_members"),
        today=timezone.localdate(),
        recorded_by=request.user,
        **data,
    )
    return Status(201, mediation_case_detail(request, case.pk))


@router.post(
    "/fieldwork/mediation-cases/{int:pk}/steps/",
    response={201: StepOut, **ERRORS},
    tags=["fieldwork"],
)
def mediation_step_add(request, pk: int, body: StepNew):
    """A dated step of the case; the first step of an open case starts its mediation."""
    need(request, Capability.EDIT_REGISTRY)
    case = get_scoped_or_404(MediationCase, request.user, pk=pk)
    form = MediationStepForm(_post(body.dict()), cadres=selectors.cadres_serving(case.village_id))
    data = _valid(form)
    step = services.mediation_step_add(
        case=case,
        on=data["date"],
        description=data["description"],
        by=data["by"],
        today=timezone.localdate(),
    )
    return Status(201, _step(step))


class CaseChange(Schema):
    """What a change of a case sets (to resolve, refer or close it: its status, outcome and
    closing day); a field left out keeps its value."""

    type: Slug | None = None
    petition: bool | None = None
    received_on: datetime.date | None = None
    parties: str | None = None
    summary: str | None = None
    party_members: list[Id] | None = None
    mediator: Id | None = None
    status: Slug | None = None
    outcome: str | None = None
    closed_on: datetime.date | None = None


@router.patch(
    "/fieldwork/mediation-cases/{int:pk}/",
    response={200: CaseDetail, **ERRORS},
    tags=["fieldwork"],
)
def mediation_case_update(request, pk: Id, body: CaseChange):
    """Change a case, as its edit page does: a resolved or referred case without a closing
    day given is closed today; one reopened loses its closing day."""
    need(request, Capability.EDIT_REGISTRY)
    case = get_scoped_or_404(MediationCase.objects.select_related("village"), request.user, pk=pk)
    given = body.dict()
    if given["type"] is not None:
        given["type"] = _kind_pk(DisputeType, given["type"])
    form = MediationCaseForm(
        form_data(MediationCaseForm, case, given),
        instance=case,
        members=selectors.village_members(case.village_id),
        cadres=selectors.cadres_serving(case.village_id),
    )
    data = dict(valid(form))
    services.mediation_case_save(
        case=case,
        village=case.village,
        party_members=data.pop("party_members"),
        today=timezone.localdate(),
        recorded_by=request.user,
        **data,
    )
    return mediation_case_detail(request, case.pk)


# --- the Spring Festival list ---------------------------------------------------------------


class FestivalEntryOut(Schema):
    id: int
    village: str
    year: int
    category: str
    name: str
    # Who the entry is: a household (its head signs), a person of it, or a cadre; by key
    # and household number only (never an ID number).
    household: int | None
    household_no: str | None
    member: int | None
    cadre: int | None
    gift_kind: str
    gift: str
    value: Decimal | None
    given_by: int | None
    given_on: datetime.date | None
    signed: bool


class FestivalEntryPage(Schema):
    items: list[FestivalEntryOut]
    next_cursor: str | None


class FestivalFilters(Schema):
    year: Year | None = None
    village: AreaCode | None = None
    category: Slug | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class GiftIn(Schema):
    """What was given, as the list's gift form records it (all of it: a gift left out is
    cleared)."""

    gift_kind: Literal["money", "goods", ""] = Field(description="money or goods")
    gift: str = ""
    value: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    given_by: Id | None = Field(None, description="a cadre of the village or above")
    given_on: datetime.date | None = Field(None, description="the day (default: today)")
    signed: bool = False


def _entries():
    return FestivalVisit.objects.select_related("festival_list", "household")


def _entry(entry) -> dict:
    return {
        "id": entry.pk,
        "village": entry.village_id,
        "year": entry.festival_list.year,
        "category": entry.category,
        "name": entry.name,
        "household": entry.household_id,
        "household_no": entry.household.household_no if entry.household else None,
        "member": entry.member_id,
        "cadre": entry.cadre_id,
        "gift_kind": entry.gift_kind,
        "gift": entry.gift,
        "value": entry.value,
        "given_by": entry.given_by_id,
        "given_on": entry.given_on,
        "signed": entry.signed,
    }


@router.get(
    "/fieldwork/festival-entries/",
    response={200: FestivalEntryPage, **ERRORS},
    tags=["fieldwork"],
)
def festival_entry_list(request, filters: Query[FestivalFilters]):
    """The Spring Festival lists' entries in the user's area, a page at a time (by id)."""
    need(request, Capability.VIEW_REGISTRY)
    entries = _entries().for_user(request.user)
    if filters.year:
        entries = entries.filter(festival_list__year=filters.year)
    if filters.village:
        entries = entries.filter(village=filters.village)
    if filters.category:
        entries = entries.filter(category=filters.category)
    rows, cursor = _by_id(entries, filters.cursor, filters.limit)
    return {"items": [_entry(e) for e in rows], "next_cursor": cursor}


@router.post(
    "/fieldwork/festival-entries/{int:pk}/visit/",
    response={200: FestivalEntryOut, **ERRORS},
    tags=["fieldwork"],
)
def festival_entry_visit(request, pk: Id, body: GiftIn):
    """Record what was given to an entry, as the list page's gift form does: money or goods
    with its value, by which cadre, on which day, and whether the receiver signed."""
    need(request, Capability.EDIT_REGISTRY)
    entry = get_scoped_or_404(_entries(), request.user, pk=pk)
    given = body.dict()
    given["given_on"] = given["given_on"] or entry.given_on or timezone.localdate()
    form = FestivalGiftForm(
        form_data(FestivalGiftForm, None, given),
        instance=entry,
        cadres=festival.givers_for(entry.village_id),
    )
    data = valid(form)
    festival.festival_visit_record(
        entry=entry,
        gift_kind=data["gift_kind"],
        gift=data["gift"],
        value=data["value"],
        given_by=data["given_by"],
        given_on=data["given_on"],
        signed=data["signed"],
        user=request.user,
    )
    return _entry(entry)
