from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.scoping import AreaScopedQuerySet


class AccessEventQuerySet(AreaScopedQuerySet):
    area_path = "area"


class AccessEvent(models.Model):
    """A read that must be accounted for: a full ID number revealed, an export of them.

    Changes are audited by django-simple-history on each model; reads leave no history, so
    the few reads that matter are recorded here.
    """

    class Action(models.TextChoices):
        REVEAL_ID_NUMBER = "reveal_id_number", _("Revealed an ID number")
        EXPORT_ID_NUMBERS = "export_id_numbers", _("Exported full ID numbers")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    area = models.ForeignKey(
        "core.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    object_label = models.CharField(_("record type"), max_length=100, blank=True)
    object_pk = models.CharField(_("record"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.object_label} {self.object_pk}"
