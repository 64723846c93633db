"""The plain per-household assessment: the ORM, one household at a time, through the pure rules.

Too slow for a county (see bench/assess.py) but obviously right: the hypothesis test holds the
set-based engine to it, and the benchmark times it on a sample as the "straightforward loop".
"""

from fupin.assessment import rules
from fupin.assessment.models import HouseholdEvent
from fupin.registry import choices as c
from fupin.registry.models import Household, YearlyIncome


def household_facts(household: Household, year: int) -> rules.HouseholdFacts:
    members = household.members.filter(status=c.MemberStatus.PRESENT).order_by("id")
    incomes = {
        i.year: rules.yuan_to_fen(i.per_capita_net_income)
        for i in YearlyIncome.objects.filter(household=household, year__in=[year, year - 1])
    }
    events = HouseholdEvent.objects.filter(household=household, year=year)
    medical = [e for e in events if e.kind == HouseholdEvent.Kind.MEDICAL]
    return rules.HouseholdFacts(
        household_id=household.pk,
        status=household.status,
        year_registered=household.year_registered,
        housing_grade=household.housing_grade,
        housing_renovation=household.housing_renovation,
        water=(
            household.water_quality,
            household.water_quantity,
            household.water_convenience,
            household.water_reliability,
        ),
        electricity=household.electricity,
        members=tuple(
            rules.MemberFacts(
                member_id=m.pk,
                name=m.name,
                birth_date=m.birth_date,
                schooling=m.schooling,
                education=m.education,
                medical_insurance=m.medical_insurance,
                serious_illness_insurance=m.serious_illness_insurance,
            )
            for m in members
        ),
        income_fen=incomes.get(year),
        previous_income_fen=incomes.get(year - 1),
        medical_expense_fen=sum(rules.yuan_to_fen(e.amount) for e in medical),
        medical_events=len(medical),
        disasters=sum(1 for e in events if e.kind == HouseholdEvent.Kind.DISASTER),
    )


def assess_households(households, year: int, standards) -> dict[int, rules.HouseholdResult]:
    """Each household's result, one by one (cancelled households are not assessed)."""
    results = {}
    for household in households:
        if household.status not in rules.ASSESSED_STATUSES:
            continue
        facts = household_facts(household, year)
        results[household.pk] = rules.assess_household(
            facts, year, standards.rules_for(household.village_id[:2])
        )
    return results


def assess_area(code: str | None, year: int, standards) -> dict[int, rules.HouseholdResult]:
    households = Household.objects.all() if code is None else Household.objects.in_area(code)
    return assess_households(households.order_by("id"), year, standards)
