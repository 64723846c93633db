from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fupin.core.scoping import AreaScopedQuerySet
from fupin.registry.errors import MESSAGES
from fupin.registry.models.constraints import ConstraintErrorsAtFields

# A form refuses a negative amount at its field; the check constraint below is the backstop.
MONEY = {
    "max_digits": 12,
    "decimal_places": 2,
    "default": Decimal("0"),
    "validators": [MinValueValidator(Decimal("0"), message=MESSAGES["negative"])],
}

# What counts towards net income (domain.md): wages + net operating income + property +
# transfers. Earmarked grants and one-off aid are kept on the row but not counted.
COUNTED_TOTAL = (
    F("wage")
    + F("operating_income")
    - F("operating_costs")
    + F("property")
    + F("transfer_pension")
    + F("transfer_dibao")
    + F("transfer_subsidy")
    + F("transfer_other")
)


class ExactDivide(models.Func):
    """a / b without integer division: SQLite stores whole-yuan decimals as integers and
    would truncate 12500 / 3 to 4166; PostgreSQL's numeric division is already exact."""

    arity = 2
    template = "(%(expressions)s)"
    arg_joiner = " / "
    output_field = models.DecimalField(max_digits=13, decimal_places=4)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(%(expressions)s)",
            arg_joiner=" AS REAL) / ",
            **extra_context,
        )


class YearlyIncomeQuerySet(AreaScopedQuerySet):
    area_path = "household__village"


class YearlyIncome(ConstraintErrorsAtFields, models.Model):
    """A household's income for one year, by component, so the counting rule can change."""

    # A broken constraint's message is shown at this field (its violation_error_code: field).
    constraint_fields = {"income_year_taken": "year", "income_members": "members"}

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="incomes",
        db_index=False,  # the unique (household, year) constraint's index serves it
    )
    year = models.PositiveSmallIntegerField(_("year"))
    members = models.PositiveSmallIntegerField(_("registered members that year"))
    wage = models.DecimalField(_("wage income"), **MONEY)
    operating_income = models.DecimalField(_("operating income"), **MONEY)
    operating_costs = models.DecimalField(_("operating costs"), **MONEY)
    property = models.DecimalField(_("property income"), **MONEY)
    transfer_pension = models.DecimalField(_("pensions"), **MONEY)
    transfer_dibao = models.DecimalField(_("dibao and five-guarantee payments"), **MONEY)
    transfer_subsidy = models.DecimalField(_("policy subsidies"), **MONEY)
    transfer_other = models.DecimalField(_("other transfers"), **MONEY)
    excluded_earmarked = models.DecimalField(_("earmarked grants (not counted)"), **MONEY)
    excluded_one_off = models.DecimalField(_("one-off aid (not counted)"), **MONEY)
    net_income = models.GeneratedField(
        verbose_name=_("net income"),
        expression=COUNTED_TOTAL,
        output_field=models.DecimalField(max_digits=13, decimal_places=2),
        db_persist=True,
    )
    per_capita_net_income = models.GeneratedField(
        verbose_name=_("per-capita net income"),
        # Rounded to the fen in the database, the same on SQLite and PostgreSQL.
        expression=Round(ExactDivide(COUNTED_TOTAL, F("members")), 2),
        output_field=models.DecimalField(max_digits=13, decimal_places=2),
        db_persist=True,
    )
    history = HistoricalRecords(
        excluded_fields=["net_income", "per_capita_net_income"], no_db_index=["household"]
    )

    objects = YearlyIncomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly income")
        verbose_name_plural = _("yearly incomes")
        ordering = ["household_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                name="income_one_per_year",
                violation_error_message=_(
                    "This household already has an income for that year: edit it instead."
                ),
                violation_error_code="income_year_taken",
            ),
            models.CheckConstraint(
                condition=Q(members__gte=1),
                name="income_members_positive",
                violation_error_message=_(
                    "The household must have at least one member in the income year."
                ),
                violation_error_code="income_members",
            ),
            models.CheckConstraint(
                condition=Q(
                    wage__gte=0,
                    operating_income__gte=0,
                    operating_costs__gte=0,
                    property__gte=0,
                    transfer_pension__gte=0,
                    transfer_dibao__gte=0,
                    transfer_subsidy__gte=0,
                    transfer_other__gte=0,
                    excluded_earmarked__gte=0,
                    excluded_one_off__gte=0,
                ),
                name="income_parts_nonnegative",
                violation_error_message=_("No income amount can be negative."),
                violation_error_code="income_negative",
            ),
        ]
        # The household list's income band reads this index alone (household included): a
        # band of a county's households counts in 40 ms, where fetching each income row
        # too took 140.
        indexes = [models.Index(fields=["year", "per_capita_net_income", "household"])]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}"
