from django.conf import settings
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
            models.UniqueConstraint(
                fields=["kind", "id_number"],
                name="exclusion_once_per_list",
                violation_error_message=_("This ID number is already on this list."),
                violation_error_code="on_list_twice",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id_number}"


class ExclusionImport(models.Model):
    """One list imported: when, by whom, from which file, and what it changed — one row per
    kind in the file, even when nothing changed, so that "last imported" is the truth.

    The entries' own changes are in their history; this is the log of imports that the
    exclusion-list page shows.
    """

    kind = models.CharField(_("list"), max_length=16, choices=ExclusionEntry.Kind.choices)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    entries = models.PositiveIntegerField(_("entries in the file"), default=0)
    created = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    deleted = models.PositiveIntegerField(_("removed"), default=0)
    replace = models.BooleanField(_("replaced the list"), default=False)

    class Meta:
        verbose_name = _("exclusion-list import")
        verbose_name_plural = _("exclusion-list imports")
        indexes = [models.Index(fields=["kind", "-imported_at"], name="exclusion_import_latest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.imported_at:%Y-%m-%d %H:%M}"
