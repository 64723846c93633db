"""Procedures: one household through one workflow (identification, exit, monitoring, risk
removal) in one year, step by step, with the votes, notices and objections on the way.

The workflows are data (`Workflow`, `StepDefinition`), per province: which steps, in which
order, who acts at which level, how long a notice runs, what a vote needs. What a step may
do is decided by the pure functions of `rules.py`; the writes are `services.py`.

Every row that belongs to a household copies the household's village code (`village`), so
that scoping a county's 250,000 procedures is a range on the procedure table itself.
"""

from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.models.areas import Level
from fupin.core.scoping import AreaScopedQuerySet

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class Kind(models.TextChoices):
    IDENTIFICATION = "identification", _("Identification")
    EXIT = "exit", pgettext_lazy("procedure kind", "Exit")
    MONITORING = "monitoring", _("Monitoring inclusion")
    RISK_REMOVAL = "risk_removal", _("Risk removal")


class Check(models.TextChoices):
    """The automatic check a step makes before it may be recorded."""

    NONE = "", _("None")
    EXCLUSIONS = "exclusions", _("Cross-check against the exclusion lists")
    EXIT_STANDARD = "exit_standard", _("Exit standard in the latest assessment")
    RISK_REMOVAL = "risk_removal", _("Risk removal: stable income and secure guarantees")


def _label(name: str, name_en: str) -> str:
    english = (get_language() or "").startswith("en")
    return name_en if english and name_en else name


# --- the workflows, as data ----------------------------------------------------------------


class Workflow(models.Model):
    """A province's steps for one kind of procedure (blank province: every province without
    its own). A procedure keeps the workflow it started under."""

    province = models.CharField(
        _("province"), max_length=2, blank=True, help_text=_("Blank: every province.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    stable_months = models.PositiveSmallIntegerField(
        _("risk removal: months of income above the threshold"),
        default=6,
        validators=[MaxValueValidator(60)],
    )
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("workflow")
        verbose_name_plural = _("workflows")
        ordering = ["kind", "province"]
        constraints = [
            models.UniqueConstraint(fields=["province", "kind"], name="workflow_once"),
        ]

    def __str__(self) -> str:
        return _label(self.name, self.name_en)


class StepDefinition(models.Model):
    """One step of a workflow: its place, who acts and at which level, and what it needs."""

    workflow = models.ForeignKey(
        Workflow, verbose_name=_("workflow"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    roles = models.JSONField(
        _("roles that act"), default=list, help_text=_('Role codes, e.g. ["village_clerk"].')
    )
    level = models.PositiveSmallIntegerField(
        _("level that acts"), choices=Level.choices, default=Level.VILLAGE
    )
    is_notice = models.BooleanField(_("public notice"), default=False)
    notice_days = models.PositiveSmallIntegerField(
        _("notice runs at least (days)"), default=0, validators=[MaxValueValidator(90)]
    )
    vote = models.BooleanField(_("records a vote"), default=False)
    attendance_numerator = models.PositiveSmallIntegerField(
        _("attendance at least (numerator)"), default=2
    )
    attendance_denominator = models.PositiveSmallIntegerField(
        _("attendance at least (denominator)"), default=3, validators=[MinValueValidator(1)]
    )
    majority = models.BooleanField(_("more than half of those present vote for"), default=True)
    auto_check = models.CharField(
        _("automatic check"), max_length=16, choices=Check.choices, blank=True, default=""
    )
    needs_document = models.BooleanField(
        _("needs a document (signed form, minutes)"), default=False
    )
    completes = models.BooleanField(
        _("completes the procedure"),
        default=False,
        help_text=_("The household's status changes when this step is recorded."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step definition")
        verbose_name_plural = _("step definitions")
        ordering = ["workflow", "order"]
        constraints = [
            models.UniqueConstraint(fields=["workflow", "order"], name="step_order_once"),
            models.UniqueConstraint(fields=["workflow", "code"], name="step_code_once"),
            models.CheckConstraint(
                condition=Q(is_notice=False) | Q(notice_days__gte=1), name="step_notice_has_days"
            ),
            models.CheckConstraint(
                condition=Q(attendance_numerator__lte=models.F("attendance_denominator")),
                name="step_attendance_share_at_most_one",
            ),
        ]

    def __str__(self) -> str:
        return _label(self.name, self.name_en)

    @property
    def label(self) -> str:
        return str(self)


class RiskType(models.Model):
    """A risk type of a monitored household (因病, 因残 …): data, several per household."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk type")
        verbose_name_plural = _("risk types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return _label(self.name, self.name_en)


# --- procedures ----------------------------------------------------------------------------


class Status(models.TextChoices):
    # A context: other apps' catalogues say "Open" and "Completed" of work items and projects.
    OPEN = "open", pgettext_lazy("procedure status", "Open")
    COMPLETED = "completed", pgettext_lazy("procedure status", "Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MonitoringKind(models.TextChoices):
    UNSTABLE_EXITED = "unstable_exited", _("Unstable exited household")
    AT_RISK_EDGE = "at_risk_edge", _("At-risk edge household")
    SUDDEN_HARDSHIP = "sudden_hardship", _("Sudden severe hardship")


class Source(models.TextChoices):
    APPLICATION = "application", _("The household's application or report")
    CADRE_VISIT = "cadre_visit", _("A cadre's visit")
    DEPARTMENT_DATA = "department_data", _("A department's data")
    ASSESSMENT = "assessment", _("The assessment's flags")
    PROPOSAL = "proposal", _("The village's proposal")


class ProcedureQuerySet(AreaScopedQuerySet):
    area_path = "village"

    def open(self):
        return self.filter(status=Status.OPEN)


class Procedure(models.Model):
    """One household through one workflow in one year. `step` is the last step recorded
    (blank: none yet); the history of steps is its `records`, reversed ones included."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    village = models.ForeignKey(
        "core.Area",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the listing index leads with it
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    workflow = models.ForeignKey(
        Workflow, verbose_name=_("workflow"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.ForeignKey(
        StepDefinition,
        verbose_name=_("last step"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    step_order = models.PositiveSmallIntegerField(_("steps done"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    source = models.CharField(_("found by"), max_length=16, choices=Source.choices, blank=True)
    monitoring_kind = models.CharField(
        _("monitoring kind"), max_length=16, choices=MonitoringKind.choices, blank=True
    )
    risk_types = models.ManyToManyField(
        RiskType, verbose_name=_("risk types"), blank=True, related_name="procedures"
    )
    started_on = models.DateField(_("started on"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    withdraw_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[risk_types])

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["-year", "village", "id"]
        indexes = [
            # A county's listing by year, kind and step: a range on village, then filters.
            models.Index(
                fields=["village", "year", "kind", "status", "step_order"], name="procedure_listing"
            ),
            models.Index(fields=["household", "kind", "year"], name="procedure_household"),
            # The API's listing, by village then id: an area's rows in order, never sorted.
            models.Index(fields=["village", "id"], name="procedure_village_id"),
            # The pages' list in its own order (latest year first): the first page of a county's
            # 250,000 is read from the index, not sorted (448 ms -> see docs/performance.md).
            models.Index(fields=["-year", "village", "id"], name="procedure_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind", "year"],
                condition=Q(status="open"),
                name="procedure_one_open_per_household_kind_year",
                violation_error_message=_(
                    "This household already has an open procedure of this kind this year."
                ),
                violation_error_code="already_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdraw_reason=""),
                name="procedure_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="procedure_closed_on_iff_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} {self.household_id}"


# --- what is recorded at a step --------------------------------------------------------------


def document_path(instance, filename: str) -> str:
    # Never under a public URL: documents are served by a scoped view, as progress photos are.
    return f"procedures/{instance.village_id}/{Path(filename).name}"


class NoticeQuerySet(AreaScopedQuerySet):
    area_path = "area"


class Notice(models.Model):
    """A public notice (公示) or announcement (公告) posted in an area for a step of a round:
    the households are those whose step records name it."""

    area = models.ForeignKey(
        "core.Area", verbose_name=_("posted in"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    step = models.ForeignKey(
        StepDefinition, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+"
    )
    posted_on = models.DateField(_("posted on"))
    ends_on = models.DateField(_("last day of the notice"))
    place = models.CharField(_("posted at"), max_length=200, blank=True)
    object_to = models.CharField(
        _("where to object"), max_length=300, blank=True, help_text=_("Office, person, phone.")
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-posted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("posted_on")), name="notice_ends_after_posting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.posted_on}–{self.ends_on}"


class BatchQuerySet(AreaScopedQuerySet):
    area_path = "village"


class Batch(models.Model):
    """A village carrying many households through one step together: one appraisal meeting
    or one notice. Each household's record names the batch."""

    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    step = models.ForeignKey(
        StepDefinition, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("notice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="batches",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    document = models.FileField(_("document"), upload_to=document_path, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    households = models.PositiveIntegerField(pgettext_lazy("count", "households"), default=0)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    history = HistoricalRecords()

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.village_id} {self.step} {self.date}"


class StepRecordQuerySet(AreaScopedQuerySet):
    area_path = "village"

    def standing(self):
        """The records not reversed."""
        return self.filter(reversed_at__isnull=True)


class StepRecord(models.Model):
    """One step recorded for one procedure: when, by whom, the vote, what was checked.

    A record is never deleted: a reversal keeps it with who reversed it and why. The
    database allows one standing (not reversed) record per step of a procedure, so two
    reviewers approving the same step at the same moment cannot both succeed."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="records"
    )
    step = models.ForeignKey(
        StepDefinition, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    attendance = models.PositiveIntegerField(_("present"), null=True, blank=True)
    eligible = models.PositiveIntegerField(_("entitled to attend"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("notice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    assessment_run = models.ForeignKey(
        "assessment.AssessmentRun",
        verbose_name=_("assessment run relied on"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    override_reason = models.CharField(_("county override: reason"), max_length=500, blank=True)
    checks = models.JSONField(
        _("what was checked"),
        default=dict,
        blank=True,
        help_text=_("The automatic check's findings, e.g. exclusion-list hits and how resolved."),
    )
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reversed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reverse_reason = models.CharField(_("reason for reversal"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = StepRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("step record")
        verbose_name_plural = _("step records")
        ordering = ["procedure", "step__order", "recorded_at"]
        indexes = [models.Index(fields=["village", "step"], name="step_record_village_step")]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "step"],
                condition=Q(reversed_at__isnull=True),
                name="step_record_once_standing",
            ),
            models.CheckConstraint(
                condition=Q(reversed_at__isnull=True, reverse_reason="")
                | (Q(reversed_at__isnull=False) & ~Q(reverse_reason="")),
                name="step_record_reversal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(attendance__isnull=True)
                | Q(eligible__isnull=True)
                | Q(attendance__lte=models.F("eligible")),
                name="step_record_attendance_within_eligible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.step} {self.date}"


class Attachment(models.Model):
    """A document attached to a step record: the signed agreement, the meeting's minutes."""

    record = models.ForeignKey(
        StepRecord,
        verbose_name=_("step record"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=document_path)
    name = models.CharField(_("name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    objects = StepRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name or self.file.name


class ObjectionQuerySet(AreaScopedQuerySet):
    area_path = "village"

    def unresolved(self):
        return self.filter(resolved_at__isnull=True)


class Resolution(models.TextChoices):
    UPHELD = "upheld", _("Upheld: the procedure is corrected or withdrawn")
    DISMISSED = "dismissed", _("Not upheld after verification")


class Objection(models.Model):
    """An objection (异议) raised against a household's procedure, usually during a notice.
    Until resolved it holds the procedure: no further step may be recorded."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="objections"
    )
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("notice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="objections",
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField(_("raised on"))
    raised_by = models.CharField(
        _("raised by"), max_length=100, blank=True, help_text=_("Blank: anonymous.")
    )
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    content = models.TextField(_("objection"))
    handling = models.TextField(_("how it was handled"), blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=12, choices=Resolution.choices, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["procedure", "resolved_at"], name="objection_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolution="")
                | (Q(resolved_at__isnull=False) & ~Q(resolution="") & ~Q(handling="")),
                name="objection_resolved_with_resolution",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def anonymous(self) -> bool:
        return not self.raised_by
