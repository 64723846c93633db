"""The demo: a district → a township → the seed plan's village with its natural villages, a
second village (to show out-of-area access), and one user per role.

Idempotent: loading it twice leaves the same data. Each domain app may add its own part in a
module `<app>/demo.py` with `load_demo(context: DemoContext)`, run after this one.
"""

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import transaction

from fupin.core.models import Area, User
from fupin.core.roles import Role

# Printed by `make run`: the demo is for trying Fupin out, never for production.
DEMO_PASSWORD = "fupin-demo-2019"  # noqa: S105

PROVINCE = ("450000000000", "广西壮族自治区")
CITY = ("450100000000", "南宁市")
DISTRICT = ("450198000000", "示范区")
TOWNSHIP = ("450198101000", "示范镇")
VILLAGE = ("450198101201", "六合村")
SECOND_VILLAGE = ("450198101202", "那坡村")
# The natural villages (屯) the seed plan names, in its order.
GROUPS = [
    ("Naoma", "那马屯"),
    ("Liuhetun", "六合屯"),
    ("Nahuan", "那环屯"),
    ("Pingli", "平里屯"),
    ("Bianjiatun", "边家屯"),
    ("Majima", "马鸡马屯"),
    ("Erqiaotou", "二桥头屯"),
    ("Dabantian", "大板田屯"),
    ("Liuheyu", "六合峪屯"),
]
SECOND_GROUPS = [("Napo", "那坡屯"), ("Shangling", "上岭屯")]

# username, full name, role, area code
USERS = [
    ("clerk", "韦文书", Role.VILLAGE_CLERK, VILLAGE[0]),
    ("team", "黄第一书记", Role.RESIDENT_TEAM, VILLAGE[0]),
    ("township", "陆审核员", Role.TOWNSHIP_REVIEWER, TOWNSHIP[0]),
    ("county", "蒙审批员", Role.COUNTY_APPROVER, DISTRICT[0]),
    ("inspector", "覃督查员", Role.INSPECTOR, DISTRICT[0]),
    ("water", "李水利", Role.BUREAU, DISTRICT[0]),
    ("admin", "系统管理员", Role.ADMIN, None),
    ("clerk2", "农文书", Role.VILLAGE_CLERK, SECOND_VILLAGE[0]),
]


@dataclass
class DemoContext:
    village: Area
    second_village: Area
    groups: dict[str, Area]  # by the seed's romanised name
    users: dict[str, User]
    log: list[str] = field(default_factory=list)


# The demo's areas come as a county receives them: a division list in the National Bureau of
# Statistics' format and a list of villager groups, loaded by the import a county uses
# (`fupin import-areas`), so that the demo goes through the real path.
FIXTURES = Path(__file__).parent / "fixtures"
DIVISION_FILES = [FIXTURES / "demo-divisions.csv", FIXTURES / "demo-groups.csv"]


def _import_areas() -> None:
    from fupin.core.area_import import check_areas, write_areas

    for path in DIVISION_FILES:
        plan = check_areas(path)
        if plan.errors:
            raise RuntimeError(f"{path.name} has errors: {plan.errors[:3]}")
        write_areas(plan)


@transaction.atomic
def load_core_demo() -> DemoContext:
    _import_areas()
    village = Area.objects.get(code=VILLAGE[0])
    second = Area.objects.get(code=SECOND_VILLAGE[0])
    groups = {
        key: Area.objects.get(code=f"{village.code}{number:03d}")
        for number, (key, _name) in enumerate(GROUPS, start=1)
    }
    users = {}
    for username, full_name, role, area_code in USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.first_name, user.last_name = full_name[1:], full_name[0]
        user.role, user.area_id = role, area_code
        user.is_superuser = user.is_staff = role == Role.ADMIN
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.full_clean(exclude=["password"])
        user.save()
        users[username] = user
    return DemoContext(village=village, second_village=second, groups=groups, users=users)


def load_demo() -> DemoContext:
    context = load_core_demo()
    for app in apps.get_app_configs():
        if not app.name.startswith("fupin.") or app.name == "fupin.core":
            continue
        try:
            module = importlib.import_module(f"{app.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.demo":
                raise
            continue
        module.load_demo(context)
    return context
