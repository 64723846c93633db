"""Areas and the household registry: read with the pages' scoping, masked ID numbers."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.db.models import Prefetch
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from fupin import idnumbers
from fupin.api.access import need
from fupin.api.errors import ERRORS
from fupin.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.registry.models import Household, Member, YearlyIncome
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
Code = Annotated[str, Field(pattern=r"^[0-9]{12,15}$")]
Choice = Annotated[str, Field(pattern=r"^[a-z_]{1,32}$")]


class AreaFilters(Schema):
    parent: Code | None = None
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
    relation: str
    name: str
    id_number_masked: str
    sex: str
    birth_date: datetime.date
    status: str
    health: str
    education: str
    schooling: str
    labour: str


class IncomeOut(Schema):
    year: int
    members: int
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
    village: Code | None = None
    status: Choice | None = None
    attribute: Choice | None = None
    poverty_cause: Choice | None = None
    cursor: str | None = None
    limit: int = DEFAULT_LIMIT


HOUSEHOLD_FIELDS = [name for name in HouseholdOut.model_fields if name not in ("village", "group")]


def _household(household) -> dict:
    data = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
    data["village"] = household.village_id
    data["group"] = household.group_id
    return data


def _member(member) -> dict:
    return {
        "id": member.pk,
        "relation": member.relation,
        "name": member.name,
        "id_number_masked": idnumbers.mask(member.id_number),
        "sex": member.sex,
        "birth_date": member.birth_date,
        "status": member.status,
        "health": member.health,
        "education": member.education,
        "schooling": member.schooling,
        "labour": member.labour,
    }


@router.get("/registry/households/", response={200: HouseholdPage, **ERRORS}, tags=["registry"])
def household_list(request, filters: Query[HouseholdFilters]):
    """The households the user may see, by household number, a page at a time."""
    need(request, Capability.VIEW_REGISTRY)
    households = Household.objects.for_user(request.user)
    for name in ("village", "status", "attribute", "poverty_cause"):
        if value := getattr(filters, name):
            households = households.filter(**{name: value})
    rows, cursor = keyset_page(households, "household_no", filters.cursor, _limit(filters.limit))
    return {"items": [_household(h) for h in rows], "next_cursor": cursor}


@router.get(
    "/registry/households/{int:pk}/", response={200: HouseholdDetail, **ERRORS}, tags=["registry"]
)
def household_detail(request, pk: int):
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
    data["incomes"] = [
        {
            "year": i.year,
            "members": i.members,
            "net_income": i.net_income,
            "per_capita_net_income": i.per_capita_net_income,
        }
        for i in household.incomes.all()
    ]
    return data


class RevealOut(Schema):
    id_number: str


@router.post(
    "/registry/members/{int:pk}/reveal/", response={200: RevealOut, **ERRORS}, tags=["registry"]
)
def member_reveal(request, pk: int):
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


def _form_data(form_class, instance, given: dict) -> dict:
    """What the page's form would post: the record's values, with those given over them (a
    checkbox posts only when ticked)."""
    data = {}
    if instance is not None:
        for name in form_class._meta.fields:
            value = getattr(instance, f"{name}_id" if name in ("group", "village") else name)
            data[name] = value
    data.update({name: value for name, value in given.items() if value is not None})
    return {
        name: ("on" if value is True else value)
        for name, value in data.items()
        if value is not False and value is not None
    }


def _save_household(request, form):
    from django.core.exceptions import ValidationError

    from fupin.registry.services import household_save

    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
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
        _form_data(NewHouseholdForm, Household(), body.dict()), villages=villages, groups=groups
    )
    household = _save_household(request, form)
    return Status(201, _detail_of(request, household))


def _change(request, pk: int, given: dict):
    from fupin.registry.forms import HouseholdForm

    need(request, Capability.EDIT_REGISTRY)
    household = get_scoped_or_404(Household, request.user, pk=pk)
    groups = Area.objects.filter(parent_id=household.village_id)
    form = HouseholdForm(
        _form_data(HouseholdForm, household, given), instance=household, groups=groups
    )
    _save_household(request, form)
    return _detail_of(request, household)


@router.patch(
    "/registry/households/{int:pk}/", response={200: HouseholdDetail, **ERRORS}, tags=["registry"]
)
def household_update(request, pk: int, body: HouseholdChange):
    """Change a household's fields, as the page's edit form does."""
    return _change(request, pk, body.dict())


@router.post(
    "/registry/households/{int:pk}/status/",
    response={200: HouseholdDetail, **ERRORS},
    tags=["registry"],
)
def household_status(request, pk: int, body: StatusChange):
    """Change a household's status, with the reason its history keeps."""
    return _change(request, pk, body.dict())
