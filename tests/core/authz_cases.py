from fupin.core.models import Job
from fupin.core.roles import Capability, Role
from tests.authz import Case, roles, roles_with


def area(world, user, inside):
    if not inside:
        return {"code": world.outside_village.code}
    return {"code": (user.area_id if user.area_id else world.village.code)}


def job(world, user, inside):
    owner = user if inside else world.outsider
    where = world.village if inside else world.outside_village
    if inside and user.area_id and not world.village.code.startswith(user.area.prefix):
        where = user.area
    made = Job.objects.create(kind="recompute_area_statistics", owner=owner, area=where)
    return {"job_id": made.pk}


def job_with_file(world, user, inside):
    from fupin.core.jobs import job_file_path, job_file_result

    kwargs = job(world, user, inside)
    made = Job.objects.get(pk=kwargs["job_id"])
    path = job_file_path(made, "export.csv")
    path.write_text("x\n")
    Job.objects.filter(pk=made.pk).update(
        status=Job.Status.SUCCEEDED, result=job_file_result(made, path)
    )
    return kwargs


def area_history(world, user, inside):
    return {"app_label": "core", "model_name": "area", "pk": area(world, user, inside)["code"]}


def user_record(world, user, inside):
    return {"user_id": (world.user(Role.VILLAGE_CLERK) if inside else world.outsider).pk}


RUNNERS = roles_with(Capability.RUN_TASKS)

CASES = [
    Case("home"),
    Case("password_change"),
    Case("password_change_done"),
    Case("area-detail", area),
    Case("area-statistics", area, allowed=RUNNERS, method="post", ok=302),
    Case("job-list"),
    Case("job-detail", job),
    Case("job-progress", job),
    Case("job-download", job_with_file),
    Case("record-history", area_history, allowed=roles(Role.INSPECTOR, Role.ADMIN)),
    Case("deleted-records", allowed=roles(Role.INSPECTOR, Role.ADMIN)),
    Case("user-list", allowed=roles(Role.ADMIN)),
    Case("area-import", allowed=roles(Role.ADMIN)),
    Case("user-unlock", user_record, allowed=roles(Role.ADMIN), method="post", ok=302),
    Case("user-create", allowed=roles(Role.ADMIN)),
    Case("user-import", allowed=roles(Role.ADMIN)),
    Case("user-edit", user_record, allowed=roles(Role.ADMIN)),
    # the new one-time password is shown on the answer, not after a redirect
    Case("user-reset-password", user_record, allowed=roles(Role.ADMIN), method="post", ok=200),
]
