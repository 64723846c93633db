"""Every API operation for the API authorization matrix (tests/api/test_api_matrix.py).

As tests/<app>/authz_cases.py does for the pages: a case names the operation (its path with
`{…}` filled by `kwargs`), which roles may call it (403 for the others) and what they get inside
their area; outside it every allowed role gets 404.
"""

from dataclasses import dataclass, field

from fupin.core.roles import Capability, Role
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
    # What an allowed role gets inside its area when it differs from `ok` (a role that may
    # call the operation but does not act at this step of a procedure: 403).
    ok_for: dict = field(default_factory=dict)
    data_for: object = None  # (world) -> the body, when it names a record made for the test


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


# --- procedures -----------------------------------------------------------------------------


def _procedure(world, inside):
    from fupin.core.roles import Role
    from fupin.procedures import services
    from fupin.procedures.defaults import ensure_defaults

    ensure_defaults()  # a transactional test elsewhere may have emptied the seeded workflows
    village = world.village if inside else world.outside_village
    clerk = world.user(Role.VILLAGE_CLERK) if inside else world.outsider
    return services.procedure_start(
        household=make_household(village), kind="identification", year=2019, user=clerk
    ), clerk


def procedure(world, inside):
    return {"pk": _procedure(world, inside)[0].pk}


def procedure_step(world, inside):
    from fupin.procedures import services

    made, clerk = _procedure(world, inside)
    step = services.step_record(procedure=made, step_code="application", user=clerk)
    return {"pk": made.pk, "record": step.pk}


def objection(world, inside):
    from fupin.procedures import services

    made, clerk = _procedure(world, inside)
    return {"pk": services.objection_raise(procedure=made, user=clerk, content="有异议").pk}


def new_procedure(world):
    from fupin.procedures.defaults import ensure_defaults

    ensure_defaults()
    return {"household": make_household(world.village).pk, "kind": "identification", "year": 2019}


R = Role
ACTING = frozenset({R.VILLAGE_CLERK, R.RESIDENT_TEAM, R.TOWNSHIP_REVIEWER, R.COUNTY_APPROVER})
NOT_AT_VILLAGE_STEPS = {R.TOWNSHIP_REVIEWER: 403, R.COUNTY_APPROVER: 403}
CASES += [
    ApiCase("get", "/api/v1/procedures/", allowed=VIEW_REGISTRY),
    ApiCase("get", "/api/v1/procedures/{pk}/", procedure, allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        "/api/v1/procedures/",
        allowed=frozenset({R.VILLAGE_CLERK, R.RESIDENT_TEAM}),
        ok=201,
        data_for=new_procedure,
    ),
    ApiCase(
        "post",
        "/api/v1/procedures/{pk}/steps/",
        procedure,
        allowed=ACTING,
        ok=201,
        ok_for=NOT_AT_VILLAGE_STEPS,
        data={"step": "application"},
    ),
    ApiCase(
        "post",
        "/api/v1/procedures/{pk}/steps/{record}/reverse/",
        procedure_step,
        allowed=ACTING,
        ok_for={R.TOWNSHIP_REVIEWER: 403},  # the county approver may reverse any step
        data={"reason": "日期录错"},
    ),
    ApiCase(
        "post",
        "/api/v1/procedures/{pk}/objections/",
        procedure,
        allowed=ACTING,
        ok=201,
        data={"content": "该户有轿车", "raised_by": ""},
    ),
    ApiCase(
        "post",
        "/api/v1/procedures/objections/{pk}/resolve/",
        objection,
        allowed=ACTING,
        data={"handling": "入户核实，车辆为农用车", "resolution": "dismissed"},
    ),
]
