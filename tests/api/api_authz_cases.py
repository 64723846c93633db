"""Every API operation for the API authorization matrix (tests/api/test_api_matrix.py).

As tests/<app>/authz_cases.py does for the pages: a case names the operation (its path with
`{…}` filled by `kwargs`), which roles may call it (403 for the others) and what they get inside
their area; outside it every allowed role gets 404. `kwargs(world, user, inside)` makes the
record the path names; `data` is the body (or a function of the world and the user); a path
may carry a query (`?run={run}`), which the coverage check leaves aside.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from datetime import date

from fupin import idnumbers
from fupin.core.roles import Capability, Role
from fupin.fieldwork.defaults import ensure_defaults
from tests.authz import ALL_ROLES, roles_with
from tests.registry.factories import make_household
from tests.workplan import factories as plans


@dataclass(frozen=True)
class ApiCase:
    method: str
    path: str
    kwargs: object = (
        None  # (world, user, inside) -> {name: value}: the path's, and any the data uses
    )
    allowed: frozenset = ALL_ROLES
    ok: int = 200
    data: object = field(
        default_factory=dict
    )  # a dict, or (world, user, made) -> dict; made: what kwargs made
    multipart: bool = False
    # What an allowed role gets inside its area when it differs from `ok` (a role that may
    # call the operation but does not act at this step of a procedure: 403).
    ok_for: dict = field(default_factory=dict)

    @property
    def operation(self) -> tuple[str, str]:
        return self.method, self.path.partition("?")[0]


def _village(world, inside):
    return world.village if inside else world.outside_village


def area(world, user, inside):
    return {"code": _village(world, inside).code}


def household(world, user, inside):
    return {"pk": make_household(_village(world, inside)).pk}


def member(world, user, inside):
    return {"pk": make_household(_village(world, inside)).members.first().pk}


def income(world, user, inside):
    return {"pk": make_household(_village(world, inside), income=3000).incomes.get().pk}


def run(world, user, inside):
    from fupin.assessment.services import assessment_run

    village = _village(world, inside)
    make_household(village, income=3000)
    return {"pk": assessment_run(area=village, year=2019).pk}


def run_query(world, user, inside):
    return {"run": run(world, user, inside)["pk"]}


def plan(world, user, inside):
    return {"pk": plans.plan(_village(world, inside)).pk}


def objective(world, user, inside):
    from fupin.workplan import services

    the_plan = plans.plan(_village(world, inside))
    made = services.objective_create(
        plan=the_plan, number=1, description="消除绝对贫困", indicator="贫困发生率", target="0%"
    )
    return {"pk": made.pk}


def project(world, user, inside):
    # A bureau member sees only their department's projects: make the user a member, so that
    # inside → allowed and outside → 404 come from the area, not from the department.
    members = [user] if user.role == Role.BUREAU else []
    return {"pk": plans.project(_village(world, inside), members=members).pk}


def job(world, user, inside):
    """A finished job with a file: the user's own inside, another's in county B outside."""
    from fupin.core.jobs import job_file_path, job_file_result
    from fupin.core.models import Job

    owner = user if inside else world.outsider
    made = Job.objects.create(
        kind="export_registry", owner=owner, area=_village(world, inside), status="succeeded"
    )
    path = job_file_path(made, "export.csv")
    path.write_text("户编号\n")
    made.result = job_file_result(made, path)
    made.save()
    return {"job_id": made.pk}


def new_project(world, user, made):
    return {
        "name": "产业路",
        "category": "road",
        "lead_department": plans.department(world.village.code).pk,
        "funding": [{"kind": "poverty_fund", "planned_amount": "50000"}],
    }


NEW_MEMBER_ID = idnumbers.make("450122", datetime.date(2003, 4, 5), 917)

VIEW = roles_with(Capability.VIEW)
VIEW_REGISTRY = roles_with(Capability.VIEW_REGISTRY)
EDIT = roles_with(Capability.EDIT_REGISTRY)
REVEAL = roles_with(Capability.REVEAL_ID_NUMBERS)
RUN = roles_with(Capability.RUN_TASKS)
EDIT_PLAN = roles_with(Capability.EDIT_PLAN)
REPORT = roles_with(Capability.REPORT_PROGRESS)

CASES = [
    ApiCase("get", "/api/v1/areas/", allowed=VIEW),
    ApiCase("get", "/api/v1/areas/{code}/", area, allowed=VIEW),
    ApiCase("get", "/api/v1/registry/households/", allowed=VIEW_REGISTRY),
    ApiCase("get", "/api/v1/registry/households/{pk}/", household, allowed=VIEW_REGISTRY),
    ApiCase("post", "/api/v1/registry/members/{pk}/reveal/", member, allowed=REVEAL),
]

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
    # members and yearly incomes
    ApiCase("get", "/api/v1/registry/members/", allowed=VIEW_REGISTRY),
    ApiCase("get", "/api/v1/registry/members/{pk}/", member, allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        "/api/v1/registry/households/{pk}/members/",
        household,
        allowed=EDIT,
        ok=201,
        data={"relation": "child", "name": "新成员", "id_number": NEW_MEMBER_ID},
    ),
    ApiCase(
        "patch",
        "/api/v1/registry/members/{pk}/",
        member,
        # The page's edit form shows the full number: both capabilities, as that page.
        allowed=EDIT & REVEAL,
        data={"migrant_place": "广州", "migrant_months": 6},
    ),
    ApiCase("get", "/api/v1/registry/incomes/", allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        "/api/v1/registry/households/{pk}/incomes/",
        household,
        allowed=EDIT,
        ok=201,
        data={"year": 2020, "wage": "12000"},
    ),
    ApiCase("patch", "/api/v1/registry/incomes/{pk}/", income, allowed=EDIT, data={"wage": "1"}),
    ApiCase(
        "post",
        "/api/v1/registry/imports/",
        allowed=EDIT & RUN,
        ok=202,
        multipart=True,
        data={"file": ("households.csv", "户编号\n".encode())},
    ),
    # assessment
    ApiCase("get", "/api/v1/assessment/runs/", allowed=VIEW),
    ApiCase("get", "/api/v1/assessment/runs/{pk}/", run, allowed=VIEW),
    ApiCase(
        "post",
        "/api/v1/assessment/areas/{code}/runs/",
        area,
        allowed=RUN,
        ok=202,
        data={"year": 2019},
    ),
    ApiCase("get", "/api/v1/assessment/area-results/", allowed=VIEW),
    ApiCase("get", "/api/v1/assessment/results/?run={run}", run_query, allowed=VIEW_REGISTRY),
    ApiCase("get", "/api/v1/assessment/households/{pk}/results/", household, allowed=VIEW_REGISTRY),
    # work plan
    ApiCase("get", "/api/v1/workplan/plans/", allowed=VIEW),
    ApiCase("get", "/api/v1/workplan/plans/{pk}/", plan, allowed=VIEW),
    ApiCase(
        "post",
        "/api/v1/workplan/plans/",
        allowed=EDIT_PLAN,
        ok=201,
        data={"area": "450101001001", "year": 2021, "title": "甲一村2021年度扶贫工作计划"},
    ),
    ApiCase(
        "patch", "/api/v1/workplan/plans/{pk}/", plan, allowed=EDIT_PLAN, data={"title": "修订"}
    ),
    ApiCase(
        "post",
        "/api/v1/workplan/plans/{pk}/objectives/",
        plan,
        allowed=EDIT_PLAN,
        ok=201,
        data={"description": "饮水安全", "indicator": "达标户数", "target": "100%"},
    ),
    ApiCase(
        "patch",
        "/api/v1/workplan/objectives/{pk}/",
        objective,
        allowed=EDIT_PLAN,
        data={"actual": "0%", "met": True},
    ),
    ApiCase("get", "/api/v1/workplan/projects/", allowed=VIEW),
    ApiCase("get", "/api/v1/workplan/projects/{pk}/", project, allowed=VIEW),
    ApiCase(
        "post",
        "/api/v1/workplan/plans/{pk}/projects/",
        plan,
        allowed=EDIT_PLAN,
        ok=201,
        data=new_project,
    ),
    ApiCase(
        "patch",
        "/api/v1/workplan/projects/{pk}/",
        project,
        allowed=EDIT_PLAN,
        data={"name": "饮水工程二期"},
    ),
    ApiCase(
        "post",
        "/api/v1/workplan/projects/{pk}/status/",
        project,
        allowed=EDIT_PLAN,
        data={"status": "started", "on": "2019-03-01"},
    ),
    ApiCase(
        "post",
        "/api/v1/workplan/projects/{pk}/progress/",
        project,
        allowed=REPORT,
        ok=201,
        data={"date": "2019-05-01", "percent": 30, "note": "开工"},
    ),
    ApiCase(
        "post",
        "/api/v1/workplan/projects/{pk}/expenditures/",
        project,
        allowed=REPORT,
        ok=201,
        data={"date": "2019-05-01", "amount": "1000", "source": "department_budget"},
    ),
    # jobs: the user's own (outside: another user's, in another county)
    ApiCase("get", "/api/v1/jobs/", allowed=VIEW),
    ApiCase("get", "/api/v1/jobs/{job_id}/", job, allowed=VIEW),
    ApiCase("get", "/api/v1/jobs/{job_id}/download/", job, allowed=VIEW),
]


# --- fieldwork ---------------------------------------------------------------------------------


def fieldwork_household(world, user, inside):
    """A registered household with a cadre of its village, who may visit it."""
    from tests.fieldwork import factories

    ensure_defaults()  # measure types, should a transactional test have emptied them
    home = factories.household(_village(world, inside))
    return {"pk": home.pk, "cadre": factories.cadre(home.village).pk}


def _visit(world, user, inside):
    from tests.fieldwork import factories

    home = factories.household(_village(world, inside))
    owner = factories.cadre(home.village)
    follow_up = {"action": "联系医保", "owner": owner, "due_on": date(2019, 5, 15)}
    return factories.visit(home, date(2019, 5, 1), visitor=owner, follow_up=follow_up)


def visit(world, user, inside):
    return {"pk": _visit(world, user, inside).pk}


def follow_up(world, user, inside):
    return {"pk": _visit(world, user, inside).follow_ups.get().pk}


def measure(world, user, inside):
    """A measure of a household plan, for its change."""
    from fupin.fieldwork import services
    from fupin.fieldwork.models import MeasureType

    ensure_defaults()  # measure types, should a transactional test have emptied them
    home = make_household(_village(world, inside))
    kind = MeasureType.objects.get(code="industry")
    made = services.measure_add(household=home, year=2019, type=kind, description="种桑养蚕")
    return {"pk": made.pk}


def new_visit(world, user, made):
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
        data=lambda world, user, made: {"cadre": made["cadre"], "started_on": "2019-05-01"},
    ),
    ApiCase("get", f"{FIELDWORK}/visits/", allowed=VIEW_REGISTRY),
    ApiCase("get", FIELDWORK + "/visits/{pk}/", visit, allowed=VIEW_REGISTRY),
    ApiCase(
        "patch", FIELDWORK + "/visits/{pk}/", visit, allowed=EDIT, data={"purpose": "核实收入"}
    ),
    # Its follow-up is open: it goes with the visit.
    ApiCase(
        "delete",
        FIELDWORK + "/visits/{pk}/",
        visit,
        allowed=EDIT,
        ok=204,
        data={"reason": "recorded twice"},
    ),
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
    ApiCase(
        "patch",
        FIELDWORK + "/measures/{pk}/",
        measure,
        allowed=EDIT,
        data={"status": "done", "outcome": "年增收3000元"},
    ),
    ApiCase("get", f"{FIELDWORK}/compliance/", allowed=VIEW_REGISTRY),
]


# --- trainings and referrals (fupin/api/trainings.py) -----------------------------------------


def _trainings():
    from tests.fieldwork import factories_trainings

    return factories_trainings


def programme(world, user, inside):
    village = world.village if inside else world.outside_village
    return {"pk": _trainings().programme(village).pk}


def enrolment(world, user, inside):
    from fupin.fieldwork import trainings

    village = world.village if inside else world.outside_village
    made = trainings.enrolment_add(
        programme=_trainings().programme(village),
        member=_trainings().young_in(village),
        on=datetime.date(2019, 3, 1),
    )
    return {"pk": made.pk}


def referral(world, user, inside):
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
        data={"programme": 10**9, "member": 10**9, "enrolled_on": "2019-03-01"},
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
        data={
            "member": 10**9,
            "kind": "school",
            "destination": "职校",
            "referred_on": "2019-05-01",
        },
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

# Meetings and mediation cases (fupin/api/meetings.py).


def _fieldwork():
    from fupin.fieldwork.defaults import ensure_defaults

    ensure_defaults()  # the types, which a transactional test elsewhere may have emptied
    from tests.fieldwork import factories

    return factories


def meeting(world, user, inside):
    village = world.village if inside else world.outside_village
    return {"pk": _fieldwork().meeting(village).pk}


def mediation_case(world, user, inside):
    village = world.village if inside else world.outside_village
    return {"pk": _fieldwork().mediation_case(village).pk}


def festival_entry(world, user, inside):
    village = world.village if inside else world.outside_village
    return {"pk": _fieldwork().festival_entry(make_household(village)).pk}


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
    ApiCase(
        "patch",
        "/api/v1/fieldwork/meetings/{pk}/",
        meeting,
        allowed=EDIT,
        data={"topic": "村民代表会议", "minutes": "议定修路"},
    ),
    ApiCase(
        "patch",
        "/api/v1/fieldwork/mediation-cases/{pk}/",
        mediation_case,
        allowed=EDIT,
        data={"status": "resolved", "outcome": "双方和解"},
    ),
    ApiCase("get", "/api/v1/fieldwork/festival-entries/", allowed=VIEW_REGISTRY),
    ApiCase(
        "post",
        "/api/v1/fieldwork/festival-entries/{pk}/visit/",
        festival_entry,
        allowed=EDIT,
        data={"gift_kind": "money", "value": "500.00", "given_on": "2019-01-28"},
    ),
]


# --- procedures -----------------------------------------------------------------------------


def _procedure(world, user, inside):
    from fupin.core.roles import Role
    from fupin.procedures import services
    from fupin.procedures.defaults import ensure_defaults

    ensure_defaults()  # a transactional test elsewhere may have emptied the seeded workflows
    village = world.village if inside else world.outside_village
    clerk = world.user(Role.VILLAGE_CLERK) if inside else world.outsider
    return services.procedure_start(
        household=make_household(village), kind="identification", year=2019, user=clerk
    ), clerk


def procedure(world, user, inside):
    return {"pk": _procedure(world, user, inside)[0].pk}


def procedure_step(world, user, inside):
    from fupin.procedures import services

    made, clerk = _procedure(world, user, inside)
    step = services.step_record(procedure=made, step_code="application", user=clerk)
    return {"pk": made.pk, "record": step.pk}


def objection(world, user, inside):
    from fupin.procedures import services

    made, clerk = _procedure(world, user, inside)
    return {"pk": services.objection_raise(procedure=made, user=clerk, content="有异议").pk}


def new_procedure(world, user, made):
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
        data=new_procedure,
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
