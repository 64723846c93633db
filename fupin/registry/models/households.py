from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.scoping import AreaScopedQuerySet
from fupin.registry import choices as c
from fupin.registry.errors import MESSAGES
from fupin.registry.models.constraints import ConstraintErrorsAtFields

# The order households are listed in, on the pages and in the API: by village, then household
# number. The (village, household_no) index holds rows in this order, so the first page of any
# area — a village, a township, a county — is one range of it read from its start. Ordered by
# household number alone, PostgreSQL read the household-number index from the first and
# filtered the area: 232,150 rows before the last township's first (docs/performance.md).
HOUSEHOLD_ORDER = ("village_id", "household_no")


class HouseholdQuerySet(AreaScopedQuerySet):
    area_path = "village"
    area_stat_label = _("Households")

    def in_list_order(self):
        return self.order_by(*HOUSEHOLD_ORDER)

    def registered_poor(self):
        return self.filter(status=c.Status.REGISTERED)


class Household(ConstraintErrorsAtFields, models.Model):
    """A household (户) of the registry; its members and yearly incomes hang off it.

    A household is never deleted: it is cancelled with a reason, and its record stays.
    """

    # A broken constraint's message is shown at this field (its violation_error_code: field).
    constraint_fields = {
        "cancel_reason_required": "cancel_reason",
        "exit_before_registration": "year_exited",
        "year_registered_required": "year_registered",
        "year_exited_required": "year_exited",
    }

    household_no = models.CharField(_("household number"), max_length=32, unique=True)
    village = models.ForeignKey(
        "core.Area",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the list-filter and (village, household_no) indexes serve it
    )
    group = models.ForeignKey(
        "core.Area",
        verbose_name=_("villager group"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=c.Status.choices, default=c.Status.NOT_REGISTERED
    )
    cancel_reason = models.CharField(
        _("reason for cancellation"), max_length=24, choices=c.CancelReason.choices, blank=True
    )
    attribute = models.CharField(
        _("poverty attribute"), max_length=16, choices=c.Attribute.choices, blank=True
    )
    year_registered = models.PositiveSmallIntegerField(_("year registered"), null=True, blank=True)
    year_exited = models.PositiveSmallIntegerField(_("year exited"), null=True, blank=True)
    poverty_cause = models.CharField(
        _("main cause of poverty"), max_length=16, choices=c.PovertyCause.choices, blank=True
    )
    dibao = models.BooleanField(_("dibao household"), default=False)
    five_guarantee = models.BooleanField(_("five-guarantee household"), default=False)
    special_support = models.BooleanField(_("special-support (destitute)"), default=False)
    military_family = models.BooleanField(_("military family"), default=False)
    housing_grade = models.CharField(
        _("housing safety grade"), max_length=1, choices=c.HousingGrade.choices, blank=True
    )
    housing_renovation = models.CharField(
        _("housing renovation"),
        max_length=12,
        choices=c.HousingRenovation.choices,
        default=c.HousingRenovation.NONE,
    )
    water_quality = models.CharField(
        _("water quality"), max_length=8, choices=c.WaterLevel.choices, blank=True
    )
    water_quantity = models.CharField(
        _("water quantity"), max_length=8, choices=c.WaterLevel.choices, blank=True
    )
    water_convenience = models.CharField(
        _("water convenience"), max_length=8, choices=c.WaterLevel.choices, blank=True
    )
    water_reliability = models.CharField(
        _("water reliability"), max_length=8, choices=c.WaterLevel.choices, blank=True
    )
    electricity = models.BooleanField(_("household electricity"), default=True)
    road = models.BooleanField(_("hardened road to the group"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(no_db_index=["village", "group", "household_no"])

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["household_no"]
        indexes = [
            # Every filter of the household list but search and income: the list's count,
            # whatever the filters, reads this index and not the table.
            models.Index(
                fields=[
                    "village",
                    "status",
                    "attribute",
                    "poverty_cause",
                    "dibao",
                    "five_guarantee",
                    "special_support",
                    "military_family",
                ],
                name="household_list_filters",
            ),
            models.Index(fields=["village", "household_no"]),
            # A village's latest change is one probe: the fieldwork's stored compliance
            # figures of a village are stale once a household of it changed after them.
            models.Index(fields=["village", "updated_at"], name="household_village_changed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=c.Status.CANCELLED) & ~Q(cancel_reason=""))
                | (~Q(status=c.Status.CANCELLED) & Q(cancel_reason="")),
                name="household_cancel_reason_iff_cancelled",
                violation_error_message=MESSAGES["cancel_reason_required"],
                violation_error_code="cancel_reason_required",
            ),
            models.CheckConstraint(
                condition=Q(year_exited__isnull=True)
                | Q(year_registered__isnull=True)
                | Q(year_exited__gte=models.F("year_registered")),
                name="household_exit_after_registration",
                violation_error_message=MESSAGES["exit_before_registration"],
                violation_error_code="exit_before_registration",
            ),
            models.CheckConstraint(
                condition=~Q(status=c.Status.REGISTERED) | Q(year_registered__isnull=False),
                name="household_registered_has_year",
                violation_error_message=MESSAGES["year_registered_required"],
                violation_error_code="year_registered_required",
            ),
            models.CheckConstraint(
                condition=~Q(status=c.Status.EXITED) | Q(year_exited__isnull=False),
                name="household_exited_has_year",
                violation_error_message=MESSAGES["year_exited_required"],
                violation_error_code="year_exited_required",
            ),
        ]

    def __str__(self) -> str:
        return self.household_no
