"""Many users at once from a sheet: username, name, phone, role, area code.

Roles are given by their Chinese label (村文书…), their English label or key
(`village_clerk`). All or nothing: every row is checked first — reach included, so an area
administrator's sheet cannot hold a user outside their area — and only a sheet without errors
is written, in one transaction. Every new account gets a one-time password, returned once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from fupin.core import accounts
from fupin.core.import_errors import RowError, register_messages
from fupin.core.models import Area, User
from fupin.core.reading import ImportFileError, read_table
from fupin.core.roles import Role

MESSAGES = {
    "bad_username": _("Letters, digits and _ . @ + - only, at least 2."),
    "username_taken": _("This username is already taken."),
    "username_twice": _("This username is already in row %(row)s."),
    "unknown_role": _("Not a role: use one of %(allowed)s."),
    "unknown_area": _("No area with this code is in Fupin."),
    "beyond_reach": _("You may not give this role or area: %(reason)s"),
}
register_messages(MESSAGES)

COLUMNS = {
    "username": ("用户名", "username"),
    "full_name": ("姓名", "name", "full_name"),
    "phone": ("电话", "手机", "phone"),
    "role": ("角色", "role"),
    "area": ("区划代码", "区域代码", "area", "area_code"),
}
TITLES = {
    "username": "用户名",
    "full_name": "姓名",
    "phone": "电话",
    "role": "角色",
    "area": "区划代码",
}


def column_title(key: str) -> str:
    return TITLES.get(key, key)


# What offices also write for a role, beside its name in either language and its key.
ROLE_ALIASES = {
    "村文书": Role.VILLAGE_CLERK,
    "文书": Role.VILLAGE_CLERK,
    "村干部": Role.VILLAGE_CLERK,
    "第一书记": Role.RESIDENT_TEAM,
    "工作队员": Role.RESIDENT_TEAM,
    "管理员": Role.ADMIN,
}


def role_lookup() -> dict[str, str]:
    names = {alias.lower(): role.value for alias, role in ROLE_ALIASES.items()}
    for value, label in Role.choices:
        names[value.lower()] = value
        for language in ("zh-hans", "en"):
            with override(language):
                names[str(label).lower()] = value
    return names


@dataclass
class UserPlan:
    rows: int = 0
    users: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def check_users(path: Path, *, by: User, progress: Callable | None = None) -> UserPlan:
    import re

    table = read_table(Path(path))
    try:
        at = {}
        for index, title in enumerate(table.header):
            for key, names in COLUMNS.items():
                if title.strip().lower() in names and key not in at:
                    at[key] = index
        missing = [column_title(k) for k in ("username", "full_name", "role") if k not in at]
        if missing:
            raise ImportFileError("missing_columns", columns=", ".join(missing))
        rows = list(table.rows)
    finally:
        table.close()
    plan = UserPlan(rows=len(rows))
    if not rows:
        raise ImportFileError("no_rows")
    roles = role_lookup()
    allowed = "、".join(str(label) for _v, label in Role.choices)

    def cell(cells, key):
        index = at.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    codes = {cell(cells, "area") for _n, cells in rows} - {""}
    areas = Area.objects.in_bulk(list(codes))
    names = {cell(cells, "username").lower() for _n, cells in rows}
    # Usernames are compared without case, as sign-in does.
    taken = set(
        User.objects.annotate(lowered=Lower("username"))
        .filter(lowered__in=names)
        .values_list("lowered", flat=True)
    )
    seen: dict[str, int] = {}
    for number, cells in rows:
        values = {key: cell(cells, key) for key in COLUMNS}
        errors = []
        username = values["username"]
        if not re.fullmatch(r"[A-Za-z0-9_.@+-]{2,150}", username):
            errors.append(RowError(number, "username", username, "bad_username"))
        elif username.lower() in seen:
            errors.append(
                RowError(
                    number, "username", username, "username_twice", {"row": seen[username.lower()]}
                )
            )
        elif username.lower() in taken:
            errors.append(RowError(number, "username", username, "username_taken"))
        seen.setdefault(username.lower(), number)
        if not values["full_name"]:
            errors.append(RowError(number, "full_name", "", "required"))
        role = roles.get(values["role"].lower())
        if role is None:
            errors.append(
                RowError(number, "role", values["role"], "unknown_role", {"allowed": allowed})
            )
        area = None
        if values["area"]:
            area = areas.get(values["area"])
            if area is None:
                errors.append(RowError(number, "area", values["area"], "unknown_area"))
        if role and not errors:
            try:
                accounts.check_reach(by, role=role, area=area)
            except ValidationError as error:
                reason = " ".join(error.messages)
                errors.append(
                    RowError(number, "area", values["area"], "beyond_reach", {"reason": reason})
                )
        plan.errors.extend(errors)
        if not errors:
            plan.users.append({**values, "role": role, "area": area, "row": number})
        if progress and number % 100 == 0:
            progress(number)
    return plan


@transaction.atomic
def write_users(plan: UserPlan, *, by: User, progress: Callable | None = None) -> list[tuple]:
    """Create every user of a checked plan; returns (username, full name, password) each."""
    if plan.errors:
        raise ValueError("a plan with errors is not written")
    made = []
    for done, row in enumerate(plan.users, start=1):
        user, password = accounts.user_create(
            by=by,
            username=row["username"],
            full_name=row["full_name"],
            role=row["role"],
            area=row["area"],
            phone=row["phone"],
        )
        made.append((user.username, user.get_full_name(), password))
        if progress and done % 20 == 0:
            progress(done)
    return made
