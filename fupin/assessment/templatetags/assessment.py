"""Template filters that put an assessment's stored codes into words."""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fupin.assessment import reasons as r
from fupin.assessment.models import Outcome

register = template.Library()


@register.filter
def reasons(value) -> list[str]:
    """A stored list of [code, params] as sentences in the current language."""
    return r.explain_all(value)


@register.filter
def outcome_label(code: str) -> str:
    return Outcome(code).label if code in Outcome.values else code


def _absent(value) -> bool:
    """No figure: None, or the '' a template gives for a key the figures do not hold (an
    area with no households has no FGT, Gini or MPI figures)."""
    return value is None or value == ""


@register.filter
def percent(share) -> str:
    return "—" if _absent(share) else r.percent(share)


@register.filter
def yuan(fen) -> str:
    return "—" if _absent(fen) else r.yuan(fen)


@register.filter
def ratio(value, digits: int = 4) -> str:
    return "—" if _absent(value) else f"{value:.{int(digits)}f}"


# The indicators the seeded indices use; a code an administrator adds shows as itself.
INDICATOR_LABELS = {
    "income": _("Income above the line"),
    "education": _("Compulsory education"),
    "medical": pgettext_lazy("MPI indicator", "Basic medical insurance"),
    "housing": _("Safe housing"),
    "water": _("Safe drinking water"),
    "years_of_schooling": _("Years of schooling"),
    "school_attendance": _("School attendance"),
    "drinking_water": pgettext_lazy("MPI indicator", "Drinking water"),
    "electricity": _("Electricity"),
    "housing_global": _("Housing"),
}


@register.filter
def indicator_label(code: str) -> str:
    return str(INDICATOR_LABELS.get(code, code))


# The dimensions of the seeded indices, stored as written in the seed; others show as themselves.
DIMENSION_LABELS = {
    "两不愁 / income": pgettext_lazy("MPI dimension", "Two no-worries: income"),
    "义务教育 / education": pgettext_lazy("MPI dimension", "Compulsory education"),
    "基本医疗 / medical care": pgettext_lazy("MPI dimension", "Basic medical care"),
    "住房安全 / housing": pgettext_lazy("MPI dimension", "Safe housing"),
    "饮水安全 / drinking water": pgettext_lazy("MPI dimension", "Safe drinking water"),
    "教育 / education": pgettext_lazy("MPI dimension", "Education"),
    "生活水平 / living standards": pgettext_lazy("MPI dimension", "Living standards"),
}


@register.filter
def dimension_label(dimension: str) -> str:
    return str(DIMENSION_LABELS.get(dimension, dimension))
