"""The assessment's items on the home page, from the latest run covering the user's area."""

from django.urls import reverse
from django.utils.translation import gettext as _

from fupin.assessment import rules
from fupin.assessment.selectors import area_results
from fupin.core.attention import AttentionItem, attention_provider
from fupin.core.roles import Capability


@attention_provider
def assessment_outcomes(user):
    if not user.can(Capability.VIEW_REGISTRY) or not user.area_id:
        return []
    results = area_results(user, user.area_id, limit=1)
    if not results:
        return []
    counts = results[0].figures["outcomes"]
    url = reverse("assessment-households", args=[user.area_id])
    return [
        AttentionItem(
            _("Households meeting the exit standard"),
            counts[rules.MEETS_EXIT],
            f"{url}?outcome={rules.MEETS_EXIT}",
        ),
        AttentionItem(
            _("Non-registered households that look missed"),
            counts[rules.CANDIDATE],
            f"{url}?outcome={rules.CANDIDATE}",
            "warning",
        ),
        AttentionItem(
            _("Households with monitoring flags"),
            counts[rules.FLAGGED],
            f"{url}?outcome={rules.FLAGGED}",
            "danger",
        ),
    ]
