from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin import areacodes
from fupin.core.roles import Capability, Role, role_can
from fupin.core.scoping import AreaScopedQuerySet


class UserQuerySet(AreaScopedQuerySet):
    area_path = "area"


class AreaUserManager(UserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True


class User(AbstractUser):
    """A person who signs in, bound to one area and one role.

    The area decides *where* they may look (their area's subtree); the role decides *what*
    they may do there (fupin.core.roles). Only an administrator may have no area, and then
    sees every area.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(
        "core.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Set with a one-time password (a new or reset account): until the user picks their own,
    # every page sends them to the password change (fupin.core.middleware).
    must_change_password = models.BooleanField(_("must change password"), default=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = AreaUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role=Role.ADMIN) | models.Q(area__isnull=False),
                name="user_area_unless_admin",
            ),
        ]

    def save(self, *args, **kwargs):
        # createsuperuser knows nothing of roles: a superuser is an administrator.
        if self.is_superuser and not self.role:
            self.role = Role.ADMIN
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        # Chinese order: family name first, no space (韦文书, not 文书 韦).
        return f"{self.last_name}{self.first_name}".strip()

    @property
    def sees_everything(self) -> bool:
        return self.role == Role.ADMIN and self.area_id is None

    def may_see_area(self, code: str) -> bool:
        if self.sees_everything:
            return True
        return bool(self.area_id) and areacodes.is_within(code, self.area_id)

    def can(self, capability: Capability) -> bool:
        return self.is_active and role_can(self.role, capability)
