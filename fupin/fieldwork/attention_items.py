"""Fieldwork on the home page: households overdue for a visit and follow-ups past due, in
the user's area; a cadre who signs in sees their own."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.attention import AttentionItem, attention_provider
from fupin.core.roles import Capability
from fupin.fieldwork.compliance import compliance


@attention_provider
def overdue_visits(user):
    if not user.can(Capability.VIEW_REGISTRY) or not user.area_id:
        return []
    figures = compliance(user.area_id, timezone.localdate())
    url = reverse("fieldwork-compliance")
    items = [
        AttentionItem(_("Households overdue for a visit"), figures.overdue, url, "warning"),
        AttentionItem(
            _("Follow-ups past due"), figures.follow_ups_overdue, url + "#follow-ups", "danger"
        ),
    ]
    cadre = getattr(user, "cadre", None)
    if cadre is not None:
        mine = next((row for row in figures.by_cadre if row["cadre"] == cadre.pk), None)
        if mine:
            items.append(
                AttentionItem(_("My households overdue for a visit"), mine["overdue"], url)
            )
    return items


@attention_provider
def stale_mediation_cases(user):
    """Mediation cases still unresolved more than FUPIN_MEDIATION_WARN_DAYS after they were
    received, in the user's area: the township's reviewer sees every village's."""
    from django.conf import settings

    from fupin.fieldwork.models import MediationCase

    if not user.can(Capability.VIEW_REGISTRY) or not user.area_id:
        return []
    days = settings.FUPIN_MEDIATION_WARN_DAYS
    count = MediationCase.objects.in_area(user.area_id).stale(timezone.localdate(), days).count()
    return [
        AttentionItem(
            _("Mediation cases open over %(days)d days") % {"days": days},
            count,
            reverse("mediation-list") + "?stale=on",
            "warning",
        )
    ]
