from datetime import date

from fupin.core.roles import Capability
from fupin.fieldwork.models import Visit
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


def visit(world, user, inside):
    home = factories.household(_village(world, inside))
    return {"visit_id": factories.visit(home, date(2019, 5, 1)).pk}


def deleted_visit_history(world, user, inside):
    """A visit no longer stored: its history page is scoped by its last history row."""
    from fupin.fieldwork import services

    made = visit(world, user, inside)["visit_id"]
    services.visit_delete(visit=Visit.objects.get(pk=made), user=None, reason="录错")
    return {"app_label": "fieldwork", "model_name": "visit", "pk": made}


def measure(world, user, inside):
    from fupin.fieldwork import services
    from fupin.fieldwork.defaults import ensure_defaults
    from fupin.fieldwork.models import MeasureType

    ensure_defaults()  # measure types, should a transactional test have emptied them
    home = factories.household(_village(world, inside))
    kind = MeasureType.objects.get(code="industry")
    made = services.measure_add(household=home, year=2019, type=kind, description="种桑养蚕")
    return {"measure_id": made.pk}


def cadre(world, user, inside):
    return {"cadre_id": factories.cadre(_village(world, inside)).pk}


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
    Case("fieldwork-cadre-edit", cadre, allowed=EDIT),
    Case("visit-create", household, allowed=EDIT),
    Case("visit-edit", visit, allowed=EDIT),
    Case("visit-delete", visit, allowed=EDIT),
    Case("record-history", deleted_visit_history, allowed=roles_with(Capability.VIEW_AUDIT)),
    Case("pairing-edit", household, allowed=EDIT),
    Case("follow-up-done", follow_up, allowed=EDIT, method="post", ok=302),
    Case("follow-up-cancel", follow_up, allowed=EDIT, method="post", ok=302),
    Case("measure-create", household, allowed=EDIT),
    Case("measure-edit", measure, allowed=EDIT),
    Case("measure-summary", allowed=VIEW),
]


# --- Spring Festival visits and household handbooks -----------------------------------------


def festival_entry(world, user, inside):
    from fupin.fieldwork import festival
    from fupin.fieldwork.models import FestivalVisit

    village = _village(world, inside)
    factories.household(village, dibao=True)
    festival.festival_list_generate(area=village, year=2019, party_member_age=70, user=None)
    return {"entry_id": FestivalVisit.objects.in_area(village.code).first().pk}


def village(world, user, inside):
    return {"village_code": _village(world, inside).code}


SHEET = {"area": "450101001001", "year": 2019, "format": "xlsx"}
RUN = VIEW & roles_with(Capability.RUN_TASKS)

CASES += [
    Case("festival-list", allowed=VIEW),
    # an empty form: the page again with a message, after the role check
    Case("festival-generate", allowed=EDIT, method="post", ok=302),
    Case("festival-gift", festival_entry, allowed=EDIT),
    Case("festival-download", allowed=VIEW, data=SHEET),
    Case("festival-export", allowed=RUN, method="post", ok=302, data=SHEET),
    Case("household-handbook", household, allowed=VIEW),
    Case("village-handbooks", village, allowed=RUN, method="post", ok=302),
]


# --- trainings and referrals ------------------------------------------------------------------


def programme(world, user, inside):
    # Outside: a programme of the other county, which no role of county A sees.
    from tests.fieldwork import factories_trainings

    return {"pk": factories_trainings.programme(_village(world, inside)).pk}


def enrolment(world, user, inside):
    from fupin.fieldwork import trainings
    from tests.fieldwork import factories_trainings

    village = _village(world, inside)
    made = trainings.enrolment_add(
        programme=factories_trainings.programme(village),
        member=factories_trainings.young_in(village),
        on=date(2019, 3, 1),
    )
    return {"pk": made.pk}


def young_member(world, user, inside):
    from tests.fieldwork import factories_trainings

    return {"member_id": factories_trainings.young_in(_village(world, inside)).pk}


def referral(world, user, inside):
    from tests.fieldwork import factories_trainings

    member = factories_trainings.young_in(_village(world, inside))
    return {"pk": factories_trainings.referral(member).pk}


CASES += [
    Case("training-programmes", allowed=VIEW),
    Case("training-programme-create", allowed=EDIT),
    Case("training-programme", programme, allowed=VIEW),
    # An empty form: refused by the form (400), after the role and area checks.
    Case("training-enrol", programme, allowed=EDIT, method="post", ok=400),
    Case("training-enrolment-outcome", enrolment, allowed=EDIT),
    Case("training-candidates", allowed=VIEW),
    Case("training-referrals", allowed=VIEW),
    Case("training-referral-create", young_member, allowed=EDIT),
    Case("training-referral-outcome", referral, allowed=EDIT),
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
