"""Helpers for the procedure pages' tests: the actors of a village (inside county A the
world's users, in county B users made for it) and procedures walked to a step through the
services."""

import datetime

from django.core.files.base import ContentFile

from fupin.core.models import User
from fupin.core.roles import Role
from fupin.procedures import rules, services
from fupin.procedures.defaults import ensure_defaults
from fupin.procedures.models import Attachment, Batch, StepDefinition
from tests.conftest import make_user
from tests.procedures import factories

DAY = datetime.date(2019, 3, 1)
VOTES = rules.Votes(votes_for=20, against=2, abstain=1, attendance=23, eligible=30)
TODAY = datetime.date(2019, 12, 31)


def actors(world, village) -> dict:
    """A user of each acting role whose area holds `village`."""
    ensure_defaults()
    if village.code == world.village.code:
        return {role: world.user(role) for role in services.PROCEDURE_ROLES}
    made = {}
    for role, code in (
        (Role.VILLAGE_CLERK, village.code),
        (Role.RESIDENT_TEAM, village.code),
        (Role.TOWNSHIP_REVIEWER, village.code[:9] + "000"),
        (Role.COUNTY_APPROVER, village.code[:6] + "000000"),
    ):
        name = f"b_{role.value}"
        found = User.objects.filter(username=name).first()
        made[role] = found or make_user(name, role, code)
    return made


def step_codes(kind: str) -> list[str]:
    return list(
        StepDefinition.objects.filter(workflow__province="", workflow__kind=kind)
        .order_by("order")
        .values_list("code", flat=True)
    )


def advance(procedure, upto: str | None, people: dict, start_on=DAY, **extra):
    """Record the procedure's steps in order up to `upto` (included; None: none), each on
    its own day, the notices given their full period. Returns the last record."""
    record = None
    if upto is None:
        return None
    on = start_on
    for definition in StepDefinition.objects.filter(workflow=procedure.workflow).order_by("order"):
        more = dict(extra.get(definition.code, {}))
        role = more.pop("actor_role", None)
        actor = (
            people[role] if role else next(u for u in people.values() if u.role in definition.roles)
        )
        if definition.vote:
            more.setdefault("votes", VOTES)
        if definition.needs_document:
            more.setdefault("documents", [ContentFile(b"signed", name="agreement.pdf")])
        if definition.is_notice:
            more.setdefault("notice_place", "村委会公示栏")
            more.setdefault("notice_object_to", "村委会 0771-1234567")
        record = services.step_record(
            procedure=procedure,
            step_code=definition.code,
            user=actor,
            on=on,
            today=TODAY,
            **more,
        )
        on = on + datetime.timedelta(days=definition.notice_days or 1)
        if definition.code == upto:
            return record
    return record


# An exit verification without an assessment: the county's written override.
OVERRIDE = {"verification": {"override_reason": "县级核实认定", "actor_role": Role.COUNTY_APPROVER}}


def procedure_at(world, village, upto: str | None, kind="identification", **fields):
    """A procedure of a new household of `village`, its steps recorded up to `upto` (an
    exit's verification by the county's override, no assessment being run)."""
    people = actors(world, village)
    status = {"identification": "not_registered", "exit": "registered"}[kind]
    household = factories.household(village, status=status, **fields)
    procedure = services.procedure_start(
        household=household, kind=kind, year=2019, user=people[Role.VILLAGE_CLERK], on=DAY
    )
    advance(procedure, upto, people, **(OVERRIDE if kind == "exit" else {}))
    procedure.refresh_from_db()
    return procedure


# Where an identification procedure stands when each acting role takes the next step.
NEXT_FOR = {
    Role.VILLAGE_CLERK: None,
    Role.RESIDENT_TEAM: None,
    Role.TOWNSHIP_REVIEWER: "first_notice",
    Role.COUNTY_APPROVER: "second_notice",
}


def attachment(world, village):
    procedure = procedure_at(world, village, "application")
    record = procedure.records.get()
    return Attachment.objects.create(
        record=record,
        village_id=village.code,
        file=ContentFile(b"minutes", name="minutes.txt"),
        name="minutes.txt",
    )


def batch_with_document(world, village):
    procedure = procedure_at(world, village, "application")
    record = procedure.records.get()
    return Batch.objects.create(
        village_id=village.code,
        kind="identification",
        year=2019,
        step=record.step,
        date=DAY,
        households=1,
        document=ContentFile(b"minutes", name="batch-minutes.txt"),
    )
