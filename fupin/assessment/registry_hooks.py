"""What the assessment shows on the registry's pages, through the registry's hooks (the
registry does not import the assessment: arrows point from assessment to registry)."""

from decimal import Decimal

from fupin.assessment.models import PovertyLine
from fupin.assessment.selectors import latest_outcome_for
from fupin.core.roles import Capability
from fupin.registry import hooks


def poverty_line(year: int, village_code: str) -> Decimal | None:
    """The line for the year (the latest earlier year's if none), the province's own first."""
    row = (
        PovertyLine.objects.filter(year__lte=year, province__in=["", village_code[:2]])
        .order_by("-year", "-province")
        .values_list("amount", flat=True)
        .first()
    )
    return row


def outcome_panel(household, user):
    if not user.can(Capability.VIEW_REGISTRY):
        return None
    return {"outcome": latest_outcome_for(household)}


def connect() -> None:
    hooks.poverty_line_lookup = poverty_line
    if not any(p.template == "assessment/_household_outcome.html" for p in hooks.household_panels):
        hooks.household_panels.append(
            hooks.HouseholdPanel("assessment/_household_outcome.html", outcome_panel)
        )
