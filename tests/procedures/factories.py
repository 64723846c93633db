"""Procedures for tests, made through the services, and the facts they need."""

import datetime

from fupin.assessment.services import assessment_run
from fupin.procedures import rules, services
from fupin.procedures.models import RiskType
from tests.registry.factories import make_household

DAY = datetime.date(2019, 3, 1)
VOTES = rules.Votes(votes_for=20, against=2, abstain=1, attendance=23, eligible=30)


def household(village, status="not_registered", **fields):
    return make_household(village, status=status, members=2, **fields)


def start(household, user, kind="identification", year=2019, **more):
    if kind == "monitoring":
        more.setdefault("monitoring_kind", "unstable_exited")
        more.setdefault("risk_types", list(RiskType.objects.filter(code="illness")))
    return services.procedure_start(
        household=household, kind=kind, year=year, user=user, on=DAY, **more
    )


def record(procedure, step, user, on=DAY, today=None, **more):
    return services.step_record(
        procedure=procedure, step_code=step, user=user, on=on, today=today or on, **more
    )


def assess(area, year=2019):
    return assessment_run(area=area, year=year)


def income(household, year, per_person, members=2):
    from fupin.registry.models import YearlyIncome

    return YearlyIncome.objects.create(
        household=household, year=year, members=members, wage=per_person * members
    )
