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

# (years, village_code) -> {year: Decimal poverty line}, the years without a line left out;
# set by the assessment app. Several years at once: the household page's incomes in one query.
poverty_lines_lookup: Callable | None = None


def poverty_lines(years, village_code: str) -> dict:
    years = set(years)
    return poverty_lines_lookup(years, village_code) if poverty_lines_lookup and years else {}


def poverty_line(year: int, village_code: str):
    return poverty_lines([year], village_code).get(year)


# Called, inside the writing transaction, with the codes of the villages whose households were
# created, changed or moved (both villages of a move): the fieldwork's stored compliance
# figures of those villages are computed again (compliance.forget).
households_changed: list[Callable] = []


def notify_households_changed(villages) -> None:
    villages = {code for code in villages if code}
    if villages:
        for callback in households_changed:
            callback(*villages)
