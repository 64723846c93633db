"""Areas and the household registry: read with the pages' scoping, masked ID numbers."""

import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from fupin import idnumbers
from fupin.api.access import need
from fupin.api.binding import form_data, valid
from fupin.api.errors import ERRORS
from fupin.api.jobs import JobOut, job_out
from fupin.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from fupin.api.types import AnyAreaCode, AreaCode, Id, Slug
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.registry.models import HOUSEHOLD_ORDER, Household, Member, YearlyIncome
from fupin.registry.services import id_number_reveal

router = Router()


class AreaOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None


class AreaPage(Schema):
    items: list[AreaOut]
    next_cursor: str | None


# Filters are codes and choice values: a pattern answers 422 for anything else (PostgreSQL
# refuses a NUL in a query, which would otherwise be a server error).


class AreaFilters(Schema):
    parent: AnyAreaCode | None = None
    level: int | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _limit(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _area(area) -> dict:
    return {"code": area.code, "name": area.name, "level": area.level, "parent": area.parent_id}


@router.get("/areas/", response={200: AreaPage, **ERRORS}, tags=["areas"])
def area_list(request, filters: Query[AreaFilters]):
    """The areas in the user's subtree, by code; `parent` gives one level of the tree."""
    need(request, Capability.VIEW)
    areas = Area.objects.for_user(request.user)
    if filters.parent:
        areas = areas.filter(parent_id=filters.parent)
    if filters.level:
        areas = areas.filter(level=filters.level)
    rows, cursor = keyset_page(areas, "code", filters.cursor, _limit(filters.limit))
    return {"items": [_area(a) for a in rows], "next_cursor": cursor}


@router.get("/areas/{code}/", response={200: AreaOut, **ERRORS}, tags=["areas"])
def area_detail(request, code: str):
    need(request, Capability.VIEW)
    if not (code.isascii() and code.isdigit()):
        raise Http404
    return _area(get_scoped_or_404(Area, request.user, code=code))


class HouseholdOut(Schema):
    id: int
    household_no: str
    village: str
    group: str | None
    address: str
    status: str
    cancel_reason: str
    attribute: str
    poverty_cause: str
    year_registered: int | None
    year_exited: int | None
    dibao: bool
    five_guarantee: bool
    special_support: bool
    military_family: bool
    updated_at: datetime.datetime


class MemberOut(Schema):
    id: int
    household: Id
    relation: str
    name: str
    id_number_masked: str
    sex: str
    birth_date: datetime.date
    ethnicity: str
    education: str
    schooling: str
    health: str
    disability_grade: int | None
    labour: str
    migrant_months: int
    migrant_place: str
    medical_insurance: bool
    serious_illness_insurance: bool
    pension_insurance: bool
    party_member: bool
    veteran: bool
    college_student: bool
    status: str
    departed_on: datetime.date | None


class IncomeOut(Schema):
    id: int
    household: Id
    year: int
    members: int
    wage: Decimal
    operating_income: Decimal
    operating_costs: Decimal
    property: Decimal
    transfer_pension: Decimal
    transfer_dibao: Decimal
    transfer_subsidy: Decimal
    transfer_other: Decimal
    excluded_earmarked: Decimal
    excluded_one_off: Decimal
    net_income: Decimal
    per_capita_net_income: Decimal


class HouseholdDetail(HouseholdOut):
    phone: str
    members: list[MemberOut]
    incomes: list[IncomeOut]


class HouseholdPage(Schema):
    items: list[HouseholdOut]
    next_cursor: str | None


class HouseholdFilters(Schema):
    village: AnyAreaCode | None = None
    status: Slug | None = None
    attribute: Slug | None = None
    poverty_cause: Slug | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


HOUSEHOLD_FIELDS = [name for name in HouseholdOut.model_fields if name not in ("village", "group")]


def _household(household) -> dict:
    data = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
    data["village"] = household.village_id
    data["group"] = household.group_id
    return data


MEMBER_FIELDS = [
    name for name in MemberOut.model_fields if name not in ("household", "id_number_masked")
]
INCOME_FIELDS = [name for name in IncomeOut.model_fields if name != "household"]


def _member(member) -> dict:
    """A member as every role reads it: the ID number masked (the one mask of the pages);
    the full number only through the audited reveal."""
    data = {name: getattr(member, name) for name in MEMBER_FIELDS}
    data["household"] = member.household_id
    data["id_number_masked"] = idnumbers.mask(member.id_number)
    return data


def _income(income) -> dict:
    data = {name: getattr(income, name) for name in INCOME_FIELDS}
    data["household"] = income.household_id
    return data


@router.get("/registry/households/", response={200: HouseholdPage, **ERRORS}, tags=["registry"])
def household_list(request, filters: Query[HouseholdFilters]):
    """The households the user may see, by village and household number, a page at a time."""
    need(request, Capability.VIEW_REGISTRY)
    households = Household.objects.for_user(request.user)
    for name in ("village", "status", "attribute", "poverty_cause"):
        if value := getattr(filters, name):
            households = households.filter(**{name: value})
    # The pages' order (HOUSEHOLD_ORDER): the (village, household number) index serves any
    # area's range and the order at once, at any depth (docs/performance.md, API).
    rows, cursor = keyset_page(households, HOUSEHOLD_ORDER, filters.cursor, _limit(filters.limit))
    return {"items": [_household(h) for h in rows], "next_cursor": cursor}


@router.get(
    "/registry/households/{int:pk}/", response={200: HouseholdDetail, **ERRORS}, tags=["registry"]
)
def household_detail(request, pk: Id):
    """A household with its members (ID numbers masked) and yearly incomes."""
    need(request, Capability.VIEW_REGISTRY)
    household = get_scoped_or_404(
        Household.objects.prefetch_related(
            Prefetch("members", queryset=Member.objects.order_by("birth_date")),
            Prefetch("incomes", queryset=YearlyIncome.objects.order_by("-year")),
        ),
        request.user,
        pk=pk,
    )
    data = _household(household)
    data["phone"] = household.phone
    data["members"] = [_member(m) for m in household.members.all()]
    data["incomes"] = [_income(i) for i in household.incomes.all()]
    return data


class RevealOut(Schema):
    id_number: str


@router.post(
    "/registry/members/{int:pk}/reveal/", response={200: RevealOut, **ERRORS}, tags=["registry"]
)
def member_reveal(request, pk: Id):
    """The member's full ID number, recorded as the page's reveal is (an AccessEvent)."""
    need(request, Capability.REVEAL_ID_NUMBERS)
    member = get_scoped_or_404(Member.objects.select_related("household"), request.user, pk=pk)
    return {"id_number": id_number_reveal(member=member, user=request.user)}


# --- writes: the pages' forms and services, so validation, history and audit are theirs ------


class HouseholdChange(Schema):
    """Fields to change; those left out keep their value. `reason` is needed when the status
    changes, and kept in the household's history."""

    group: str | None = None
    address: str | None = None
    phone: str | None = None
    status: str | None = None
    cancel_reason: str | None = None
    attribute: str | None = None
    year_registered: int | None = None
    year_exited: int | None = None
    poverty_cause: str | None = None
    dibao: bool | None = None
    five_guarantee: bool | None = None
    special_support: bool | None = None
    military_family: bool | None = None
    housing_grade: str | None = None
    housing_renovation: str | None = None
    water_quality: str | None = None
    water_quantity: str | None = None
    water_convenience: str | None = None
    water_reliability: str | None = None
    electricity: bool | None = None
    road: bool | None = None
    reason: str = ""


class HouseholdNew(HouseholdChange):
    household_no: str
    village: str


class StatusChange(Schema):
    status: str
    reason: str
    cancel_reason: str = ""
    year_registered: int | None = None
    year_exited: int | None = None


def _save_household(request, form):
    from fupin.registry.services import household_save

    valid(form)
    return household_save(
        household=form.save(commit=False), user=request.user, reason=form.cleaned_data["reason"]
    )


def _detail_of(request, household):
    return household_detail(request, household.pk)


@router.post("/registry/households/", response={201: HouseholdDetail, **ERRORS}, tags=["registry"])
def household_create(request, body: HouseholdNew):
    """Register a household in one of the user's villages, as the page's form does."""
    from fupin.areacodes import Level
    from fupin.registry.forms import NewHouseholdForm

    need(request, Capability.EDIT_REGISTRY)
    villages = Area.objects.for_user(request.user).filter(level=Level.VILLAGE)
    groups = Area.objects.filter(parent__in=villages)
    form = NewHouseholdForm(
        form_data(NewHouseholdForm, Household(), body.dict()), villages=villages, groups=groups
    )
    household = _save_household(request, form)
    return Status(201, _detail_of(request, household))


def _change(request, pk: Id, given: dict):
    from fupin.registry.forms import HouseholdForm

    need(request, Capability.EDIT_REGISTRY)
    household = get_scoped_or_404(Household, request.user, pk=pk)
    groups = Area.objects.filter(parent_id=household.village_id)
    form = HouseholdForm(
        form_data(HouseholdForm, household, given), instance=household, groups=groups
    )
    _save_household(request, form)
    return _detail_of(request, household)


@router.patch(
    "/registry/households/{int:pk}/", response={200: HouseholdDetail, **ERRORS}, tags=["registry"]
)
def household_update(request, pk: Id, body: HouseholdChange):
    """Change a household's fields, as the page's edit form does."""
    return _change(request, pk, body.dict())


@router.post(
    "/registry/households/{int:pk}/status/",
    response={200: HouseholdDetail, **ERRORS},
    tags=["registry"],
)
def household_status(request, pk: Id, body: StatusChange):
    """Change a household's status, with the reason its history keeps."""
    return _change(request, pk, body.dict())


# --- members and yearly incomes: the pages' MemberForm / IncomeForm, member_save / income_save


class MemberPage(Schema):
    items: list[MemberOut]
    next_cursor: str | None


class MemberFilters(Schema):
    household: Id | None = None
    village: AreaCode | None = None
    status: Slug | None = None
    relation: Slug | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


def _key_filter(queryset, name, value):
    return queryset.filter(**{name: value}) if value not in (None, "") else queryset


@router.get("/registry/members/", response={200: MemberPage, **ERRORS}, tags=["registry"])
def member_list(request, filters: Query[MemberFilters]):
    """The members the user may see, household by household, a page at a time; ID numbers
    masked."""
    need(request, Capability.VIEW_REGISTRY)
    members = Member.objects.for_user(request.user).select_related("household")
    members = _key_filter(members, "household_id", filters.household)
    members = _key_filter(members, "household__village_id", filters.village)
    members = _key_filter(members, "status", filters.status)
    members = _key_filter(members, "relation", filters.relation)
    rows, cursor = keyset_page(members, BY_HOUSEHOLD, filters.cursor, _limit(filters.limit))
    return {"items": [_member(m) for m in rows], "next_cursor": cursor}


# Members and incomes in their households' order (village, household number), then by id:
# a page reads the households' (village, household number) index from the cursor on and
# each household's rows by its own index, whatever the area and the depth.
BY_HOUSEHOLD = (*(f"household__{name}" for name in HOUSEHOLD_ORDER), "id")


@router.get("/registry/members/{int:pk}/", response={200: MemberOut, **ERRORS}, tags=["registry"])
def member_detail(request, pk: Id):
    need(request, Capability.VIEW_REGISTRY)
    return _member(get_scoped_or_404(Member, request.user, pk=pk))


class MemberChange(Schema):
    """Fields to change; those left out keep their value. `id_number` left out keeps the
    registered number (sex and birth date follow it). `former_head_relation`: what the
    present head becomes when this member becomes the head."""

    relation: str | None = None
    name: str | None = None
    id_number: str | None = None
    ethnicity: str | None = None
    education: str | None = None
    schooling: str | None = None
    health: str | None = None
    disability_grade: int | None = None
    labour: str | None = None
    migrant_months: int | None = None
    migrant_place: str | None = None
    medical_insurance: bool | None = None
    serious_illness_insurance: bool | None = None
    pension_insurance: bool | None = None
    party_member: bool | None = None
    veteran: bool | None = None
    college_student: bool | None = None
    status: str | None = None
    departed_on: datetime.date | None = None
    former_head_relation: str = ""
    reason: str = ""


class MemberNew(MemberChange):
    relation: str
    name: str
    id_number: str


def _save_member(request, household, member, given: dict):
    from fupin.registry.forms import MemberForm
    from fupin.registry.services import member_save

    form = MemberForm(form_data(MemberForm, member, given), instance=member)
    data = valid(form)
    member = form.save(commit=False)
    member.household = household
    return member_save(
        member=member,
        user=request.user,
        reason=data["reason"],
        former_head_relation=data["former_head_relation"],
    )


@router.post(
    "/registry/households/{int:pk}/members/",
    response={201: MemberOut, **ERRORS},
    tags=["registry"],
)
def member_create(request, pk: Id, body: MemberNew):
    """Add a member to a household, as the page's form does (one head per household)."""
    need(request, Capability.EDIT_REGISTRY)
    household = get_scoped_or_404(Household, request.user, pk=pk)
    member = _save_member(request, household, Member(household=household), body.dict())
    return Status(201, _member(member))


@router.patch("/registry/members/{int:pk}/", response={200: MemberOut, **ERRORS}, tags=["registry"])
def member_update(request, pk: Id, body: MemberChange):
    """Change a member, as the page's edit form does; the same capabilities as that page
    (it shows the full number). The answer masks the number, as every answer does."""
    need(request, Capability.EDIT_REGISTRY, Capability.REVEAL_ID_NUMBERS)
    member = get_scoped_or_404(Member.objects.select_related("household"), request.user, pk=pk)
    return _member(_save_member(request, member.household, member, body.dict()))


class IncomePage(Schema):
    items: list[IncomeOut]
    next_cursor: str | None


class IncomeFilters(Schema):
    household: Id | None = None
    village: AreaCode | None = None
    year: int | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


@router.get("/registry/incomes/", response={200: IncomePage, **ERRORS}, tags=["registry"])
def income_list(request, filters: Query[IncomeFilters]):
    """The yearly incomes the user may see, household by household, a page at a time."""
    need(request, Capability.VIEW_REGISTRY)
    incomes = YearlyIncome.objects.for_user(request.user).select_related("household")
    incomes = _key_filter(incomes, "household_id", filters.household)
    incomes = _key_filter(incomes, "household__village_id", filters.village)
    incomes = _key_filter(incomes, "year", filters.year)
    rows, cursor = keyset_page(incomes, BY_HOUSEHOLD, filters.cursor, _limit(filters.limit))
    return {"items": [_income(i) for i in rows], "next_cursor": cursor}


class IncomeChange(Schema):
    """Fields to change; those left out keep their value. Money in yuan."""

    year: int | None = None
    members: int | None = None
    wage: Decimal | None = None
    operating_income: Decimal | None = None
    operating_costs: Decimal | None = None
    property: Decimal | None = None
    transfer_pension: Decimal | None = None
    transfer_dibao: Decimal | None = None
    transfer_subsidy: Decimal | None = None
    transfer_other: Decimal | None = None
    excluded_earmarked: Decimal | None = None
    excluded_one_off: Decimal | None = None


class IncomeNew(IncomeChange):
    year: int


def _save_income(request, household, income, given: dict):
    from fupin.registry.forms import IncomeForm
    from fupin.registry.services import income_save

    form = IncomeForm(form_data(IncomeForm, income, given), instance=income)
    valid(form)
    income = form.save(commit=False)
    income.household = household
    return income_save(income=income, user=request.user)


@router.post(
    "/registry/households/{int:pk}/incomes/",
    response={201: IncomeOut, **ERRORS},
    tags=["registry"],
)
def income_create(request, pk: Id, body: IncomeNew):
    """Record a year's income of a household, as the page does (members default to those
    present)."""
    need(request, Capability.EDIT_REGISTRY)
    household = get_scoped_or_404(Household, request.user, pk=pk)
    present = household.members.filter(status="present").count() or 1
    income = YearlyIncome(household=household, members=present)
    return Status(201, _income(_save_income(request, household, income, body.dict())))


@router.patch("/registry/incomes/{int:pk}/", response={200: IncomeOut, **ERRORS}, tags=["registry"])
def income_update(request, pk: Id, body: IncomeChange):
    need(request, Capability.EDIT_REGISTRY)
    income = get_scoped_or_404(
        YearlyIncome.objects.select_related("household"), request.user, pk=pk
    )
    return _income(_save_income(request, income.household, income, body.dict()))


# --- bulk: the upload page's import, as a background job ----------------------------------------


@router.post(
    "/registry/imports/",
    response={202: JobOut, **ERRORS},
    tags=["registry"],
)
def registry_import(request, file: File[UploadedFile], area: Form[str] = ""):
    """Import a registry file (.xlsx or .csv, the template's columns) as the upload page
    does: answers the job at once (202). The job checks every row first and writes nothing
    unless all are right; its result holds the counts or the error report (poll
    /api/v1/jobs/{id}/, the report from its `download`). `area`: the area the import is
    for (default: the user's)."""
    from django.utils import translation

    from fupin.core.jobs import job_start, save_upload
    from fupin.registry.forms import UploadForm
    from fupin.registry.tasks import import_registry
    from fupin.registry.views.transfer import user_area

    need(request, Capability.EDIT_REGISTRY, Capability.RUN_TASKS)
    upload = valid(UploadForm({}, {"file": file}))["file"]
    job_area = user_area(request)  # reads `area` from the form, as the page does
    path = save_upload(upload)
    job = job_start(
        task_obj=import_registry,
        owner=request.user,
        area=job_area,
        path=str(path),
        language=translation.get_language(),
        original_name=upload.name[:200],
    )
    return Status(202, job_out(job))
