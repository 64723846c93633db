"""Places where later apps add to the registry's pages without the registry importing them.

The assessment app, for example, registers the poverty line of a year and a panel with the
household's latest outcome (arrows point one way: assessment reads registry, not back).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HouseholdPanel:
    template: str
    context: Callable  # (household, user) -> dict, or None to leave the panel out


household_panels: list[HouseholdPanel] = []

# (year, village_code) -> Decimal poverty line or None; set by the assessment app.
poverty_line_lookup: Callable | None = None


def poverty_line(year: int, village_code: str):
    return poverty_line_lookup(year, village_code) if poverty_line_lookup else None
