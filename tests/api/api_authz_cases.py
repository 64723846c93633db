"""Every API operation for the API authorization matrix (tests/api/test_api_matrix.py).

As tests/<app>/authz_cases.py does for the pages: a case names the operation (its path with
`{…}` filled by `kwargs`), which roles may call it (403 for the others) and what they get inside
their area; outside it every allowed role gets 404.
"""

import datetime
from dataclasses import dataclass, field

from fupin.core.roles import Capability
from tests.authz import ALL_ROLES, roles_with
from tests.registry.factories import make_household


@dataclass(frozen=True)
class ApiCase:
    method: str
    path: str
    kwargs: object = None  # (world, inside) -> {name: value}
    allowed: frozenset = ALL_ROLES
    ok: int = 200
    data: dict = field(default_factory=dict)


def area(world, inside):
    return {"code": (world.village if inside else world.outside_village).code}


def household(world, inside):
    return {"pk": make_household(world.village if inside else world.outside_village).pk}


def member(world, inside):
    made = make_household(world.village if inside else world.outside_village)
    return {"pk": made.members.first().pk}


VIEW = roles_with(Capability.VIEW)
VIEW_REGISTRY = roles_with(Capability.VIEW_REGISTRY)

CASES = [
    ApiCase("get", "/api/v1/areas/", allowed=VIEW),
    ApiCase("get", "/api/v1/areas/{code}/", area, allowed=VIEW),
    ApiCase("get", "/api/v1/registry/households/", allowed=VIEW_REGISTRY),
    ApiCase("get", "/api/v1/registry/households/{pk}/", household, allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        "/api/v1/registry/members/{pk}/reveal/",
        member,
        allowed=roles_with(Capability.REVEAL_ID_NUMBERS),
    ),
]

EDIT = roles_with(Capability.EDIT_REGISTRY)
CASES += [
    ApiCase(
        "post",
        "/api/v1/registry/households/",
        allowed=EDIT,
        ok=201,
        data={"household_no": "4501010010019999", "village": "450101001001", "reason": "api"},
    ),
    ApiCase(
        "patch",
        "/api/v1/registry/households/{pk}/",
        household,
        allowed=EDIT,
        data={"address": "API road 1"},
    ),
    ApiCase(
        "post",
        "/api/v1/registry/households/{pk}/status/",
        household,
        allowed=EDIT,
        data={
            "status": "cancelled",
            "cancel_reason": "wrongly_registered",
            "reason": "found twice",
        },
    ),
]


# --- trainings and referrals (fupin/api/trainings.py) -----------------------------------------


def _trainings():
    from tests.fieldwork import factories_trainings

    return factories_trainings


def programme(world, inside):
    village = world.village if inside else world.outside_village
    return {"pk": _trainings().programme(village).pk}


def enrolment(world, inside):
    from fupin.fieldwork import trainings

    village = world.village if inside else world.outside_village
    made = trainings.enrolment_add(
        programme=_trainings().programme(village),
        member=_trainings().young_in(village),
        on=datetime.date(2019, 3, 1),
    )
    return {"pk": made.pk}


def referral(world, inside):
    village = world.village if inside else world.outside_village
    return {"pk": _trainings().referral(_trainings().young_in(village)).pk}


CASES += [
    ApiCase("get", "/api/v1/fieldwork/trainings/programmes/", allowed=VIEW_REGISTRY),
    ApiCase(
        "get", "/api/v1/fieldwork/trainings/programmes/{pk}/", programme, allowed=VIEW_REGISTRY
    ),
    ApiCase(
        "post",
        "/api/v1/fieldwork/trainings/programmes/",
        allowed=EDIT,
        ok=201,
        data={
            "provider": "广西第一工业学校",
            "course": "电力技术",
            "area": "450101001001",
            "starts_on": "2019-03-01",
        },
    ),
    ApiCase("get", "/api/v1/fieldwork/trainings/enrolments/", allowed=VIEW_REGISTRY),
    # A member that does not exist: the role and area checks come first, then 404.
    ApiCase(
        "post",
        "/api/v1/fieldwork/trainings/enrolments/",
        allowed=EDIT,
        ok=404,
        data={"programme": 0, "member": 0, "enrolled_on": "2019-03-01"},
    ),
    ApiCase(
        "patch",
        "/api/v1/fieldwork/trainings/enrolments/{pk}/",
        enrolment,
        allowed=EDIT,
        data={"status": "completed", "certificate": "电工证"},
    ),
    ApiCase("get", "/api/v1/fieldwork/trainings/referrals/", allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        "/api/v1/fieldwork/trainings/referrals/",
        allowed=EDIT,
        ok=404,
        data={"member": 0, "kind": "school", "destination": "职校", "referred_on": "2019-05-01"},
    ),
    ApiCase(
        "post",
        "/api/v1/fieldwork/trainings/referrals/{pk}/outcome/",
        referral,
        allowed=EDIT,
        data={"status": "declined", "outcome_on": "2019-06-01"},
    ),
    ApiCase("get", "/api/v1/fieldwork/trainings/candidates/", allowed=VIEW_REGISTRY),
]
