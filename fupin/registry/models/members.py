from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from fupin.core.scoping import AreaScopedQuerySet
from fupin.registry import choices as c
from fupin.registry.errors import MESSAGES
from fupin.registry.models.constraints import ConstraintErrorsAtFields


class MemberQuerySet(AreaScopedQuerySet):
    area_path = "household__village"
    area_stat_label = _("Persons")

    def present(self):
        return self.filter(status=c.MemberStatus.PRESENT)


class Member(ConstraintErrorsAtFields, models.Model):
    """A household member. Sex and birth date are read from the ID number when it is saved."""

    # A broken constraint's message is shown at this field (its violation_error_code: field).
    constraint_fields = {
        "two_heads": "relation",
        "migrant_months": "migrant_months",
        "disability_grade": "disability_grade",
        "departed_date_required": "departed_on",
    }

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,  # the (household, status) index serves every lookup by household
    )
    relation = models.CharField(_("relation to head"), max_length=16, choices=c.Relation.choices)
    # "person": other catalogues translate a bare "name" as a thing's name (名称).
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    sex = models.CharField(_("sex"), max_length=1, choices=c.Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    education = models.CharField(
        _("education"), max_length=12, choices=c.Education.choices, blank=True
    )
    schooling = models.CharField(
        _("schooling status"),
        max_length=16,
        choices=c.Schooling.choices,
        default=c.Schooling.NOT_APPLICABLE,
    )
    health = models.CharField(
        _("health"), max_length=10, choices=c.Health.choices, default=c.Health.HEALTHY
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), null=True, blank=True
    )
    labour = models.CharField(
        _("labour capacity"), max_length=16, choices=c.Labour.choices, blank=True
    )
    migrant_months = models.PositiveSmallIntegerField(_("months of migrant work"), default=0)
    migrant_place = models.CharField(_("place of migrant work"), max_length=100, blank=True)
    # The seed plan's "those preparing to go out to work" (fieldwork's training candidates);
    # db_default: the importer's SQL inserts members without naming this column.
    plans_migrant_work = models.BooleanField(
        _("plans migrant work"), default=False, db_default=False
    )
    medical_insurance = models.BooleanField(_("basic medical insurance"), default=False)
    serious_illness_insurance = models.BooleanField(_("serious-illness insurance"), default=False)
    pension_insurance = models.BooleanField(_("pension insurance"), default=False)
    party_member = models.BooleanField(_("party member"), default=False)
    veteran = models.BooleanField(_("veteran"), default=False)
    college_student = models.BooleanField(_("college student"), default=False)
    status = models.CharField(
        _("member status"),
        max_length=10,
        choices=c.MemberStatus.choices,
        default=c.MemberStatus.PRESENT,
    )
    departed_on = models.DateField(_("date deceased or moved out"), null=True, blank=True)
    # History is looked up by the record's id, and by household for the members a household
    # has ever had (a member may move: registry.history); an index on the ID number would
    # only slow a million-row import down. The household's cost 0.2 s of a 42 s import of a
    # million persons (member history 1.96-1.98 s without it, 2.19 s with it).
    history = HistoricalRecords(no_db_index=["id_number"])

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household_id", "id"]
        indexes = [
            # The list's search by a name's beginning reads the households from this index
            # alone: a one-character surname at a million persons (22,841 households) took
            # 191 ms with an index on the name only, 85 ms with this one (SQLite).
            models.Index(fields=["name", "household"], name="member_name_household"),
            models.Index(fields=["household", "status"]),
        ]
        constraints = [
            # Exactly one head: "at most one" here; "at least one" is checked by every write
            # path (a database cannot require a row to exist).
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation="head"),
                name="member_one_head",
                violation_error_message=_("The household already has a head."),
                violation_error_code="two_heads",
            ),
            models.CheckConstraint(
                condition=Q(migrant_months__lte=12),
                name="member_migrant_months_at_most_12",
                violation_error_message=_("Migrant work is counted in months: 0 to 12."),
                violation_error_code="migrant_months",
            ),
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True)
                | Q(disability_grade__gte=1, disability_grade__lte=4),
                name="member_disability_grade_1_to_4",
                violation_error_message=_("Disability grade is 1 to 4."),
                violation_error_code="disability_grade",
            ),
            models.CheckConstraint(
                condition=Q(status=c.MemberStatus.PRESENT, departed_on__isnull=True)
                | (~Q(status=c.MemberStatus.PRESENT) & Q(departed_on__isnull=False)),
                name="member_departed_date_iff_departed",
                violation_error_message=MESSAGES["departed_date_required"],
                violation_error_code="departed_date_required",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_head(self) -> bool:
        return self.relation == c.Relation.HEAD
