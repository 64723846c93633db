from fupin.assessment.views import STANDARD_TABLES
from fupin.core.roles import Capability
from tests.assessment import factories
from tests.authz import Case, roles_with
from tests.core.authz_cases import area


def village(world, user, inside):
    return {"code": (world.village if inside else world.outside_village).code}


def checklist(world, user, inside):
    return village(world, user, inside) | {"year": 2019}


def household(world, user, inside):
    made = factories.household(world.village if inside else world.outside_village)
    return {"pk": made.pk}


RUNNERS = roles_with(Capability.RUN_TASKS)
REGISTRY = roles_with(Capability.VIEW_REGISTRY)
APPROVERS = roles_with(Capability.APPROVE)

CASES = [
    Case("assessment-home"),
    Case("assessment-area", area),
    Case("assessment-start", area, allowed=RUNNERS, method="post", ok=302, data={"year": 2019}),
    Case("assessment-households", area, allowed=REGISTRY),
    Case("assessment-household", household, allowed=REGISTRY),
    Case(
        "assessment-household-event",
        household,
        allowed=roles_with(Capability.EDIT_REGISTRY),
        method="post",
        ok=302,
        data={"kind": "disaster", "year": 2019, "amount": "0"},
    ),
    Case("assessment-checklist", checklist, allowed=roles_with(Capability.REVIEW)),
    Case("assessment-inspection", allowed=APPROVERS),
    Case("assessment-standards"),
    # Standards apply beyond any county: the all-areas administrator's (assessment/views.py).
    *(
        Case(f"assessment-standards-{slug}", allowed=APPROVERS, all_areas=True)
        for slug in STANDARD_TABLES
    ),
]
