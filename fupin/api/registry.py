"""Areas and the household registry: read with the pages' scoping, masked ID numbers."""

import datetime
from decimal import Decimal

from django.db.models import Prefetch
from ninja import Query, Router, Schema

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


class AreaFilters(Schema):
    parent: str | None = None
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
    village: str | None = None
    status: str | None = None
    attribute: str | None = None
    poverty_cause: str | None = None
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
