"""Assessment: the standards (data that administrators edit), and the immutable record of each
assessment run with its per-household outcomes and per-area figures.

Standards are national rows (``province`` blank) with optional province overrides; a province
is its 2-digit code ("45" Guangxi), not an Area row, so that the seed does not depend on which
areas exist. Money is whole yuan in Decimal; the engine compares it in integer fen.
"""

from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from fupin.assessment import rules
from fupin.core.scoping import AreaScopedQuerySet
from fupin.registry import choices as c

MONEY = {"max_digits": 12, "decimal_places": 2}
SHARE = {"max_digits": 6, "decimal_places": 4}
province_code = RegexValidator(r"^([1-9][0-9])?$", _("A province is its 2-digit code, e.g. 45."))
fraction_text = RegexValidator(r"^[0-9]+(/[1-9][0-9]*)?$", _("Write a fraction such as 1/6."))

RUN_IS_IMMUTABLE = _("An assessment run is a record: it is never changed once stored.")
WATER_LEVEL_CHOICES = [
    (c.WaterLevel.SAFE, c.WaterLevel.SAFE.label),
    (c.WaterLevel.BASIC, c.WaterLevel.BASIC.label),
]


def _province_field():
    return models.CharField(
        _("province"),
        max_length=2,
        blank=True,
        validators=[province_code],
        help_text=_("2-digit province code; blank for the national value."),
    )


# --- standards ---------------------------------------------------------------------------------


class YearlyAmount(models.Model):
    """A yearly yuan-per-person standard, national (province blank) or a province's own: the
    poverty line and the monitoring threshold are both one of these."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    province = _province_field()
    amount = models.DecimalField(
        _("yuan per person per year"), validators=[MinValueValidator(1)], **MONEY
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["year", "province"]

    def __str__(self) -> str:
        return f"{self.year} {self.province or '—'} {self.amount}"


def _once_per_year_and_province(prefix: str) -> list:
    return [
        models.UniqueConstraint(fields=["year", "province"], name=f"{prefix}_once"),
        models.CheckConstraint(condition=Q(amount__gt=0), name=f"{prefix}_positive"),
    ]


class PovertyLine(YearlyAmount):
    """The rural poverty line for a year: national, or a province's own higher line."""

    class Meta(YearlyAmount.Meta):
        verbose_name = _("poverty line")
        verbose_name_plural = _("poverty lines")
        constraints = _once_per_year_and_province("poverty_line")


class MonitoringThreshold(YearlyAmount):
    """The income threshold below which an exited or monitored household is flagged (2021 on)."""

    class Meta(YearlyAmount.Meta):
        verbose_name = _("monitoring threshold")
        verbose_name_plural = _("monitoring thresholds")
        constraints = _once_per_year_and_province("monitoring_threshold")


class RegionType(models.Model):
    """A kind of region with its own incidence threshold for village and county exit."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50)
    incidence_threshold = models.DecimalField(
        _("incidence threshold (share)"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("An area may exit when its incidence is below this share, e.g. 0.03."),
        **SHARE,
    )
    is_default = models.BooleanField(
        _("default for provinces not listed"), default=False, db_index=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region type")
        verbose_name_plural = _("region types")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="region_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProvinceRegion(models.Model):
    """Which region type a province belongs to (western provinces: 3 %)."""

    province = models.CharField(
        _("province"), max_length=2, unique=True, validators=[province_code]
    )
    name = models.CharField(_("name"), max_length=50, blank=True)
    region = models.ForeignKey(RegionType, verbose_name=_("region type"), on_delete=models.PROTECT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("province region")
        verbose_name_plural = _("province regions")
        ordering = ["province"]

    def __str__(self) -> str:
        return f"{self.province} {self.region_id}"


class RuleSet(models.Model):
    """Parameters of the exit rules and of return-to-poverty monitoring; national or a
    province's override (the override's values replace the national row's entirely)."""

    province = models.CharField(
        _("province"),
        max_length=2,
        blank=True,
        unique=True,
        validators=[province_code],
        help_text=_("2-digit province code; blank for the national value."),
    )
    school_age_from = models.PositiveSmallIntegerField(
        _("compulsory schooling from age"), validators=[MaxValueValidator(30)]
    )
    school_age_to = models.PositiveSmallIntegerField(
        _("compulsory schooling to age (inclusive)"), validators=[MaxValueValidator(30)]
    )
    age_reference_month = models.PositiveSmallIntegerField(
        _("age counted on: month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    age_reference_day = models.PositiveSmallIntegerField(
        _("age counted on: day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    require_serious_illness_insurance = models.BooleanField(
        _("require serious-illness insurance as well"), default=True
    )
    safe_housing_grades = models.CharField(
        _("safe housing grades"),
        max_length=4,
        default="AB",
        validators=[RegexValidator(r"^[ABCD]{1,4}$", _("Grades A to D, e.g. AB."))],
    )
    water_quality_min = models.CharField(
        _("water quality at least"), max_length=8, choices=WATER_LEVEL_CHOICES
    )
    water_quantity_min = models.CharField(
        _("water quantity at least"), max_length=8, choices=WATER_LEVEL_CHOICES
    )
    water_convenience_min = models.CharField(
        _("water convenience at least"), max_length=8, choices=WATER_LEVEL_CHOICES
    )
    water_reliability_min = models.CharField(
        _("water reliability at least"), max_length=8, choices=WATER_LEVEL_CHOICES
    )
    # What "safe" and "basic" mean on the ground: recorded with the standard, used by the
    # people who grade households' water (the registry stores the grade).
    water_safe_litres = models.PositiveSmallIntegerField(_("safe: litres per person per day"))
    water_basic_litres = models.PositiveSmallIntegerField(_("basic: litres per person per day"))
    water_safe_minutes = models.PositiveSmallIntegerField(_("safe: round trip in minutes"))
    water_basic_minutes = models.PositiveSmallIntegerField(_("basic: round trip in minutes"))
    water_safe_reliability = models.PositiveSmallIntegerField(
        _("safe: reliability in %"), validators=[MaxValueValidator(100)]
    )
    water_basic_reliability = models.PositiveSmallIntegerField(
        _("basic: reliability in %"), validators=[MaxValueValidator(100)]
    )
    no_exit_in_registration_year = models.BooleanField(
        _("a household does not exit in the year it was registered"), default=True
    )
    income_fall_share = models.DecimalField(
        _("flag an income fall beyond this share"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        **SHARE,
    )
    medical_expense_threshold = models.DecimalField(
        _("flag a medical expense of at least (yuan)"), validators=[MinValueValidator(0)], **MONEY
    )
    flag_disasters = models.BooleanField(_("flag disasters"), default=True)
    flag_guarantees = models.BooleanField(
        _("flag a failed guarantee of an exited or monitored household"), default=True
    )
    county_wrongful_exit_max = models.DecimalField(
        _("county exit: wrongful-exit rate below"), **SHARE
    )
    county_omission_max = models.DecimalField(_("county exit: omission rate below"), **SHARE)
    county_recognition_min = models.DecimalField(_("county exit: recognition above"), **SHARE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exit and monitoring rules")
        verbose_name_plural = _("exit and monitoring rules")
        ordering = ["province"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school_age_to__gte=models.F("school_age_from")),
                name="ruleset_school_ages_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.province or "—"


class ChecklistItem(models.Model):
    """One item of a province's village-exit checklist (Guangxi: 十一有一低于)."""

    province = models.CharField(_("province"), max_length=2, validators=[province_code])
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("village checklist item")
        verbose_name_plural = _("village checklist items")
        ordering = ["province", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="checklist_item_once")
        ]

    def __str__(self) -> str:
        return self.name


class MPIIndex(models.Model):
    """A multidimensional poverty index: its indicators and weights are data."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    cutoff = models.CharField(
        _("poverty cutoff k"), max_length=12, validators=[fraction_text], default="1/3"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("multidimensional poverty index")
        verbose_name_plural = _("multidimensional poverty indices")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if not 0 < Fraction(self.cutoff or "0") <= 1:
            raise ValidationError({"cutoff": _("The cutoff must be above 0 and at most 1.")})


class MPIIndicator(models.Model):
    """One indicator of an index; `code` names a deprivation the engine can compute."""

    index = models.ForeignKey(
        MPIIndex, verbose_name=_("index"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(
        _("indicator"), max_length=24, choices=[(k, k) for k in rules.INDICATORS]
    )
    dimension = models.CharField(_("dimension"), max_length=50)
    weight = models.CharField(_("weight"), max_length=12, validators=[fraction_text])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("index indicator")
        verbose_name_plural = _("index indicators")
        ordering = ["index", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["index", "code"], name="mpi_indicator_once")]

    def __str__(self) -> str:
        return f"{self.index_id} {self.code} {self.weight}"


# --- facts the registry does not hold ------------------------------------------------------------


class HouseholdEventQuerySet(AreaScopedQuerySet):
    area_path = "household__village"


class HouseholdEvent(models.Model):
    """A shock a household suffered in a year: a large medical expense or a disaster.

    The registry has no field for these yet; monitoring reads them from here.
    """

    class Kind(models.TextChoices):
        MEDICAL = "medical", _("Large medical expense")
        DISASTER = "disaster", pgettext_lazy("household event", "Disaster")

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="assessment_events",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(
        _("amount (yuan)"), default=0, validators=[MinValueValidator(0)], **MONEY
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = HouseholdEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("household event")
        verbose_name_plural = _("household events")
        ordering = ["household_id", "-year", "id"]
        indexes = [models.Index(fields=["year", "household"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="event_amount_nonnegative")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind} {self.year}"


class VillageChecklistQuerySet(AreaScopedQuerySet):
    area_path = "village"


class VillageChecklistEntry(models.Model):
    """Whether a village met one checklist item in a year, as verified by the township."""

    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT)
    met = models.BooleanField(_("met"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = VillageChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("village checklist entry")
        verbose_name_plural = _("village checklist entries")
        ordering = ["village_id", "year", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year", "item"], name="checklist_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year} {self.item_id}"


class InspectionSampleQuerySet(AreaScopedQuerySet):
    area_path = "village"


class InspectionSample(models.Model):
    """A third-party inspection's findings in one sampled village for a year (imported CSV)."""

    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    exited_persons = models.PositiveIntegerField(_("exited persons checked"))
    wrongly_exited_persons = models.PositiveIntegerField(_("wrongly exited persons"))
    nonregistered_persons = models.PositiveIntegerField(_("non-registered persons checked"))
    omitted_persons = models.PositiveIntegerField(_("verified omissions (persons)"))
    surveyed_households = models.PositiveIntegerField(_("households surveyed"))
    approving_households = models.PositiveIntegerField(_("households approving"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    history = HistoricalRecords()

    objects = InspectionSampleQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection sample")
        verbose_name_plural = _("inspection samples")
        ordering = ["year", "village_id"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="inspection_once_per_year"),
            models.CheckConstraint(
                condition=Q(wrongly_exited_persons__lte=models.F("exited_persons")),
                name="inspection_wrongly_within_exited",
            ),
            models.CheckConstraint(
                condition=Q(omitted_persons__lte=models.F("nonregistered_persons")),
                name="inspection_omitted_within_checked",
            ),
            models.CheckConstraint(
                condition=Q(approving_households__lte=models.F("surveyed_households")),
                name="inspection_approving_within_surveyed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"


# --- runs -----------------------------------------------------------------------------------------


class Outcome(models.TextChoices):
    MEETS_EXIT = rules.MEETS_EXIT, _("Meets the exit standard")
    NOT_MEETS_EXIT = rules.NOT_MEETS_EXIT, _("Does not meet the exit standard")
    CANDIDATE = rules.CANDIDATE, _("Candidate for identification")
    NOT_POOR = rules.NOT_POOR, _("Not under the standard")
    FLAGGED = rules.FLAGGED, _("Monitoring flags")
    STABLE = rules.STABLE, _("Stable")


class ImmutableQuerySet(AreaScopedQuerySet):
    def update(self, **kwargs):
        raise ValidationError(RUN_IS_IMMUTABLE)


class AssessmentRunQuerySet(ImmutableQuerySet):
    area_path = "area"


class AssessmentRun(models.Model):
    """One assessment of an area for a year: stored once, never changed.

    ``standards`` is the snapshot of every standard the run used and ``standards_version`` its
    hash; ``inputs_hash`` hashes the registry columns read, so two runs on the same data and
    standards carry the same pair.
    """

    area = models.ForeignKey(
        "core.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Blank: every area."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    job = models.ForeignKey(
        "core.Job",
        verbose_name=_("background task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    standards_version = models.CharField(_("standards version"), max_length=16)
    standards = models.JSONField(_("standards used"))
    inputs_hash = models.CharField(_("hash of the inputs"), max_length=64)
    households = models.PositiveIntegerField(pgettext_lazy("count", "households"))
    persons = models.PositiveIntegerField(pgettext_lazy("count", "persons"))
    summary = models.JSONField(_("summary"), help_text=_("As `fupin assess --json` prints it."))
    seconds = models.FloatField(_("seconds to compute"))

    objects = AssessmentRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "year", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.year} {self.area_id or '*'} #{self.pk}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(RUN_IS_IMMUTABLE)
        super().save(*args, **kwargs)


class AreaResultQuerySet(ImmutableQuerySet):
    area_path = "area"


class AreaResult(models.Model):
    """A run's figures for one area of its subtree (the run's area down to each village)."""

    run = models.ForeignKey(
        AssessmentRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="areas"
    )
    area = models.ForeignKey(
        "core.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    figures = models.JSONField(_("figures"))

    objects = AreaResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("area result")
        verbose_name_plural = _("area results")
        constraints = [
            models.UniqueConstraint(fields=["run", "area"], name="area_result_once_per_run")
        ]
        indexes = [models.Index(fields=["area", "run"])]

    def __str__(self) -> str:
        return f"{self.run_id} {self.area_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(RUN_IS_IMMUTABLE)
        super().save(*args, **kwargs)


class HouseholdOutcomeQuerySet(ImmutableQuerySet):
    # The village code is copied onto the row: scoping is then a range on this table alone.
    area_path = "village"


class HouseholdOutcome(models.Model):
    """One household's outcome in one run: the outcome, a bitmask of failed tests and flags
    (see ``rules.TEST_BITS``) and the reasons as a JSON list of ``[code, params]``.

    Written in bulk by the run service, one row per household per run. The key (run, village,
    household) is the only index: it serves an area's list, a household's rows in the runs
    that cover its village (selectors.outcomes_of), and the bulk insert in key order.
    """

    pk = models.CompositePrimaryKey("run", "village", "household")
    run = models.ForeignKey(
        AssessmentRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="outcomes"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="assessment_outcomes",
        db_constraint=False,  # bulk-written; the registry never deletes a household
    )
    village = models.ForeignKey(
        "core.Area",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    outcome = models.CharField(
        pgettext_lazy("assessment", "outcome"), max_length=16, choices=Outcome.choices
    )
    tests = models.IntegerField(_("failed tests and flags"), default=0)
    income_fen = models.BigIntegerField(_("per-capita income (fen)"), null=True, blank=True)
    persons = models.PositiveSmallIntegerField(pgettext_lazy("count", "persons"))
    reasons = models.JSONField(_("reasons"), default=list)

    objects = HouseholdOutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("household outcome")
        verbose_name_plural = _("household outcomes")

    def __str__(self) -> str:
        return f"{self.run_id} {self.household_id} {self.outcome}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(RUN_IS_IMMUTABLE)
        super().save(*args, **kwargs)

    @property
    def income_yuan(self):
        return None if self.income_fen is None else rules.fen_to_yuan(self.income_fen)
