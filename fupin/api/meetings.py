"""Meetings and activities with their decisions, and mediation cases with their steps: read
with the pages' scoping, written through the pages' services (validation, history)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from fupin.api.access import need
from fupin.api.errors import ERRORS
from fupin.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.fieldwork import selectors, services
from fupin.fieldwork.models import (
    DisputeType,
    FollowUp,
    MediationCase,
    MediationStep,
    Meeting,
    MeetingType,
)
from fupin.registry.models import Member

router = Router()


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _village(request, code: str) -> Area:
    return get_scoped_or_404(Area, request.user, code=code)


def _kind(model, code: str, field: str):
    kind = model.objects.filter(code=code, active=True).first()
    if kind is None:
        raise ValidationError({field: services.UNKNOWN_TYPE})
    return kind


def _members(request, ids: list[int], field: str) -> list:
    """The members named, among those the user may see: one they may not is an error."""
    found = list(Member.objects.for_user(request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({field: services.MEMBER_OUTSIDE})
    return found


def _cadre(code: str, pk: int | None, field: str):
    if pk is None:
        return None
    cadre = selectors.cadres_serving(code).filter(pk=pk).first()
    if cadre is None:
        raise ValidationError({field: services.CADRE_OUTSIDE_VILLAGE})
    return cadre


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
    village: str | None = None
    type: str | None = None
    year: int | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class MeetingNew(Schema):
    village: str
    type: str
    date: datetime.date
    topic: str
    place: str = ""
    participant_count: int = 0
    members: list[int] = []
    minutes: str = ""


class DecisionNew(Schema):
    action: str
    owner: int
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
    rows, cursor = keyset_page(meetings, "id", filters.cursor, _limit(filters.limit))
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
    data = body.dict(exclude={"village", "type", "members"})
    meeting = services.meeting_save(
        village=village,
        type=_kind(MeetingType, body.type, "type"),
        members=_members(request, body.members, "members"),
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
    row = services.meeting_decision_add(
        meeting=meeting,
        action=body.action,
        owner=_cadre(meeting.village_id, body.owner, "owner"),
        due_on=body.due_on,
    )
    return Status(201, _decision(row))


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
    village: str | None = None
    status: str | None = None
    type: str | None = None
    year: int | None = None
    petition: bool | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


class CaseNew(Schema):
    village: str
    type: str
    received_on: datetime.date
    parties: str
    summary: str
    petition: bool = False
    party_members: list[int] = []
    mediator: int | None = None
    status: str = "open"
    outcome: str = ""
    closed_on: datetime.date | None = None


class StepNew(Schema):
    date: datetime.date
    description: str
    by: int | None = None


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
    rows, cursor = keyset_page(cases, "id", filters.cursor, _limit(filters.limit))
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
    data = body.dict(exclude={"village", "type", "party_members", "mediator"})
    case = services.mediation_case_save(
        village=village,
        type=_kind(DisputeType, body.type, "type"),
        party_members=_members(request, body.party_members, "party_members"),
        mediator=_cadre(village.code, body.mediator, "mediator"),
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
    step = services.mediation_step_add(
        case=case,
        on=body.date,
        description=body.description,
        by=_cadre(case.village_id, body.by, "by"),
        today=timezone.localdate(),
    )
    return Status(201, _step(step))
