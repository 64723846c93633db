"""The assessment's part of the demo: assess the demo district for the latest income year.

Runs after the registry's demo. Without households it does nothing; with them it stores one
run, and loading the demo again adds none (idempotent).
"""

from fupin.assessment.models import AssessmentRun
from fupin.assessment.services import assessment_run
from fupin.registry.models import Household, YearlyIncome

DEMO_YEAR = 2019  # the seed plan's year, when the registry has no incomes yet


def load_demo(context) -> None:
    district = context.village.parent.parent if context.village.parent else context.village
    households = Household.objects.in_area(district.code)
    if not households.exists():
        return
    incomes = YearlyIncome.objects.in_area(district.code).order_by("-year")
    year = incomes.values_list("year", flat=True).first() or DEMO_YEAR
    if AssessmentRun.objects.filter(area=district, year=year).exists():
        return
    run = assessment_run(area=district, year=year)
    context.log.append(
        f"Assessment {year}: {run.households} households in {district.name} "
        f"(standards {run.standards_version})."
    )
