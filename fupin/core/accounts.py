"""Creating and changing users: who may grant which role and area, one-time passwords.

Nobody grants beyond their own reach: an all-areas administrator may give any role and area
(and the all-areas role, an administrator without an area); an administrator of an area may
only make users inside that area — never one without an area. A new or reset account gets a
one-time password, shown once, which must be changed at the first sign-in.
"""

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from fupin import areacodes
from fupin.core.models import Area, User
from fupin.core.roles import Role

AREA_BEYOND_REACH = _("This area is outside yours: you may not give it.")
ALL_AREAS_BEYOND_REACH = _("Only an all-areas administrator may make a user without an area.")
AREA_REQUIRED = _("Give the area this user works in (only administrators may have none).")
USERNAME_TAKEN = _("This username is already taken.")
# Letters and digits people read out without mistaking one for another (no 0/O, 1/l/I).
ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def one_time_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(12))


def check_reach(by: User, *, role: str, area: Area | None) -> None:
    """Raise ValidationError unless `by` may give this role and area."""
    if area is None:
        if role != Role.ADMIN:
            raise ValidationError({"area": AREA_REQUIRED})
        if not by.sees_everything:
            raise ValidationError({"area": ALL_AREAS_BEYOND_REACH})
        return
    if not by.sees_everything and not (by.area_id and areacodes.is_within(area.code, by.area_id)):
        raise ValidationError({"area": AREA_BEYOND_REACH})


def _names(full_name: str) -> tuple[str, str]:
    """(last_name, first_name) of a Chinese full name: the family name is its first character
    (two-character family names are rare enough; the full name reads back the same)."""
    full_name = full_name.strip()
    return full_name[:1], full_name[1:]


@transaction.atomic
def user_create(
    *, by: User, username: str, full_name: str, role: str, area: Area | None, phone: str = ""
) -> tuple[User, str]:
    """A new user with a one-time password; returns (user, password)."""
    check_reach(by, role=role, area=area)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": USERNAME_TAKEN})
    last, first = _names(full_name)
    user = User(
        username=username,
        last_name=last,
        first_name=first,
        role=role,
        area=area,
        phone=phone,
        must_change_password=True,
    )
    password = one_time_password()
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user, password


def user_update(
    *,
    by: User,
    user: User,
    full_name: str,
    role: str,
    area: Area | None,
    phone: str = "",
    is_active: bool = True,
) -> User:
    """Change a user; a deactivated user cannot sign in and keeps their history."""
    check_reach(by, role=role, area=area)
    if user.pk == by.pk and not is_active:
        raise ValidationError({"is_active": _("You cannot deactivate yourself.")})
    user.last_name, user.first_name = _names(full_name)
    user.role, user.area, user.phone, user.is_active = role, area, phone, is_active
    user.full_clean(exclude=["password"])
    user.save()
    return user


def user_reset_password(*, by: User, user: User) -> str:
    """A new one-time password for `user`, to be changed at their next sign-in."""
    check_reach(by, role=user.role, area=user.area)
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save()
    return password
