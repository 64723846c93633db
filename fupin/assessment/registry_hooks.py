"""What the assessment shows on the registry's pages, through the registry's hooks (the
registry does not import the assessment: arrows point from assessment to registry)."""

from decimal import Decimal

from fupin.assessment.models import PovertyLine
from fupin.assessment.selectors import latest_outcome_for
from fupin.core.roles import Capability
from fupin.registry import hooks


def poverty_lines(years, village_code: str) -> dict[int, Decimal]:
    """Each year's line (the latest earlier year's if none), the province's own first; the
    years before the first line left out. One query: a few rows a year at most."""
    rows = (
        PovertyLine.objects.filter(year__lte=max(years), province__in=["", village_code[:2]])
        .order_by("year", "province")  # '' before the province: its own line wins the year
        .values_list("year", "amount")
    )
    by_year = dict(rows)
    lines, known = {}, sorted(by_year)
    for year in years:
        earlier = [line_year for line_year in known if line_year <= year]
        if earlier:
            lines[year] = by_year[earlier[-1]]
    return lines


def outcome_panel(household, user):
    if not user.can(Capability.VIEW_REGISTRY):
        return None
    return {"outcome": latest_outcome_for(household)}


def connect() -> None:
    hooks.poverty_lines_lookup = poverty_lines
    if not any(p.template == "assessment/_household_outcome.html" for p in hooks.household_panels):
        hooks.household_panels.append(
            hooks.HouseholdPanel("assessment/_household_outcome.html", outcome_panel)
        )
