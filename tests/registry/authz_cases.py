from fupin.core.roles import Capability
from tests.authz import Case, roles_with
from tests.registry.factories import make_household

VIEW = roles_with(Capability.VIEW_REGISTRY)
EDIT = roles_with(Capability.EDIT_REGISTRY)


def household(world, user, inside):
    return {"pk": make_household(world.village if inside else world.outside_village).pk}


def member(world, user, inside):
    made = make_household(world.village if inside else world.outside_village)
    return {"pk": made.members.first().pk}


def income(world, user, inside):
    made = make_household(world.village if inside else world.outside_village, income=4000)
    return {"pk": made.incomes.first().pk}


def quality_area(world, user, inside):
    code = world.village.code if inside else world.outside_village.code
    return {"check": "no_head", "code": code}


CASES = [
    Case("household-list", allowed=VIEW),
    Case("household-add", allowed=EDIT),
    Case("household-detail", household, allowed=VIEW),
    Case("household-edit", household, allowed=EDIT),
    Case("member-add", household, allowed=EDIT),
    Case("member-edit", member, allowed=EDIT),
    Case("member-move", member, allowed=EDIT),
    Case("member-reveal", member, allowed=roles_with(Capability.REVEAL_ID_NUMBERS), method="post"),
    Case("income-add", household, allowed=EDIT),
    Case("income-edit", income, allowed=EDIT),
    Case("registry-import", allowed=EDIT & roles_with(Capability.RUN_TASKS)),
    Case("registry-template", allowed=VIEW),
    Case(
        "registry-export",
        allowed=VIEW & roles_with(Capability.RUN_TASKS),
        method="post",
        ok=302,
        data={"format": "csv"},
    ),
    Case("registry-quality", allowed=VIEW),
    Case("registry-quality-download", allowed=VIEW),
    Case("registry-quality-records", quality_area, allowed=VIEW),
    # Lists apply to every village: kept by the all-areas administrator
    # (fupin/registry/views/exclusions.py).
    Case(
        "exclusion-lists",
        allowed=roles_with(Capability.MANAGE_USERS) & roles_with(Capability.RUN_TASKS),
        all_areas=True,
    ),
]
