"""Annual work plans, their objectives and work items, projects and their money and progress.

Money is stored in yuan (Decimal, 14 digits, 2 decimals) and shown in 万元. Schedules have
month precision, as plans are written: a month number, or none for "within the year"; the
derived `planned_start` / `deadline` dates (fupin.workplan.rules) are stored so that lateness
is a plain filter in SQL.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from fupin.core.scoping import AreaScopedQuerySet
from fupin.workplan import rules

MONEY = {"max_digits": 14, "decimal_places": 2}
MONEY_FIELD = models.DecimalField(**MONEY)
MONTHS = [(m, m) for m in range(1, 13)]
PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TOO_LARGE = _("A photo may be at most 5 MB.")
PHOTO_NOT_IMAGE = _("The file is not a JPEG, PNG, WebP or GIF image.")
SOURCE_NOT_IN_PROJECT = _("This project has no funding from that source.")
PLAN_EXISTS = _("This area already has a plan for that year.")
MONTHS_OUT_OF_ORDER = _("The planned start cannot be after the planned completion.")

# The first bytes of each image type we accept: the extension alone proves nothing. The
# same table says what type a stored photo is served as (views.progress_photo).
_IMAGE_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


def photo_type(head: bytes) -> str | None:
    """The image type of a file by its first 12 bytes, or None if it is none we accept."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for sig, kind in _IMAGE_SIGNATURES.items() if head.startswith(sig)), None)


def validate_photo(file) -> None:
    if file.size > PHOTO_MAX_BYTES:
        raise ValidationError(PHOTO_TOO_LARGE, code="too_large")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(12)
    file.seek(position)
    if photo_type(head) is None:
        raise ValidationError(PHOTO_NOT_IMAGE, code="not_image")


def photo_path(instance, filename: str) -> str:
    # Never under a public URL: photos are served by a scoped view (views.progress_photo).
    return f"workplan/progress/{instance.project_id}/{Path(filename).name}"


class Category(models.TextChoices):
    ROAD = "road", _("Road")
    BRIDGE = "bridge", _("Bridge")
    DRINKING_WATER = "drinking_water", _("Drinking water")
    IRRIGATION = "irrigation", _("Irrigation")
    DAM = "dam", _("Dam / embankment")
    PUBLIC_SERVICE = "public_service", _("Public service facility")
    SCHOOL = "school", _("School")
    INDUSTRY = "industry", _("Industry")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = [Status.PLANNED, Status.STARTED]


class SourceKind(models.TextChoices):
    DEPARTMENT_BUDGET = "department_budget", _("Department budget")
    POVERTY_FUND = "poverty_fund", _("Poverty-alleviation fund")
    IN_KIND = "in_kind", _("In kind")
    LABOUR = "labour", _("Villagers' labour")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    KM = "km", _("km")
    METRE = "m", _("m")
    SQUARE_METRE = "m2", _("m²")
    MU = "mu", _("mu")
    TON = "t", _("tons")
    PERSON = "person", _("persons")
    HOUSEHOLD = "household", _("households")
    ITEM = "item", _("items")


class WorkKind(models.TextChoices):
    PARTY_BUILDING = "party_building", _("Party building and study sessions")
    SYMPOSIUM = "symposium", _("Symposiums")
    FIELD_VISIT = "field_visit", _("Field visits")
    COORDINATION = "coordination", _("Coordination of projects")
    SOCIAL_STABILITY = "social_stability", _("Social stability")
    VOCATIONAL_EDUCATION = "vocational_education", _("Vocational education")
    FESTIVAL_VISIT = "festival_visit", _("Festival visits")
    OTHER = "other", _("Other")


# --- departments ----------------------------------------------------------------------------


class DepartmentQuerySet(AreaScopedQuerySet):
    area_path = "area"


class Department(models.Model):
    """A district bureau or office that leads or partners projects (水利局, 交通局 …)."""

    area = models.ForeignKey(
        "core.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("department", "members"),
        blank=True,
        related_name="departments",
        help_text=_("Bureau staff who report this department's projects."),
    )
    history = HistoricalRecords()

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str = "zh") -> str:
        return self.name_en if language == "en" and self.name_en else self.name


# --- plans ----------------------------------------------------------------------------------


class AnnualPlanQuerySet(AreaScopedQuerySet):
    area_path = "area"


class AnnualPlan(models.Model):
    """A village's (or another area's) plan for one year, in the structure offices write it."""

    area = models.ForeignKey(
        "core.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    preamble_en = models.TextField(_("preamble (English)"), blank=True)
    guiding_ideology = models.TextField(_("guiding ideology"), blank=True)
    guiding_ideology_en = models.TextField(_("guiding ideology (English)"), blank=True)
    objectives_intro = models.TextField(_("construction objectives"), blank=True)
    objectives_intro_en = models.TextField(_("construction objectives (English)"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    closing_en = models.TextField(_("closing (English)"), blank=True)
    history = HistoricalRecords()

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual work plan")
        verbose_name_plural = _("annual work plans")
        ordering = ["-year", "area"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="plan_one_per_area_year"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="plan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def text(self, field: str, language: str = "zh") -> str:
        english = getattr(self, f"{field}_en", "") if language == "en" else ""
        return english or getattr(self, field)


class PlanPartQuerySet(AreaScopedQuerySet):
    area_path = "plan__area"


class Objective(models.Model):
    """A construction objective with a measurable indicator, its target and what was achieved."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    description = models.CharField(_("objective"), max_length=300)
    description_en = models.CharField(_("objective (English)"), max_length=400, blank=True)
    indicator = models.CharField(_("indicator"), max_length=200)
    indicator_en = models.CharField(_("indicator (English)"), max_length=300, blank=True)
    target = models.CharField(_("target"), max_length=200)
    target_en = models.CharField(_("target (English)"), max_length=300, blank=True)
    actual = models.CharField(_("actual"), max_length=200, blank=True)
    met = models.BooleanField(pgettext_lazy("objective", "met"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="objective_unique_number"),
        ]

    def __str__(self) -> str:
        return self.description

    def text(self, field: str, language: str = "zh") -> str:
        english = getattr(self, f"{field}_en", "") if language == "en" else ""
        return english or getattr(self, field)


class WorkItem(models.Model):
    """One numbered item of the plan's main work (party building, coordination, visits …)."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="work_items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=32, choices=WorkKind.choices)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    history = HistoricalRecords()

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="work_item_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def text(self, field: str, language: str = "zh") -> str:
        english = getattr(self, f"{field}_en", "") if language == "en" else ""
        return english or getattr(self, field)


# --- projects -------------------------------------------------------------------------------


def _sum_of(model, field: str):
    """Per project, the sum of `field` over `model`'s rows: a subquery, so sums never multiply."""
    rows = (
        model.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(sum=Sum(field))
        .values("sum")
    )
    return Coalesce(
        Subquery(rows, output_field=MONEY_FIELD), Value(Decimal(0)), output_field=MONEY_FIELD
    )


class ProjectQuerySet(AreaScopedQuerySet):
    area_path = "plan__area"

    def in_year(self, year: int):
        return self.filter(plan__year=year)

    def open(self):
        return self.filter(status__in=OPEN_STATES)

    def late(self, today):
        """Open and past the last day of the planned completion month."""
        return self.open().filter(deadline__lt=today)

    def stale(self, today):
        """Open, due to have started, silent for rules.STALE_AFTER_DAYS days or more."""
        cutoff = today - timedelta(days=rules.STALE_AFTER_DAYS)
        silent = Q(last_progress_on__lte=cutoff) | Q(
            last_progress_on__isnull=True, planned_start__lte=cutoff
        )
        return self.open().filter(planned_start__lte=today).filter(silent)

    def with_money(self):
        """Annotate budget (valued planned funding), allocated and spent, in yuan."""
        return self.annotate(
            budget=_sum_of(FundingSource, "planned_amount"),
            allocated=_sum_of(FundingSource, "allocated_amount"),
            spent=_sum_of(Expenditure, "amount"),
        )

    def overspent(self):
        return self.with_money().filter(spent__gt=F("budget"))

    def for_listing(self):
        """What lists, charts and documents show of each project, in a fixed few queries."""
        return (
            self.with_money()
            .select_related("plan__area", "lead_department")
            .prefetch_related("partner_departments", "locations", "quantities", "funding")
        )

    def of_department_member(self, user):
        """Projects one of whose lead or partner departments counts the user as a member."""
        membership = Department.members.through.objects.filter(user=user)
        return self.filter(
            Q(lead_department__in=membership.values("department"))
            | Q(
                pk__in=Project.partner_departments.through.objects.filter(
                    department__in=membership.values("department")
                ).values("project")
            )
        )


class Project(models.Model):
    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="projects"
    )
    work_item = models.ForeignKey(
        WorkItem,
        verbose_name=_("work item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    partner_departments = models.ManyToManyField(
        Department,
        verbose_name=_("partner departments"),
        blank=True,
        related_name="partnered_projects",
    )
    locations = models.ManyToManyField(
        "core.Area",
        verbose_name=_("location"),
        blank=True,
        related_name="+",
        help_text=_("The natural villages (groups) where the work is done."),
    )
    planned_start_month = models.PositiveSmallIntegerField(
        _("planned start (month)"), null=True, blank=True, choices=MONTHS
    )
    planned_completion_month = models.PositiveSmallIntegerField(
        _("planned completion (month)"),
        null=True,
        blank=True,
        choices=MONTHS,
        help_text=_("Empty: within the year (by 31 December)."),
    )
    # Derived from the plan's year and the months above (rules.month_start / month_deadline).
    planned_start = models.DateField(_("planned start"), editable=False)
    deadline = models.DateField(_("planned completion"), editable=False, db_index=True)
    schedule_note = models.CharField(_("schedule note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    started_on = models.DateField(_("actual start"), null=True, blank=True)
    completed_on = models.DateField(_("actual completion"), null=True, blank=True)
    # Kept by services.progress_update_create: the latest report, for lists without a join.
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_progress_on = models.DateField(_("last progress update"), null=True, blank=True)
    persons_served = models.PositiveIntegerField(_("persons served"), null=True, blank=True)
    households_served = models.PositiveIntegerField(_("households served"), null=True, blank=True)
    # The registry's households that benefit, where they are known one by one; otherwise
    # households_served holds the count the plan gives.
    beneficiary_households = models.ManyToManyField(
        "registry.Household",
        verbose_name=_("beneficiary households"),
        blank=True,
        related_name="projects",
    )
    carried_over_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over_to",
    )
    carry_over_amount = models.DecimalField(
        _("funds carried over from last year (yuan)"), null=True, blank=True, **MONEY
    )
    carry_over_note = models.CharField(_("carry-over note"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="project_unique_name"),
            models.UniqueConstraint(fields=["plan", "number"], name="project_unique_number"),
            models.CheckConstraint(
                condition=Q(planned_start_month__isnull=True)
                | Q(planned_start_month__gte=1, planned_start_month__lte=12),
                name="project_start_month_range",
            ),
            models.CheckConstraint(
                condition=Q(planned_completion_month__isnull=True)
                | Q(planned_completion_month__gte=1, planned_completion_month__lte=12),
                name="project_completion_month_range",
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="project_progress_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(carry_over_amount__isnull=True) | Q(carry_over_amount__gte=0),
                name="project_carry_over_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(planned_start__lte=models.F("deadline")),
                name="project_start_before_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.set_schedule()
        super().save(*args, **kwargs)

    def label(self, language: str = "zh") -> str:
        return self.name_en if language == "en" and self.name_en else self.name

    def set_schedule(self) -> None:
        year = self.plan.year
        self.planned_start = rules.month_start(year, self.planned_start_month)
        self.deadline = rules.month_deadline(year, self.planned_completion_month)

    def clean(self) -> None:
        start, end = self.planned_start_month, self.planned_completion_month
        if start and end and start > end:
            raise ValidationError({"planned_start_month": MONTHS_OUT_OF_ORDER})

    def full_clean(self, *args, **kwargs):
        if self.plan_id:
            self.set_schedule()
        super().full_clean(*args, **kwargs)

    @property
    def is_complete(self) -> bool:
        return self.status in rules.COMPLETE_STATES

    def days_late(self, today) -> int:
        if self.status == Status.CANCELLED:
            return 0
        return rules.days_late(
            deadline=self.deadline,
            today=today,
            completed_on=self.completed_on if self.is_complete else None,
        )


class ProjectPartQuerySet(AreaScopedQuerySet):
    area_path = "project__plan__area"


class Quantity(models.Model):
    """A physical quantity of a project's work: 12 km of channel, 500 mu of oil tea."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="quantities"
    )
    description = models.CharField(_("what"), max_length=200)
    description_en = models.CharField(_("what (English)"), max_length=300, blank=True)
    amount = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    history = HistoricalRecords()

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("quantity")
        verbose_name_plural = _("quantities")
        ordering = ["project", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="quantity_nonnegative"),
            models.UniqueConstraint(
                fields=["project", "description"], name="quantity_unique_description"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} {self.amount.normalize():f} {self.get_unit_display()}"


class FundingSource(models.Model):
    """Planned money (or goods, or labour) from one source for a project, and what arrived.

    `planned_amount` is empty when the contribution is not valued in yuan (50 tons of cement,
    villagers' labour); `in_kind` then says what it is.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="funding"
    )
    kind = models.CharField(_("funding source"), max_length=32, choices=SourceKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("provided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding",
    )
    planned_amount = models.DecimalField(
        _("planned (yuan)"), null=True, blank=True, **MONEY, help_text=_("Empty: not valued.")
    )
    allocated_amount = models.DecimalField(_("allocated (yuan)"), default=Decimal(0), **MONEY)
    in_kind = models.CharField(_("in kind"), max_length=200, blank=True)
    in_kind_en = models.CharField(_("in kind (English)"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="funding_one_per_kind"),
            models.CheckConstraint(
                condition=Q(planned_amount__isnull=True) | Q(planned_amount__gte=0),
                name="funding_planned_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(allocated_amount__gte=0), name="funding_allocated_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class ProgressUpdate(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="progress"
    )
    date = models.DateField(_("date"))
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(
        _("photo"),
        upload_to=photo_path,
        blank=True,
        validators=[FileExtensionValidator(PHOTO_EXTENSIONS), validate_photo],
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["project", "-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="progress_percent_range"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.percent}%"


class Expenditure(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="expenditures"
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    source = models.CharField(_("funding source"), max_length=32, choices=SourceKind.choices)
    voucher_no = models.CharField(_("voucher number"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["project", "-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_positive"),
            models.UniqueConstraint(
                fields=["project", "voucher_no"],
                condition=~Q(voucher_no=""),
                name="expenditure_unique_voucher",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.amount}"

    def clean(self) -> None:
        if self.project_id and self.source:
            kinds = set(self.project.funding.values_list("kind", flat=True))
            if self.source not in kinds:
                raise ValidationError({"source": SOURCE_NOT_IN_PROJECT})
