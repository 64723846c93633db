from fupin.core.roles import Capability, Role
from fupin.workplan.models import ProgressUpdate
from tests.authz import Case, roles_with
from tests.workplan import factories


def _village(world, user, inside):
    return world.village if inside else world.outside_village


def _project(world, user, inside):
    # A bureau member sees only their department's projects: make the user a member, so that
    # inside → allowed and outside → 404 come from the area, not from the department.
    members = [user] if user.role == Role.BUREAU else []
    return factories.project(_village(world, user, inside), members=members)


def plan(world, user, inside):
    return {"plan_id": factories.plan(_village(world, user, inside)).pk}


def project(world, user, inside):
    return {"project_id": _project(world, user, inside).pk}


def objective(world, user, inside):
    from fupin.workplan import services

    the_plan = factories.plan(_village(world, user, inside))
    made = services.objective_create(
        plan=the_plan,
        number=the_plan.objectives.count() + 1,
        description="消除绝对贫困",
        indicator="贫困发生率",
        target="0%",
    )
    return {"objective_id": made.pk}


def work_item(world, user, inside):
    from fupin.workplan import services

    the_plan = factories.plan(_village(world, user, inside))
    made = services.work_item_create(
        plan=the_plan, number=the_plan.work_items.count() + 1, kind="symposium", title="座谈会"
    )
    return {"item_id": made.pk}


def department(world, user, inside):
    return {"department_id": factories.department(_village(world, user, inside).code).pk}


def photo(world, user, inside):
    from django.core.files.uploadedfile import SimpleUploadedFile

    made = _project(world, user, inside)
    update = ProgressUpdate.objects.create(project=made, date="2019-05-01", percent=10)
    update.photo.save("site.png", SimpleUploadedFile("site.png", b"\x89PNG\r\n\x1a\n0000"))
    return {"update_id": update.pk}


VIEW = roles_with(Capability.VIEW)
REPORT = roles_with(Capability.REPORT_PROGRESS)
EDIT = roles_with(Capability.EDIT_PLAN)
RUN = roles_with(Capability.RUN_TASKS)
APPROVE = roles_with(Capability.APPROVE)

CASES = [
    Case("plan-list", allowed=VIEW),
    Case("plan-detail", plan, allowed=VIEW),
    Case("plan-create", allowed=EDIT),
    Case("plan-edit", plan, allowed=EDIT),
    Case(
        "plan-edit",
        plan,
        allowed=EDIT,
        method="post",
        ok=302,
        data={"title": "六合村2019年度扶贫工作计划（修订）"},
    ),
    Case("objective-create", plan, allowed=EDIT),
    Case("objective-edit", objective, allowed=EDIT),
    Case(
        "objective-edit",
        objective,
        allowed=EDIT,
        method="post",
        ok=302,
        data={
            "number": 1,
            "description": "消除绝对贫困",
            "indicator": "贫困发生率",
            "target": "0%",
        },
    ),
    Case("work-item-create", plan, allowed=EDIT),
    Case("work-item-edit", work_item, allowed=EDIT),
    Case("project-create", plan, allowed=EDIT),
    Case("project-edit", project, allowed=EDIT),
    Case(
        "plan-document",
        plan,
        allowed=RUN,
        method="post",
        ok=302,
        data={"kind": "plan", "language": "zh"},
    ),
    Case(
        "objective-actual",
        objective,
        allowed=EDIT,
        method="post",
        ok=302,
        data={"actual": "0%", "met": "true"},
    ),
    Case(
        "ledger-export",
        allowed=RUN,
        method="post",
        ok=302,
        data={"year": 2019, "area": "450101001001"},
    ),
    Case("project-list", allowed=VIEW),
    Case("project-detail", project, allowed=VIEW),
    Case(
        "progress-create",
        project,
        allowed=REPORT,
        method="post",
        ok=302,
        data={"date": "2019-06-01", "percent": 40, "note": "路基完成"},
    ),
    Case(
        "expenditure-create",
        project,
        allowed=REPORT,
        method="post",
        ok=302,
        data={
            "date": "2019-06-01",
            "amount": "10000.00",
            "source": "department_budget",
            "voucher_no": "",
        },
    ),
    Case(
        "project-status",
        project,
        allowed=EDIT,
        method="post",
        ok=302,
        data={"status": "started", "on": "2019-03-01"},
    ),
    Case("progress-photo", photo, allowed=VIEW),
    Case("workplan-gantt", allowed=VIEW),
    Case("workplan-budget", allowed=VIEW),
    Case("workplan-warnings", allowed=VIEW),
    Case("workplan-departments", allowed=VIEW),
    Case("department-list", allowed=APPROVE),
    Case("department-create", allowed=APPROVE),
    Case("department-edit", department, allowed=APPROVE),
    Case("workplan-rollup", allowed=VIEW),
]
