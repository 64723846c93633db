"""Fieldwork: cadres paired with households, the visit policy, visits (the people's-affairs
diary, 民情日记) and the follow-ups a visit leaves.

Every row that belongs to a household copies the household's village code (`village`), so
that area scoping is a range on the row's own table and the compliance figures of a county
are one grouped query, never a loop over households.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.scoping import AreaScopedQuerySet
from fupin.registry import choices as c


class CadreQuerySet(AreaScopedQuerySet):
    area_path = "area"


class Cadre(models.Model):
    """A responsible cadre (帮扶责任人): a Fupin user, or an official of a bureau who does not
    sign in; `area` is where they are paired (a village, or the township or county they
    serve from)."""

    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    unit = models.CharField(_("work unit"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cadre",
    )
    area = models.ForeignKey(
        "core.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["area", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name


class PairingQuerySet(AreaScopedQuerySet):
    area_path = "village"

    def current(self):
        return self.filter(ended_on__isnull=True)


class Pairing(models.Model):
    """A cadre responsible for a household (结对帮扶) from `started_on`; ended when another
    cadre takes over. One current pairing per household, in the database."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="pairings"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="pairings",
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("paired on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(ended_on__isnull=True),
                name="pairing_one_current_per_household",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="pairing_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} ↔ {self.household_id}"


class VisitPolicy(models.Model):
    """How often a household of a status must be visited: data, per area (blank: everywhere).
    The policy of an area is the one set on the nearest area at or above it."""

    area = models.ForeignKey(
        "core.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Blank: every area without its own policy."),
    )
    status = models.CharField(_("household status"), max_length=16, choices=c.Status.choices)
    interval_days = models.PositiveSmallIntegerField(
        _("visit at least every (days)"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visit policy")
        verbose_name_plural = _("visit policies")
        constraints = [
            # One rule per status and area, and one for every area (NULL is not equal to
            # NULL in a unique constraint, hence the second, partial one).
            models.UniqueConstraint(fields=["area", "status"], name="visit_policy_once"),
            models.UniqueConstraint(
                fields=["status"], condition=Q(area__isnull=True), name="visit_policy_once_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id or '*'} {self.status} {self.interval_days}"


class VisitQuerySet(AreaScopedQuerySet):
    area_path = "village"


class Visit(models.Model):
    """One entry of the people's-affairs diary: who visited which household when, why, and
    what they found, structured where the assessment cares (income, illness, schooling,
    housing, water) and in free text."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date of the visit"))
    visitors = models.ManyToManyField(Cadre, verbose_name=_("visitors"), related_name="visits")
    purpose = models.CharField(_("purpose"), max_length=200)
    income_change = models.CharField(_("income change"), max_length=200, blank=True)
    illness = models.CharField(_("illness"), max_length=200, blank=True)
    schooling = models.CharField(_("schooling"), max_length=200, blank=True)
    housing = models.CharField(_("housing"), max_length=200, blank=True)
    water = models.CharField(_("water"), max_length=200, blank=True)
    notes = models.TextField(_("what was found"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[visitors])

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        # A household's latest visit (compliance, the household page) is one index probe.
        indexes = [models.Index(fields=["household", "date"], name="visit_household_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.household_id}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUpQuerySet(AreaScopedQuerySet):
    area_path = "village"

    def overdue(self, on):
        return self.filter(status=FollowUpStatus.OPEN, due_on__lt=on)


class FollowUp(models.Model):
    """An action with its owner, due date and status, left by a visit (about its household)
    or decided by a meeting (about the village): exactly one of the two, in the database."""

    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
        null=True,
        blank=True,
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
        null=True,
        blank=True,
    )
    meeting = models.ForeignKey(
        "Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="decisions",
        null=True,
        blank=True,
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("follow-up action"), max_length=200)
    owner = models.ForeignKey(
        Cadre, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["village", "status", "due_on"], name="follow_up_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False)
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="follow_up_done_on_iff_done",
            ),
            models.CheckConstraint(
                condition=Q(visit__isnull=False, household__isnull=False, meeting__isnull=True)
                | Q(visit__isnull=True, household__isnull=True, meeting__isnull=False),
                name="follow_up_one_source",
            ),
        ]

    def __str__(self) -> str:
        return self.action


# --- one plan per household (一户一策) --------------------------------------------------------


class MeasureType(models.Model):
    """A kind of assistance measure: data, so that a province can add its own."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("measure type")
        verbose_name_plural = _("measure types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


class AssistancePlanQuerySet(AreaScopedQuerySet):
    area_path = "village"


class AssistancePlan(models.Model):
    """A household's plan for a year (一户一策): the goal and its measures."""

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="assistance_plans",
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    goal = models.CharField(_("goal"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AssistancePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("household plan")
        verbose_name_plural = _("household plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="assistance_plan_once")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")


class MeasureQuerySet(AreaScopedQuerySet):
    area_path = "village"


class Measure(models.Model):
    """One assistance measure of a household's plan: its type, money and where it comes
    from, the work-plan project it belongs to where relevant, its dates and outcome."""

    plan = models.ForeignKey(
        AssistancePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="measures"
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    type = models.ForeignKey(MeasureType, verbose_name=_("type"), on_delete=models.PROTECT)
    description = models.CharField(_("measure"), max_length=200)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_source = models.CharField(_("funding source"), max_length=100, blank=True)
    project = models.ForeignKey(
        "workplan.Project",
        verbose_name=_("work-plan project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="household_measures",
    )
    start_on = models.DateField(_("start"), null=True, blank=True)
    end_on = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED
    )
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        ordering = ["plan", "start_on", "id"]
        indexes = [models.Index(fields=["village", "type"], name="measure_village_type")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="measure_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=models.F("start_on")),
                name="measure_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.description


# --- meetings and activities; dispute mediation (调解, 信访) -----------------------------------


class _Kind(models.Model):
    """A kind of meeting or of dispute: data, so that a county can add its own."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


class MeetingType(_Kind):
    history = HistoricalRecords()

    class Meta(_Kind.Meta):
        verbose_name = _("meeting type")
        verbose_name_plural = _("meeting types")


class MeetingQuerySet(AreaScopedQuerySet):
    area_path = "village"


class Meeting(models.Model):
    """A meeting or activity held in a village — a study session, a "two committees"
    symposium, a publicity or legal-education session: who came (a count, and the registry's
    members by name), the minutes, and the decisions, which are follow-ups with owners."""

    type = models.ForeignKey(MeetingType, verbose_name=_("type"), on_delete=models.PROTECT)
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    members = models.ManyToManyField(
        "registry.Member",
        verbose_name=_("named participants"),
        blank=True,
        related_name="meetings",
    )
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[members])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["village", "date"], name="meeting_village_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


class DisputeType(_Kind):
    history = HistoricalRecords()

    class Meta(_Kind.Meta):
        verbose_name = _("dispute type")
        verbose_name_plural = _("dispute types")


class MediationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MEDIATING = "mediating", _("Mediating")
    RESOLVED = "resolved", _("Resolved")
    REFERRED = "referred", _("Referred")


UNRESOLVED = [MediationStatus.OPEN, MediationStatus.MEDIATING]
CLOSING_DAY = _(
    "A resolved or referred case is closed on a day on or after it was received; "
    "an open one is not closed."
)


def closing_day(status: str, given, today):
    """The day a case with this status is closed: none while unresolved; the day given, or
    today, once resolved or referred."""
    if status in UNRESOLVED:
        return None
    return given or today


class MediationCaseQuerySet(AreaScopedQuerySet):
    area_path = "village"

    def unresolved(self):
        return self.filter(status__in=UNRESOLVED)

    def stale(self, on, days: int):
        """Unresolved cases received more than `days` days before `on`."""
        from datetime import timedelta

        return self.unresolved().filter(received_on__lt=on - timedelta(days=days))


class MediationCase(models.Model):
    """A dispute brought for mediation (调解), or a petition (信访): the parties (as written,
    and the registry's members where they are in it), the mediator, the dated steps, the
    outcome. Closed (`closed_on`) when resolved or referred on."""

    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    type = models.ForeignKey(DisputeType, verbose_name=_("type"), on_delete=models.PROTECT)
    petition = models.BooleanField(
        _("petition (信访)"), default=False, help_text=_("Brought as a petition.")
    )
    received_on = models.DateField(_("received on"))
    parties = models.TextField(_("parties"))
    party_members = models.ManyToManyField(
        "registry.Member",
        verbose_name=_("parties in the registry"),
        blank=True,
        related_name="mediation_cases",
    )
    summary = models.TextField(_("what the dispute is about"))
    mediator = models.ForeignKey(
        Cadre,
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediation_cases",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MediationStatus.choices, default=MediationStatus.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[party_members])

    objects = MediationCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["village", "status", "received_on"], name="mediation_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=UNRESOLVED, closed_on__isnull=True)
                | (
                    ~Q(status__in=UNRESOLVED)
                    & Q(closed_on__isnull=False, closed_on__gte=models.F("received_on"))
                ),
                name="mediation_closed_on_iff_closed",
                violation_error_message=CLOSING_DAY,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} {self.type}"

    @property
    def is_open(self) -> bool:
        return self.status in UNRESOLVED


class MediationStepQuerySet(AreaScopedQuerySet):
    area_path = "case__village"


class MediationStep(models.Model):
    """One dated entry of a case: a talk with the parties, a site visit, an agreement."""

    case = models.ForeignKey(
        MediationCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    date = models.DateField(_("date"))
    description = models.TextField(_("what was done"))
    by = models.ForeignKey(
        Cadre,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = MediationStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation step")
        verbose_name_plural = _("mediation steps")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.description[:30]}"
