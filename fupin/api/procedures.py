"""Procedures: list and filter, one with its steps, start one, record the next step, reverse a
step, raise and resolve objections — the procedures' services and selectors behind the API's
tokens, scoping and error shape. A step the rules refuse answers 409 with the rule's machine
code (`step_out_of_order`, `notice_period_running`, `objection_open`, …) and its message in
the request's language; a role that does not act at the step 403 (`wrong_role`); a
procedure outside the user's area 404."""

import base64
import binascii
import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from fupin import areacodes
from fupin.api.access import need
from fupin.api.errors import ERRORS, ApiError, Error
from fupin.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode, encode
from fupin.api.types import AreaCode, Slug
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.procedures import queries, rules, selectors, services
from fupin.procedures.errors import message
from fupin.procedures.models import Kind, Objection, Procedure, RiskType
from fupin.registry.models import Household

router = Router()
WRITE_ERRORS = {**ERRORS, 409: Error}


def _acting(request) -> None:
    """403 for a role that acts at no step of any procedure (inspectors, bureaus, the
    administrator), before anything is looked up."""
    if request.user.role not in services.PROCEDURE_ROLES:
        raise PermissionDenied


def _refused(error: services.StepRefused):
    fields = {"__all__": error.messages} if len(error.refusals) > 1 else None
    if error.status == 404:
        return ApiError(404, "not_found", _("Not found."))
    return ApiError(error.status, error.code, error.message, fields)


class StepOut(Schema):
    id: int
    step: str
    step_name: str
    order: int
    date: datetime.date
    actor: str | None
    recorded_at: datetime.datetime
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    attendance: int | None
    eligible: int | None
    note: str
    notice_id: int | None
    notice_ends_on: datetime.date | None
    batch_id: int | None
    assessment_run_id: int | None
    override_reason: str
    checks: dict
    attachments: list[str]
    reversed_at: datetime.datetime | None
    reversed_by: str | None
    reverse_reason: str


class ObjectionOut(Schema):
    id: int
    notice_id: int | None
    raised_on: datetime.date
    raised_by: str
    anonymous: bool
    content: str
    handling: str
    resolution: str
    resolved_at: datetime.datetime | None


class ProcedureOut(Schema):
    id: int
    household: int
    household_no: str
    village: str
    kind: str
    year: int
    status: str
    step: str | None
    step_order: int
    source: str
    monitoring_kind: str
    started_on: datetime.date
    closed_on: datetime.date | None
    updated_at: datetime.datetime


class ProcedureDetail(ProcedureOut):
    next_step: str | None
    next_step_name: str | None
    risk_types: list[str]
    withdraw_reason: str
    steps: list[StepOut]
    objections: list[ObjectionOut]


class ProcedurePage(Schema):
    items: list[ProcedureOut]
    next_cursor: str | None


class ProcedureFilters(Schema):
    kind: Slug | None = None
    step: Slug | None = None
    area: AreaCode | None = None
    year: int | None = None
    status: Slug | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


def _procedure(p: Procedure) -> dict:
    return {
        "id": p.pk,
        "household": p.household_id,
        "household_no": p.household.household_no,
        "village": p.village_id,
        "kind": p.kind,
        "year": p.year,
        "status": p.status,
        "step": p.step.code if p.step_id else None,
        "step_order": p.step_order,
        "source": p.source,
        "monitoring_kind": p.monitoring_kind,
        "started_on": p.started_on,
        "closed_on": p.closed_on,
        "updated_at": p.updated_at,
    }


def _step(r) -> dict:
    return {
        "id": r.pk,
        "step": r.step.code,
        "step_name": str(r.step),
        "order": r.step.order,
        "date": r.date,
        "actor": _name(r.actor),
        "recorded_at": r.recorded_at,
        "votes_for": r.votes_for,
        "votes_against": r.votes_against,
        "votes_abstain": r.votes_abstain,
        "attendance": r.attendance,
        "eligible": r.eligible,
        "note": r.note,
        "notice_id": r.notice_id,
        "notice_ends_on": r.notice.ends_on if r.notice_id else None,
        "batch_id": r.batch_id,
        "assessment_run_id": r.assessment_run_id,
        "override_reason": r.override_reason,
        "checks": r.checks,
        "attachments": [a.name for a in r.attachments.all()],
        "reversed_at": r.reversed_at,
        "reversed_by": _name(r.reversed_by),
        "reverse_reason": r.reverse_reason,
    }


def _objection(o: Objection) -> dict:
    return {
        "id": o.pk,
        "notice_id": o.notice_id,
        "raised_on": o.raised_on,
        "raised_by": o.raised_by,
        "anonymous": o.anonymous,
        "content": o.content,
        "handling": o.handling,
        "resolution": o.resolution,
        "resolved_at": o.resolved_at,
    }


def _cursor(cursor: str | None) -> tuple[str, int] | None:
    """A page's key: the last row's (village, id). The listing is ordered by village, then
    id, which one index serves in order for any area: no sort of a county's rows."""
    if not cursor:
        return None
    village, _colon, pk = decode(cursor).partition(":")
    if not village.isdigit() or not pk.isdigit():
        raise ApiError(400, "bad_cursor", _("The cursor is not valid."))
    return village, int(pk)


def _is_code(code: str) -> bool:
    try:
        areacodes.level_of(code)
    except areacodes.AreaCodeError:
        return False
    return True


@router.get("/procedures/", response={200: ProcedurePage, **ERRORS}, tags=["procedures"])
def procedure_list(request, filters: Query[ProcedureFilters]):
    """The procedures the user may see, filtered by kind, last step (its code), area (any
    code in the user's subtree), year and status; by village and id, a page at a time."""
    need(request, Capability.VIEW_REGISTRY)
    if filters.area and (not _is_code(filters.area) or not request.user.may_see_area(filters.area)):
        raise ApiError(404, "not_found", _("Not found."))
    found = selectors.procedure_list(
        request.user,
        kind=filters.kind,
        step=filters.step,
        area=filters.area,
        year=filters.year,
        status=filters.status,
    )
    after = _cursor(filters.cursor)
    if after is not None:
        village, pk = after
        found = found.filter(Q(village_id__gt=village) | Q(village_id=village, pk__gt=pk))
    limit = max(1, min(filters.limit, MAX_LIMIT))
    rows = list(found.order_by("village_id", "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    return {
        "items": [_procedure(p) for p in rows],
        "next_cursor": encode(f"{last.village_id}:{last.pk}") if more else None,
    }


def _detail(request, pk: int) -> dict:
    try:
        procedure = selectors.procedure_detail(request.user, pk)
    except Procedure.DoesNotExist:
        raise ApiError(404, "not_found", _("Not found.")) from None
    following = selectors.next_step_of(procedure) if procedure.status == "open" else None
    data = _procedure(procedure)
    data.update(
        next_step=following.code if following else None,
        next_step_name=str(following) if following else None,
        risk_types=[t.code for t in procedure.risk_types.all()],
        withdraw_reason=procedure.withdraw_reason,
        steps=[_step(r) for r in procedure.records.all()],
        objections=[_objection(o) for o in procedure.objections.all()],
    )
    return data


@router.get("/procedures/{int:pk}/", response={200: ProcedureDetail, **ERRORS}, tags=["procedures"])
def procedure_detail(request, pk: int):
    """One procedure with every step recorded (reversed ones too) and its objections."""
    need(request, Capability.VIEW_REGISTRY)
    return _detail(request, pk)


class ProcedureNew(Schema):
    household: int
    kind: str
    year: int
    date: datetime.date | None = None
    source: str = ""
    monitoring_kind: str = ""
    risk_types: list[str] = []
    note: str = ""


@router.post("/procedures/", response={201: ProcedureDetail, **WRITE_ERRORS}, tags=["procedures"])
def procedure_start(request, body: ProcedureNew):
    """Start a procedure for a household of the user's area (the first step's roles)."""
    need(request, Capability.VIEW_REGISTRY, Capability.TAKE_STEPS)
    _acting(request)
    if body.kind not in Kind.values:
        raise ApiError(422, "invalid", _("The data is not valid."), {"kind": [body.kind]})
    if request.user.role not in queries.starting_roles(body.kind):
        raise ApiError(403, "wrong_role", message("wrong_role"))
    household = get_scoped_or_404(Household, request.user, pk=body.household)
    types = list(RiskType.objects.filter(code__in=body.risk_types, active=True))
    if len(types) != len(set(body.risk_types)):
        raise ApiError(422, "invalid", _("The data is not valid."), {"risk_types": body.risk_types})
    try:
        procedure = services.procedure_start(
            household=household,
            kind=body.kind,
            year=body.year,
            user=request.user,
            on=body.date,
            source=body.source,
            monitoring_kind=body.monitoring_kind,
            risk_types=types,
            note=body.note,
        )
    except services.StepRefused as error:
        raise _refused(error) from None
    return Status(201, _detail(request, procedure.pk))


class Document(Schema):
    name: str
    content_base64: str


class StepNew(Schema):
    """The step the actor means (its code: a step recorded meanwhile by someone else is then
    refused, not passed over), its date (default today) and what the step records."""

    step: str
    date: datetime.date | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    attendance: int | None = None
    eligible: int | None = None
    note: str = ""
    override_reason: str = ""
    exclusion_resolution: str = ""
    stable_months: int | None = None
    notice_place: str = ""
    notice_object_to: str = ""
    documents: list[Document] = []


def _votes(body: StepNew) -> rules.Votes | None:
    values = (body.votes_for, body.votes_against, body.votes_abstain, body.attendance)
    if all(value is None for value in (*values, body.eligible)):
        return None
    return rules.Votes(
        votes_for=body.votes_for or 0,
        against=body.votes_against or 0,
        abstain=body.votes_abstain or 0,
        attendance=body.attendance or 0,
        eligible=body.eligible or 0,
    )


def _documents(documents: list[Document]) -> list[ContentFile]:
    files = []
    for document in documents:
        try:
            content = base64.b64decode(document.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ApiError(
                422, "invalid", _("The data is not valid."), {"documents": [document.name]}
            ) from None
        name = document.name.replace("/", "_").replace("\\", "_")[:100] or "document"
        files.append(ContentFile(content, name=name))
    return files


def _own_procedure(request, pk: int) -> Procedure:
    return get_scoped_or_404(Procedure, request.user, pk=pk)


@router.post(
    "/procedures/{int:pk}/steps/", response={201: StepOut, **WRITE_ERRORS}, tags=["procedures"]
)
def step_record(request, pk: int, body: StepNew):
    """Record the next step. Refused by the rules: 409 with the machine code; a role that
    does not act at the step: 403; outside the user's area: 404."""
    need(request, Capability.VIEW_REGISTRY, Capability.TAKE_STEPS)
    _acting(request)
    procedure = _own_procedure(request, pk)
    try:
        made = services.step_record(
            procedure=procedure,
            step_code=body.step,
            user=request.user,
            on=body.date,
            votes=_votes(body),
            note=body.note,
            documents=_documents(body.documents),
            override_reason=body.override_reason,
            exclusion_resolution=body.exclusion_resolution,
            stable_months=body.stable_months,
            notice_place=body.notice_place,
            notice_object_to=body.notice_object_to,
        )
    except services.StepRefused as error:
        raise _refused(error) from None
    made = (
        procedure.records.select_related("step", "actor", "notice", "reversed_by")
        .prefetch_related("attachments")
        .get(pk=made.pk)
    )
    return Status(201, _step(made))


class Reversal(Schema):
    reason: str


@router.post(
    "/procedures/{int:pk}/steps/{int:record}/reverse/",
    response={200: StepOut, **WRITE_ERRORS},
    tags=["procedures"],
)
def step_reverse(request, pk: int, record: int, body: Reversal):
    """Reverse the latest step recorded, with the reason the history keeps."""
    need(request, Capability.VIEW_REGISTRY, Capability.TAKE_STEPS)
    _acting(request)
    procedure = _own_procedure(request, pk)
    found = get_scoped_or_404(procedure.records.all(), request.user, pk=record)
    try:
        services.step_reverse(record=found, user=request.user, reason=body.reason)
    except services.StepRefused as error:
        raise _refused(error) from None
    found = (
        procedure.records.select_related("step", "actor", "notice", "reversed_by")
        .prefetch_related("attachments")
        .get(pk=found.pk)
    )
    return _step(found)


class ObjectionNew(Schema):
    content: str
    raised_by: str = ""
    contact: str = ""
    raised_on: datetime.date | None = None


@router.post(
    "/procedures/{int:pk}/objections/",
    response={201: ObjectionOut, **WRITE_ERRORS},
    tags=["procedures"],
)
def objection_raise(request, pk: int, body: ObjectionNew):
    """Record an objection (anonymous when `raised_by` is blank): it holds the procedure."""
    need(request, Capability.VIEW_REGISTRY, Capability.TAKE_STEPS)
    _acting(request)
    procedure = _own_procedure(request, pk)
    try:
        objection = services.objection_raise(
            procedure=procedure,
            user=request.user,
            content=body.content,
            raised_by=body.raised_by,
            contact=body.contact,
            raised_on=body.raised_on,
        )
    except services.StepRefused as error:
        raise _refused(error) from None
    return Status(201, _objection(objection))


class Resolution(Schema):
    handling: str
    resolution: str


@router.post(
    "/procedures/objections/{int:pk}/resolve/",
    response={200: ObjectionOut, **WRITE_ERRORS},
    tags=["procedures"],
)
def objection_resolve(request, pk: int, body: Resolution):
    """Resolve an objection: how it was handled, and whether it was upheld or dismissed."""
    need(request, Capability.VIEW_REGISTRY, Capability.TAKE_STEPS)
    _acting(request)
    objection = get_scoped_or_404(Objection, request.user, pk=pk)
    try:
        objection = services.objection_resolve(
            objection=objection,
            user=request.user,
            handling=body.handling,
            resolution=body.resolution,
        )
    except services.StepRefused as error:
        raise _refused(error) from None
    return _objection(objection)
