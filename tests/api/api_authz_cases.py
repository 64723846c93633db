"""Every API operation for the API authorization matrix (tests/api/test_api_matrix.py).

As tests/<app>/authz_cases.py does for the pages: a case names the operation (its path with
`{…}` filled by `kwargs`), which roles may call it (403 for the others) and what they get inside
their area; outside it every allowed role gets 404.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from datetime import date

from fupin.core.roles import Capability
from fupin.fieldwork.defaults import ensure_defaults
from tests.authz import ALL_ROLES, roles_with
from tests.registry.factories import make_household


@dataclass(frozen=True)
class ApiCase:
    method: str
    path: str
    kwargs: object = None  # (world, inside) -> {name: value}: the path's, and any the data uses
    allowed: frozenset = ALL_ROLES
    ok: int = 200
    data: object = field(default_factory=dict)  # or (what kwargs made) -> dict


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


# --- fieldwork ---------------------------------------------------------------------------------


def _village(world, inside):
    return world.village if inside else world.outside_village


def fieldwork_household(world, inside):
    """A registered household with a cadre of its village, who may visit it."""
    from tests.fieldwork import factories

    ensure_defaults()  # measure types, should a transactional test have emptied them
    home = factories.household(_village(world, inside))
    return {"pk": home.pk, "cadre": factories.cadre(home.village).pk}


def _visit(world, inside):
    from tests.fieldwork import factories

    home = factories.household(_village(world, inside))
    owner = factories.cadre(home.village)
    follow_up = {"action": "联系医保", "owner": owner, "due_on": date(2019, 5, 15)}
    return factories.visit(home, date(2019, 5, 1), visitor=owner, follow_up=follow_up)


def visit(world, inside):
    return {"pk": _visit(world, inside).pk}


def follow_up(world, inside):
    return {"pk": _visit(world, inside).follow_ups.get().pk}


def new_visit(made):
    return {
        "client_id": str(uuid.uuid4()),
        "date": "2019-05-01",
        "visitors": [made["cadre"]],
        "purpose": "走访",
        "income_change": "务工收入增加",
        "follow_ups": [{"action": "办理医保", "owner": made["cadre"], "due_on": "2019-06-01"}],
    }


FIELDWORK = "/api/v1/fieldwork"
CASES += [
    ApiCase("get", f"{FIELDWORK}/cadres/", allowed=VIEW_REGISTRY),
    ApiCase("get", f"{FIELDWORK}/pairings/", allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        FIELDWORK + "/households/{pk}/pairing/",
        fieldwork_household,
        allowed=EDIT,
        data=lambda made: {"cadre": made["cadre"], "started_on": "2019-05-01"},
    ),
    ApiCase("get", f"{FIELDWORK}/visits/", allowed=VIEW_REGISTRY),
    ApiCase("get", FIELDWORK + "/visits/{pk}/", visit, allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        FIELDWORK + "/households/{pk}/visits/",
        fieldwork_household,
        allowed=EDIT,
        ok=201,
        data=new_visit,
    ),
    ApiCase("get", f"{FIELDWORK}/follow-ups/", allowed=VIEW_REGISTRY),
    ApiCase("post", FIELDWORK + "/follow-ups/{pk}/done/", follow_up, allowed=EDIT),
    ApiCase("get", FIELDWORK + "/households/{pk}/plans/", household, allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        FIELDWORK + "/households/{pk}/plans/",
        household,
        allowed=EDIT,
        data={"year": 2019, "goal": "发展产业，稳定增收"},
    ),
    ApiCase(
        "post",
        FIELDWORK + "/households/{pk}/measures/",
        fieldwork_household,
        allowed=EDIT,
        ok=201,
        data={"year": 2019, "type": "industry", "description": "种桑养蚕", "amount": "3000"},
    ),
    ApiCase("get", f"{FIELDWORK}/compliance/", allowed=VIEW_REGISTRY),
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
