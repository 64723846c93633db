from fupin.registry.models.exclusions import ExclusionEntry, ExclusionImport
from fupin.registry.models.households import HOUSEHOLD_ORDER, Household
from fupin.registry.models.incomes import YearlyIncome
from fupin.registry.models.members import Member

__all__ = [
    "HOUSEHOLD_ORDER",
    "ExclusionEntry",
    "ExclusionImport",
    "Household",
    "Member",
    "YearlyIncome",
]
