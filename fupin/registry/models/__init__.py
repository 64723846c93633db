from fupin.registry.models.exclusions import ExclusionEntry, ExclusionImport
from fupin.registry.models.households import Household
from fupin.registry.models.incomes import YearlyIncome
from fupin.registry.models.members import Member

__all__ = ["ExclusionEntry", "ExclusionImport", "Household", "Member", "YearlyIncome"]
