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
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from fupin.core.scoping import AreaScopedQuerySet
from fupin.registry import choices as c


class CadreQuerySet(AreaScopedQuerySet):
    area_path = "area"


class Cadre(models.Model):
    """A responsible cadre (帮扶责任人): a Fupin user, or an official of a bureau who does not
    sign in; `area` is where they are paired (a village, or the township or county they
    serve from)."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
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
    active = models.BooleanField(pgettext_lazy("cadre", "active"), default=True)
    # The Spring Festival list visits the village's "two committees" cadres (festival.py).
    two_committees = models.BooleanField(_("member of the two committees"), default=False)
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
    # A field app records visits offline and sends them later, perhaps twice: the id it made
    # for the visit, so that a re-sent visit is found rather than recorded again.
    client_id = models.UUIDField(_("client id"), null=True, blank=True, unique=True)
    history = HistoricalRecords(m2m_fields=[visitors])

    objects = VisitQuerySet.as_manager()

    # What the visitor writes, in the form's order: the visit form's fields, and what a
    # correction may change (services.visit_update).
    WRITTEN = (
        "date",
        "visitors",
        "purpose",
        "income_change",
        "illness",
        "schooling",
        "housing",
        "water",
        "notes",
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        indexes = [
            # A household's latest visit (the household page) is one index probe.
            models.Index(fields=["household", "date"], name="visit_household_date"),
            # The visits of a window of days in an area, read from the index alone: the
            # compliance figures' semi-join of a county (docs/performance.md).
            models.Index(fields=["date", "village", "household"], name="visit_date_village"),
        ]

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
        indexes = [
            models.Index(fields=["village", "status", "due_on"], name="follow_up_due"),
            # The open ones past due in a county: a small index of the open follow-ups only.
            models.Index(
                fields=["due_on", "village"],
                condition=Q(status="open"),
                name="follow_up_open_due",
            ),
        ]
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


class ComplianceVersionQuerySet(AreaScopedQuerySet):
    area_path = "village"


class ComplianceVersion(models.Model):
    """How many times a village's visits, pairings, follow-ups or households have changed:
    raised in the writing transaction (compliance.forget), so that figures a reader computed
    from what it saw before a change carry an older version and are computed again."""

    village = models.OneToOneField(
        "core.Area",
        verbose_name=_("village"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    version = models.PositiveBigIntegerField(_("version"), default=0)

    objects = ComplianceVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("compliance version")
        verbose_name_plural = _("compliance versions")

    def __str__(self) -> str:
        return f"{self.village_id} v{self.version}"


class ComplianceFiguresQuerySet(AreaScopedQuerySet):
    area_path = "village"


class ComplianceFigures(models.Model):
    """A village's visit compliance on a day, as last computed (compliance.py): what an
    area's figures add up, so that a county's page reads 300 rows, not 250,000 households and
    their visits. Derived data, so neither audited nor edited: the writers raise a
    village's version (ComplianceVersion) when they change its visits, pairings, follow-ups or
    households, and a row read stale (of another version or policy, or computed before a
    household of the village last changed) is computed again."""

    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.CASCADE, related_name="+"
    )
    on = models.DateField(_("day"))
    computed_at = models.DateTimeField(_("computed at"))
    version = models.PositiveBigIntegerField(_("version"), default=0)  # the village's, read first
    policy = models.JSONField(_("visit policy"))  # {status: days} the figures were computed by
    households_due = models.PositiveIntegerField(_("households due"))
    overdue = models.PositiveIntegerField(_("overdue for a visit"))
    follow_ups_overdue = models.PositiveIntegerField(_("follow-ups past due"))
    # [[cadre id, or null for the households paired to no cadre, due, overdue], ...]
    by_cadre = models.JSONField(_("by cadre"), default=list)

    objects = ComplianceFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("compliance figures")
        verbose_name_plural = _("compliance figures")
        constraints = [
            models.UniqueConstraint(fields=["on", "village"], name="compliance_figures_once"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.on}"


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
        AssistancePlan,
        verbose_name=pgettext_lazy("assistance", "plan"),
        on_delete=models.CASCADE,
        related_name="measures",
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

    # What the recorder writes, in the form's order: the measure form's fields, and what an
    # edit may change (services.measure_update).
    WRITTEN = (
        "type",
        "description",
        "amount",
        "funding_source",
        "project",
        "start_on",
        "end_on",
        "status",
        "outcome",
    )

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


# --- Spring Festival visits (春节慰问) --------------------------------------------------------


class FestivalCategory(models.TextChoices):
    """Who the Spring Festival list visits, in the order a household or person is placed:
    a household under its first household category, a person under their first own one."""

    SPECIAL_SUPPORT = "special_support", _("Special-support (destitute) person")
    FIVE_GUARANTEE = "five_guarantee", _("Five-guarantee household")
    DIBAO = "dibao", _("Dibao household")
    OLD_PARTY_MEMBER = "old_party_member", _("Old party member")
    VETERAN = "veteran", _("Veteran")
    COLLEGE_STUDENT = "college_student", _("Poor college student")
    TWO_COMMITTEES = "two_committees", _("Two-committees cadre")


class GiftKind(models.TextChoices):
    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods")


class FestivalListQuerySet(AreaScopedQuerySet):
    area_path = "village"


class FestivalList(models.Model):
    """A village's Spring Festival visit list for a year, as generated from the registry; the
    age from which a party member is "old" is recorded with it (data, asked each year)."""

    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    party_member_age = models.PositiveSmallIntegerField(
        _("old party members from the age of"),
        validators=[MinValueValidator(18), MaxValueValidator(120)],
    )
    generated_at = models.DateTimeField(_("generated"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("generated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = FestivalListQuerySet.as_manager()

    class Meta:
        verbose_name = _("Spring Festival list")
        verbose_name_plural = _("Spring Festival lists")
        ordering = ["-year", "village"]
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="festival_list_once"),
            models.CheckConstraint(
                condition=Q(party_member_age__gte=18, party_member_age__lte=120),
                name="festival_list_party_age_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}"


class FestivalVisitQuerySet(AreaScopedQuerySet):
    area_path = "village"


class FestivalVisit(models.Model):
    """One entry of a Spring Festival list: a household (its head signs), a person of it, or a
    two-committees cadre; what was given, its value in yuan, by whom, when, and whether the
    receiver signed. Regenerating a list keeps every entry with something recorded."""

    festival_list = models.ForeignKey(
        FestivalList,
        verbose_name=_("Spring Festival list"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("category"), max_length=20, choices=FestivalCategory.choices)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="festival_visits",
    )
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="festival_visits",
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="festival_visits",
    )
    # The name as generated, for the sheet: a household's head, the person, the cadre.
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    gift_kind = models.CharField(
        _("money or goods"), max_length=8, choices=GiftKind.choices, blank=True
    )
    gift = models.CharField(_("gift"), max_length=100, blank=True)
    value = models.DecimalField(
        _("value (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    given_by = models.ForeignKey(
        Cadre,
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="festival_gifts",
    )
    given_on = models.DateField(_("given on"), null=True, blank=True)
    signed = models.BooleanField(_("signed"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = FestivalVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("Spring Festival visit")
        verbose_name_plural = _("Spring Festival visits")
        ordering = ["festival_list", "category", "id"]
        indexes = [models.Index(fields=["village", "category"], name="festival_visit_village")]
        constraints = [
            # Each household, person and cadre once on a list: what makes regenerating it
            # idempotent (INSERT … ON CONFLICT DO NOTHING).
            models.UniqueConstraint(
                fields=["festival_list", "household"],
                condition=Q(member__isnull=True, household__isnull=False),
                name="festival_household_once",
            ),
            models.UniqueConstraint(
                fields=["festival_list", "member"],
                condition=Q(member__isnull=False),
                name="festival_member_once",
            ),
            models.UniqueConstraint(
                fields=["festival_list", "cadre"],
                condition=Q(cadre__isnull=False),
                name="festival_cadre_once",
            ),
            # A cadre entry names no household; every other one names its household.
            models.CheckConstraint(
                condition=(Q(cadre__isnull=False) & Q(household__isnull=True, member__isnull=True))
                | (Q(cadre__isnull=True) & Q(household__isnull=False)),
                name="festival_visit_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="festival_visit_value_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.festival_list} {self.name}"

    @property
    def gift_text(self) -> str:
        """What was given as the sheet and the page show it: 慰问品：大米一袋, or 慰问金."""
        kind = str(self.get_gift_kind_display()) if self.gift_kind else ""
        if kind and self.gift and self.gift != kind:
            return f"{kind}：{self.gift}"
        return kind or self.gift

    @property
    def recorded(self) -> bool:
        """Whether anything was recorded on the entry: then regenerating keeps it."""
        return bool(self.gift_kind or self.gift or self.value is not None or self.signed)


# --- trainings and vocational referral (职业教育 / 技能培训) -----------------------------------


class TrainingProgrammeQuerySet(AreaScopedQuerySet):
    area_path = "area"

    def visible_to(self, user):
        """The programmes a user may see: those set in their area's subtree, and those of the
        areas above it, whose reach includes the user's villages (a county's course is open to
        its villages' young people)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.sees_everything:
            return self
        above = _areas_above(user.area_id)[1:] if getattr(user, "area_id", None) else []
        return self.for_user(user) | self.filter(area__in=above)

    def reaching(self, village_code: str):
        """Programmes open to a village: set at it or at an area above it."""
        return self.filter(area__in=_areas_above(village_code))


def _areas_above(code: str) -> list[str]:
    """`code` and the codes of the areas above it, nearest first."""
    from fupin import areacodes

    chain = [code]
    while parent := areacodes.parent_code(chain[-1]):
        chain.append(parent)
    return chain


class TrainingProgramme(models.Model):
    """A course a provider runs (for example 广西第一工业学校's power technology course): its
    dates, the area whose young people it is open to, and its capacity."""

    provider = models.CharField(_("provider"), max_length=100)
    course = models.CharField(_("course"), max_length=100)
    area = models.ForeignKey(
        "core.Area",
        verbose_name=_("open to (area)"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Its members of this area and the areas below it may enrol."),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = TrainingProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="training_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="training_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.course}"


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    # A context: the work plan's "Completed" (已完工) is a project's.
    COMPLETED = "completed", pgettext_lazy("enrolment status", "Completed")
    DROPPED = "dropped", _("Dropped out")


class EnrolmentQuerySet(AreaScopedQuerySet):
    area_path = "village"


class Enrolment(models.Model):
    """A registry member on a programme, and what came of it: completed, certificate, a job,
    its employer and monthly income."""

    programme = models.ForeignKey(
        TrainingProgramme,
        verbose_name=_("training programme"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    certificate = models.CharField(_("certificate"), max_length=100, blank=True)
    employed = models.BooleanField(_("employed"), default=False)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    monthly_income = models.DecimalField(
        _("monthly income (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    history = HistoricalRecords()

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["programme", "id"]
        indexes = [models.Index(fields=["member", "enrolled_on"], name="enrolment_member_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "member"],
                name="enrolment_once_per_programme",
                violation_error_message=_("This member is already enrolled in this programme."),
            ),
            models.CheckConstraint(
                condition=Q(monthly_income__isnull=True) | Q(monthly_income__gte=0),
                name="enrolment_income_nonnegative",
            ),
            # Where they work and what they earn is said of someone employed only.
            models.CheckConstraint(
                condition=Q(employed=True) | (Q(employer="") & Q(monthly_income__isnull=True)),
                name="enrolment_job_only_if_employed",
                violation_error_message=_(
                    "An employer or a monthly income is recorded for someone employed only."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.member_id}"


class ReferralKind(models.TextChoices):
    PROGRAMME = "programme", _("Training programme")
    SCHOOL = "school", _("Vocational school")
    EMPLOYER = "employer", _("Employer")


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ENROLLED = "enrolled", _("Enrolled")
    EMPLOYED = "employed", _("Employed")
    DECLINED = "declined", _("Declined")


class ReferralQuerySet(AreaScopedQuerySet):
    area_path = "village"

    def open(self):
        return self.filter(status=ReferralStatus.REFERRED)


class Referral(models.Model):
    """A young person recommended to a programme, a vocational school or an employer, by whom
    and when, followed to its outcome."""

    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    village = models.ForeignKey(
        "core.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("referred to"), max_length=12, choices=ReferralKind.choices)
    programme = models.ForeignKey(
        TrainingProgramme,
        verbose_name=_("training programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    destination = models.CharField(
        _("school or employer"),
        max_length=100,
        blank=True,
        help_text=_("The vocational school or employer, when not a programme."),
    )
    referred_on = models.DateField(_("referred on"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReferralStatus.choices,
        default=ReferralStatus.REFERRED,
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-id"]
        indexes = [models.Index(fields=["village", "status"], name="referral_village_status")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="programme") & Q(programme__isnull=False))
                | (~Q(kind="programme") & Q(programme__isnull=True) & ~Q(destination="")),
                name="referral_names_where",
                violation_error_message=_(
                    "Name the programme, or the school or employer the member is referred to."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="referred") & Q(outcome_on__isnull=True))
                | (~Q(status="referred") & Q(outcome_on__isnull=False)),
                name="referral_outcome_dated",
                violation_error_message=_("An outcome needs its date."),
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("referred_on")),
                name="referral_outcome_after_referral",
                violation_error_message=_("The outcome cannot come before the referral."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.programme or self.destination}"


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
    # A context: a case handed on (已移交) is not a person referred (已推荐).
    REFERRED = "referred", pgettext_lazy("mediation", "Referred")


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
        verbose_name=pgettext_lazy("mediation step", "by"),
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
