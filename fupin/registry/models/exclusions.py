from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ExclusionEntry(models.Model):
    """One person on an exclusion list from another department (vehicle owners, state-paid
    staff, business owners, commercial-housing buyers), matched by ID number.

    Lists are county-wide data from departments, not a village's records: they are kept by
    administrators and only their matches are shown, scoped, on the data-quality page.
    """

    class Kind(models.TextChoices):
        VEHICLE = "vehicle", _("Owns a non-productive vehicle")
        STATE_PAID = "state_paid", _("Paid by the state budget")
        BUSINESS = "business", _("Registered business hiring labour")
        HOUSING = "housing", _("Bought commercial housing")
        OTHER = "other", _("Other exclusion")

    kind = models.CharField(_("list"), max_length=16, choices=Kind.choices)
    id_number = models.CharField(_("resident ID number"), max_length=18, db_index=True)
    source = models.CharField(_("source department"), max_length=100, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exclusion-list entry")
        verbose_name_plural = _("exclusion-list entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "id_number"], name="exclusion_once_per_list")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id_number}"
