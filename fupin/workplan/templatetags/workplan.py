"""Money and schedule as the work plan's pages show them."""

from django import template
from django.utils.translation import gettext as _

from fupin.workplan import rules
from fupin.workplan.documents import month_text

register = template.Library()


@register.filter
def wan(yuan) -> str:
    """Yuan shown in 万元 (the unit is in the column header): 1457, 35, 1.5."""
    return rules.format_wan(yuan)


@register.filter
def yuan(amount) -> str:
    if amount is None:
        return "—"
    return f"{amount:,.2f}"


@register.filter
def start_month(project) -> str:
    return month_text(project.planned_start_month, completion=False)


@register.filter
def completion_month(project) -> str:
    return month_text(project.planned_completion_month, completion=True)


@register.simple_tag
def days_late_text(days) -> str:
    return _("%(days)s days late") % {"days": days} if days else ""
