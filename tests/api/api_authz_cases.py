"""Every API operation for the API authorization matrix (tests/api/test_api_matrix.py).

As tests/<app>/authz_cases.py does for the pages: a case names the operation (its path with
`{…}` filled by `kwargs`), which roles may call it (403 for the others) and what they get inside
their area; outside it every allowed role gets 404.
"""

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

# Meetings and mediation cases (fupin/api/meetings.py).


def _fieldwork():
    from fupin.fieldwork.defaults import ensure_defaults

    ensure_defaults()  # the types, which a transactional test elsewhere may have emptied
    from tests.fieldwork import factories

    return factories


def meeting(world, inside):
    village = world.village if inside else world.outside_village
    return {"pk": _fieldwork().meeting(village).pk}


def mediation_case(world, inside):
    village = world.village if inside else world.outside_village
    return {"pk": _fieldwork().mediation_case(village).pk}


CASES += [
    ApiCase("get", "/api/v1/fieldwork/meetings/", allowed=VIEW_REGISTRY),
    ApiCase("get", "/api/v1/fieldwork/meetings/{pk}/", meeting, allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        "/api/v1/fieldwork/meetings/",
        allowed=EDIT,
        ok=201,
        data={
            "village": "450101001001",
            "type": "study",
            "date": "2019-03-01",
            "topic": "学习会",
            "participant_count": 12,
        },
    ),
    ApiCase(
        "post",
        "/api/v1/fieldwork/meetings/{pk}/decisions/",
        meeting,
        allowed=EDIT,
        ok=422,  # no such owner: refused after the role and area checks
        data={"action": "修路", "owner": 999999, "due_on": "2019-04-01"},
    ),
    ApiCase("get", "/api/v1/fieldwork/mediation-cases/", allowed=VIEW_REGISTRY),
    ApiCase(
        "get", "/api/v1/fieldwork/mediation-cases/{pk}/", mediation_case, allowed=VIEW_REGISTRY
    ),
    ApiCase(
        "post",
        "/api/v1/fieldwork/mediation-cases/",
        allowed=EDIT,
        ok=201,
        data={
            "village": "450101001001",
            "type": "neighbour",
            "received_on": "2019-03-01",
            "parties": "甲户与乙户",
            "summary": "宅基地边界",
            "petition": True,
        },
    ),
    ApiCase(
        "post",
        "/api/v1/fieldwork/mediation-cases/{pk}/steps/",
        mediation_case,
        allowed=EDIT,
        ok=201,
        data={"date": "2019-03-02", "description": "约谈双方"},
    ),
]
