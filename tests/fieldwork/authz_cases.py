from datetime import date

from fupin.core.roles import Capability
from tests.authz import Case, roles_with
from tests.fieldwork import factories


def _village(world, inside):
    return world.village if inside else world.outside_village


def household(world, user, inside):
    return {"household_id": factories.household(_village(world, inside)).pk}


def meeting(world, user, inside):
    return {"meeting_id": factories.meeting(_village(world, inside)).pk}


def mediation_case(world, user, inside):
    return {"case_id": factories.mediation_case(_village(world, inside)).pk}


def follow_up(world, user, inside):
    home = factories.household(_village(world, inside))
    owner = factories.cadre(home.village)
    made = factories.visit(
        home,
        date(2019, 5, 1),
        visitor=owner,
        follow_up={"action": "联系医保", "owner": owner, "due_on": date(2019, 5, 15)},
    )
    return {"follow_up_id": made.follow_ups.get().pk}


VIEW = roles_with(Capability.VIEW_REGISTRY)
EDIT = roles_with(Capability.EDIT_REGISTRY)

CASES = [
    Case("fieldwork-compliance", allowed=VIEW),
    Case("fieldwork-cadres", allowed=VIEW),
    Case(
        "fieldwork-cadre-create",
        allowed=EDIT,
        method="post",
        ok=400,  # an empty form: refused by the form, after the role and area checks
    ),
    Case("visit-create", household, allowed=EDIT),
    Case("pairing-edit", household, allowed=EDIT),
    Case("follow-up-done", follow_up, allowed=EDIT, method="post", ok=302),
    Case("measure-create", household, allowed=EDIT),
    Case("measure-summary", allowed=VIEW),
]
CASES += [
    Case("meeting-list", allowed=VIEW),
    Case("meeting-create", allowed=EDIT),
    Case("meeting-detail", meeting, allowed=VIEW),
    Case("meeting-edit", meeting, allowed=EDIT),
    Case("meeting-decision-add", meeting, allowed=EDIT, method="post", ok=400),
    Case("mediation-list", allowed=VIEW),
    Case("mediation-create", allowed=EDIT),
    Case("mediation-detail", mediation_case, allowed=VIEW),
    Case("mediation-edit", mediation_case, allowed=EDIT),
    Case("mediation-step-add", mediation_case, allowed=EDIT, method="post", ok=400),
]
