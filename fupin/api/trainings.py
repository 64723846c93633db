"""Trainings and vocational referral: programmes, enrolments, referrals and the candidate
finder, with the pages' capabilities, scoping, forms and services."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from fupin.api.access import need
from fupin.api.errors import ERRORS, ApiError
from fupin.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode, keyset_page
from fupin.api.types import Id
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.fieldwork import trainings
from fupin.fieldwork.forms_trainings import (
    CandidateForm,
    EnrolForm,
    EnrolmentOutcomeForm,
    ProgrammeForm,
    ReferralForm,
    ReferralOutcomeForm,
)
from fupin.fieldwork.models import (
    Enrolment,
    EnrolmentStatus,
    Referral,
    ReferralStatus,
    TrainingProgramme,
)
from fupin.registry.models import Member

router = Router(tags=["trainings"])


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _by_id(queryset, cursor: str | None, limit: int):
    """A keyset page by id (the cursor checked to be one, so a bad one is a 400)."""
    if cursor and not decode(cursor).isdigit():
        raise ApiError(400, "bad_cursor", _("The cursor is not valid."))
    return keyset_page(queryset, "id", cursor, _limit(limit))


def _valid(form):
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def _form_data(given: dict) -> dict:
    """What a page's form posts: values left out are not sent, a ticked box is "on"."""
    return {
        name: ("on" if value is True else value)
        for name, value in given.items()
        if value is not None and value is not False
    }


# --- programmes -----------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: int
    provider: str
    course: str
    area: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    capacity: int | None
    enrolled: int
    notes: str


class ProgrammePage(Schema):
    items: list[ProgrammeOut]
    next_cursor: str | None


class ProgrammeNew(Schema):
    provider: str
    course: str
    area: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    capacity: int | None = None
    notes: str = ""


class PageFilters(Schema):
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _programmes(user):
    return TrainingProgramme.objects.visible_to(user).annotate(
        enrolled=Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.DROPPED))
    )


def _programme(p) -> dict:
    return {
        "id": p.pk,
        "provider": p.provider,
        "course": p.course,
        "area": p.area_id,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "capacity": p.capacity,
        "enrolled": p.enrolled,
        "notes": p.notes,
    }


@router.get("/fieldwork/trainings/programmes/", response={200: ProgrammePage, **ERRORS})
def programme_list(request, filters: Query[PageFilters]):
    """The programmes open to the user's area (set in it or above it), by id."""
    need(request, Capability.VIEW_REGISTRY)
    rows, cursor = _by_id(_programmes(request.user), filters.cursor, filters.limit)
    return {"items": [_programme(p) for p in rows], "next_cursor": cursor}


@router.get("/fieldwork/trainings/programmes/{int:pk}/", response={200: ProgrammeOut, **ERRORS})
def programme_detail(request, pk: Id):
    need(request, Capability.VIEW_REGISTRY)
    return _programme(get_object_or_404(_programmes(request.user), pk=pk))


@router.post("/fieldwork/trainings/programmes/", response={201: ProgrammeOut, **ERRORS})
def programme_create(request, body: ProgrammeNew):
    """Add a programme open to one of the user's areas, as the page's form does."""
    need(request, Capability.EDIT_REGISTRY)
    form = ProgrammeForm(_form_data(body.dict()), areas=trainings.programme_areas(request.user))
    programme = trainings.programme_create(**_valid(form))
    return Status(201, programme_detail(request, programme.pk))


# --- enrolments -----------------------------------------------------------------------------


class EnrolmentOut(Schema):
    id: int
    programme: Id
    member: Id
    member_name: str
    household: Id
    village: str
    enrolled_on: datetime.date
    status: str
    certificate: str
    employed: bool
    employer: str
    monthly_income: Decimal | None


class EnrolmentPage(Schema):
    items: list[EnrolmentOut]
    next_cursor: str | None


class EnrolmentFilters(PageFilters):
    programme: Id | None = None
    status: EnrolmentStatus | None = None


class EnrolmentNew(Schema):
    programme: Id
    member: Id
    enrolled_on: datetime.date


class EnrolmentOutcome(Schema):
    status: str
    certificate: str = ""
    employed: bool = False
    employer: str = ""
    monthly_income: Decimal | None = None


def _enrolment(e) -> dict:
    return {
        "id": e.pk,
        "programme": e.programme_id,
        "member": e.member_id,
        "member_name": e.member.name,
        "household": e.household_id,
        "village": e.village_id,
        "enrolled_on": e.enrolled_on,
        "status": e.status,
        "certificate": e.certificate,
        "employed": e.employed,
        "employer": e.employer,
        "monthly_income": e.monthly_income,
    }


@router.get("/fieldwork/trainings/enrolments/", response={200: EnrolmentPage, **ERRORS})
def enrolment_list(request, filters: Query[EnrolmentFilters]):
    """The enrolments of the user's area's members, by id."""
    need(request, Capability.VIEW_REGISTRY)
    rows = Enrolment.objects.for_user(request.user).select_related("member")
    if filters.programme:
        rows = rows.filter(programme_id=filters.programme)
    if filters.status:
        rows = rows.filter(status=filters.status)
    items, cursor = _by_id(rows, filters.cursor, filters.limit)
    return {"items": [_enrolment(e) for e in items], "next_cursor": cursor}


@router.post("/fieldwork/trainings/enrolments/", response={201: EnrolmentOut, **ERRORS})
def enrolment_create(request, body: EnrolmentNew):
    """Enrol a member of the user's area in a programme open to their village."""
    need(request, Capability.EDIT_REGISTRY)
    programme = get_object_or_404(
        TrainingProgramme.objects.visible_to(request.user), pk=body.programme
    )
    data = _valid(EnrolForm({"member": body.member, "enrolled_on": body.enrolled_on}))
    member = get_scoped_or_404(
        Member.objects.select_related("household"), request.user, pk=data["member"]
    )
    enrolment = trainings.enrolment_add(programme=programme, member=member, on=data["enrolled_on"])
    return Status(201, _enrolment(enrolment))


@router.patch("/fieldwork/trainings/enrolments/{int:pk}/", response={200: EnrolmentOut, **ERRORS})
def enrolment_outcome(request, pk: Id, body: EnrolmentOutcome):
    """Record what came of an enrolment (status, certificate, job, employer, income)."""
    need(request, Capability.EDIT_REGISTRY)
    enrolment = get_scoped_or_404(Enrolment.objects.select_related("member"), request.user, pk=pk)
    form = EnrolmentOutcomeForm(_form_data(body.dict()), instance=enrolment)
    trainings.enrolment_record_outcome(enrolment=enrolment, **_valid(form))
    return _enrolment(enrolment)


# --- referrals ------------------------------------------------------------------------------


class ReferralOut(Schema):
    id: int
    member: Id
    member_name: str
    household: Id
    village: str
    kind: str
    programme: Id | None
    destination: str
    referred_on: datetime.date
    referred_by: str | None
    status: str
    outcome_on: datetime.date | None
    notes: str


class ReferralPage(Schema):
    items: list[ReferralOut]
    next_cursor: str | None


class ReferralFilters(PageFilters):
    status: ReferralStatus | None = None
    member: Id | None = None


class ReferralNew(Schema):
    member: Id
    kind: str
    programme: Id | None = None
    destination: str = ""
    referred_on: datetime.date
    notes: str = ""


class ReferralOutcome(Schema):
    status: str
    outcome_on: datetime.date
    notes: str | None = None


def _referral(r) -> dict:
    return {
        "id": r.pk,
        "member": r.member_id,
        "member_name": r.member.name,
        "household": r.household_id,
        "village": r.village_id,
        "kind": r.kind,
        "programme": r.programme_id,
        "destination": r.destination,
        "referred_on": r.referred_on,
        "referred_by": r.referred_by.username if r.referred_by else None,
        "status": r.status,
        "outcome_on": r.outcome_on,
        "notes": r.notes,
    }


@router.get("/fieldwork/trainings/referrals/", response={200: ReferralPage, **ERRORS})
def referral_list(request, filters: Query[ReferralFilters]):
    """The referrals of the user's area's members, by id."""
    need(request, Capability.VIEW_REGISTRY)
    rows = Referral.objects.for_user(request.user).select_related("member", "referred_by")
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.member:
        rows = rows.filter(member_id=filters.member)
    items, cursor = _by_id(rows, filters.cursor, filters.limit)
    return {"items": [_referral(r) for r in items], "next_cursor": cursor}


@router.post("/fieldwork/trainings/referrals/", response={201: ReferralOut, **ERRORS})
def referral_create(request, body: ReferralNew):
    """Refer a member to a programme open to their village, or to a school or employer."""
    need(request, Capability.EDIT_REGISTRY)
    member = get_scoped_or_404(
        Member.objects.select_related("household"), request.user, pk=body.member
    )
    form = ReferralForm(
        _form_data(body.dict(exclude={"member"})),
        programmes=TrainingProgramme.objects.reaching(member.household.village_id),
    )
    data = dict(_valid(form))
    referral = trainings.referral_create(
        member=member, on=data.pop("referred_on"), by=request.user, **data
    )
    return Status(201, _referral(referral))


@router.post(
    "/fieldwork/trainings/referrals/{int:pk}/outcome/", response={200: ReferralOut, **ERRORS}
)
def referral_outcome(request, pk: Id, body: ReferralOutcome):
    """The referral's outcome: enrolled (in a programme: the enrolment is made), employed or
    declined."""
    need(request, Capability.EDIT_REGISTRY)
    referral = get_scoped_or_404(
        Referral.objects.select_related("member__household", "programme", "referred_by"),
        request.user,
        pk=pk,
    )
    data = _valid(ReferralOutcomeForm(_form_data(body.dict())))
    trainings.referral_record_outcome(
        referral=referral,
        status=data["status"],
        on=data["outcome_on"],
        notes=data["notes"] if body.notes is not None else None,
    )
    return _referral(referral)


# --- candidates -----------------------------------------------------------------------------


class CandidateOut(Schema):
    member: Id
    name: str
    household: Id
    household_no: str
    village: str
    age: int
    schooling: str
    finishes_school: bool
    plans_migrant_work: bool
    referred: bool


class CandidatePage(Schema):
    items: list[CandidateOut]
    next_cursor: str | None


class CandidateFilters(PageFilters):
    on: datetime.date | None = None
    min_age: int | None = None
    max_age: int | None = None


@router.get("/fieldwork/trainings/candidates/", response={200: CandidatePage, **ERRORS})
def candidate_list(request, filters: Query[CandidateFilters]):
    """Young people of the user's area for a training or a referral (docs/fieldwork.md):
    aged `min_age`–`max_age` on `on` (defaults 15–30, today), finishing junior or senior
    secondary school that year or planning migrant work, not enrolled that year. By id."""
    need(request, Capability.VIEW_REGISTRY)
    given = filters.dict(include={"on", "min_age", "max_age"})
    data = _valid(CandidateForm(_form_data(given)))
    query = trainings.candidate_query(data)
    rows = trainings.training_candidates(Member.objects.for_user(request.user), query)
    items, cursor = _by_id(rows, filters.cursor, filters.limit)
    return {
        "items": [
            {
                "member": m.pk,
                "name": m.name,
                "household": m.household_id,
                "household_no": m.household.household_no,
                "village": m.household.village_id,
                "age": trainings.age_on(m.birth_date, query.on),
                "schooling": m.schooling,
                "finishes_school": m.finishes_school,
                "plans_migrant_work": m.plans_migrant_work,
                "referred": m.referred,
            }
            for m in items
        ],
        "next_cursor": cursor,
    }
