"""The work plan's items on the home page: late, overspent and silent projects in one's area."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.attention import AttentionItem, attention_provider
from fupin.core.roles import Capability
from fupin.workplan.selectors import attention_counts


@attention_provider
def project_warnings(user):
    if not user.can(Capability.VIEW):
        return []
    counts = attention_counts(user, timezone.localdate())
    url = reverse("workplan-warnings")
    return [
        AttentionItem(_("Late projects"), counts["late"], url + "#late", "danger"),
        AttentionItem(_("Overspent projects"), counts["overspent"], url + "#overspent", "warning"),
        AttentionItem(
            _("Projects with no progress update for 30 days"), counts["stale"], url + "#stale"
        ),
    ]
