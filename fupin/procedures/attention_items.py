"""Procedures on the home page: what waits for the user's role in their area, by procedure
and step, with how many and how long the oldest has waited."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.attention import AttentionItem, attention_provider
from fupin.core.roles import Capability
from fupin.procedures import queries

OLD_DAYS = 14  # a procedure waiting longer than this shows as a warning


@attention_provider
def procedures_waiting(user):
    if user.role not in queries.ACTING_ROLES or not user.can(Capability.VIEW_REGISTRY):
        return []
    url = reverse("procedure-waiting")
    items = []
    for row in queries.waiting_summary(user, timezone.localdate()):
        title = _("%(kind)s waiting for %(step)s (oldest %(days)s days)") % {
            "kind": row.kind_label,
            "step": row.step.label,
            "days": row.oldest_days,
        }
        tone = "danger" if row.objections else ("warning" if row.oldest_days > OLD_DAYS else "info")
        items.append(AttentionItem(title, row.count, url, tone))
    return items
