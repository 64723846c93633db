"""The procedure pages in the authorization matrix. Reading is for the roles that read
households; writing for the roles that act at some step (village clerk, resident team,
township reviewer, county approver) — an inspector, a bureau or the administrator gets 403
before anything is looked up. A step's own roles are checked step by step in
tests/procedures/test_pages_authz.py (each step: its roles 200, every other role 403,
outside the area 404)."""

from fupin.core.roles import Capability, Role
from fupin.procedures import services
from fupin.procedures.models import Objection
from fupin.procedures.services import notice_post
from tests.authz import Case, roles, roles_with
from tests.procedures import factories, pages


def _village(world, inside):
    return world.village if inside else world.outside_village


def household(world, user, inside):
    pages.actors(world, _village(world, inside))
    return {"household_id": factories.household(_village(world, inside)).pk}


def procedure(world, user, inside):
    return {"pk": pages.procedure_at(world, _village(world, inside), None).pk}


def procedure_for_role(world, user, inside):
    """A procedure whose next step the user's role takes (for other roles, any)."""
    upto = pages.NEXT_FOR.get(user.role)
    return {"pk": pages.procedure_at(world, _village(world, inside), upto).pk}


def exit_procedure(world, user, inside):
    made = pages.procedure_at(world, _village(world, inside), None, kind="exit")
    return {"pk": made.pk}


def reversible_record(world, user, inside):
    upto = {Role.TOWNSHIP_REVIEWER: "township_review"}.get(user.role, "application")
    made = pages.procedure_at(world, _village(world, inside), upto)
    return {"record_id": made.records.order_by("-step__order").first().pk}


def objection(world, user, inside):
    village = _village(world, inside)
    made = pages.procedure_at(world, village, "first_notice")
    people = pages.actors(world, village)
    found = services.objection_raise(
        procedure=made, user=people[Role.VILLAGE_CLERK], content="收入不实"
    )
    return {"objection_id": Objection.objects.get(pk=found.pk).pk}


def notice(world, user, inside):
    village = _village(world, inside)
    made = pages.procedure_at(world, village, "first_notice")
    return {"pk": made.records.get(step__code="first_notice").notice_id}


def lone_notice(world, user, inside):
    village = _village(world, inside)
    people = pages.actors(world, village)
    step = pages.StepDefinition.objects.get(
        workflow__province="", workflow__kind="identification", code="first_notice"
    )
    made = notice_post(
        area_code=village.code,
        kind="identification",
        year=2019,
        step=step,
        posted_on=pages.DAY,
        user=people[Role.VILLAGE_CLERK],
    )
    return {"pk": made.pk}


def attachment(world, user, inside):
    return {"pk": pages.attachment(world, _village(world, inside)).pk}


def batch_document(world, user, inside):
    return {"pk": pages.batch_with_document(world, _village(world, inside)).pk}


VIEW = roles_with(Capability.VIEW_REGISTRY)
ACTING = roles(*(Role(r) for r in services.PROCEDURE_ROLES))
STARTING = roles(Role.VILLAGE_CLERK, Role.RESIDENT_TEAM)

CASES = [
    Case("procedure-list", allowed=VIEW),
    Case("procedure-waiting", allowed=VIEW),
    Case("procedure-overview", allowed=VIEW),
    Case("monitoring-proposals", allowed=VIEW),
    Case("notice-list", allowed=VIEW),
    Case("procedure-batch", allowed=ACTING),
    Case("procedure-detail", procedure, allowed=VIEW),
    Case("procedure-start", household, allowed=STARTING),
    Case("procedure-step", procedure_for_role, allowed=ACTING),
    Case("step-reverse", reversible_record, allowed=ACTING),
    Case("procedure-withdraw", procedure, allowed=ACTING),
    Case("objection-raise", procedure, allowed=ACTING),
    Case("objection-resolve", objection, allowed=ACTING),
    Case("procedure-agreement", exit_procedure, allowed=VIEW),
    Case("notice-detail", notice, allowed=VIEW),
    Case("notice-docx", lone_notice, allowed=VIEW),
    Case("procedure-attachment", attachment, allowed=VIEW),
    Case("batch-document", batch_document, allowed=VIEW),
]
