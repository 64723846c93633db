"""The pure rules, without a database: each test, the outcomes, and the boundary cases."""

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from fupin import measures
from fupin.assessment import rules as r

RULES = r.Rules(line_fen=321800, threshold_fen=600000)
YEAR = 2019


def facts(**fields) -> r.HouseholdFacts:
    base = {
        "household_id": 1,
        "status": r.REGISTERED,
        "year_registered": 2015,
        "housing_grade": "A",
        "members": (r.MemberFacts(1, "户主", date(1970, 1, 1)),),
        "income_fen": 800000,
    }
    return r.HouseholdFacts(**(base | fields))


def child(born: date, schooling=r.OUT_OF_SCHOOL, member_id=2, name="王某"):
    return r.MemberFacts(member_id, name, born, schooling=schooling)


def test_a_household_that_passes_every_test_meets_the_exit_standard():
    result = r.assess_household(facts(), YEAR, RULES)
    assert (result.outcome, result.tests, result.reasons) == (r.MEETS_EXIT, 0, [])


def test_income_exactly_at_the_line_is_not_poor_and_a_fen_below_is():
    at_line = r.assess_household(facts(income_fen=RULES.line_fen), YEAR, RULES)
    assert at_line.outcome == r.MEETS_EXIT
    below = r.assess_household(facts(income_fen=RULES.line_fen - 1), YEAR, RULES)
    assert below.outcome == r.NOT_MEETS_EXIT
    assert below.reasons == [["income_below_line", {"income": 321799, "line": 321800}]]


def test_no_income_record_blocks_exit_but_does_not_make_a_candidate():
    registered = r.assess_household(facts(income_fen=None), YEAR, RULES)
    assert registered.outcome == r.NOT_MEETS_EXIT
    assert registered.reasons == [["no_income_record", {"year": YEAR}]]
    other = r.assess_household(facts(status=r.NOT_REGISTERED, income_fen=None), YEAR, RULES)
    assert other.outcome == r.NOT_POOR


@pytest.mark.parametrize(
    ("born", "age", "counts"),
    [
        (date(2013, 8, 31), 6, True),  # sixth birthday on the reference day: 6, in the range
        (date(2013, 9, 1), 5, False),  # a day younger: 5
        (date(2004, 8, 31), 15, True),  # still 15 until the next reference day: in the range
        (date(2003, 8, 31), 16, False),
    ],
)
def test_compulsory_school_age_is_6_to_15_inclusive_on_31_august(born, age, counts):
    result = r.assess_household(facts(members=(child(born),)), YEAR, RULES)
    assert r.age_on(born, YEAR, RULES.age_reference) == age
    assert bool(result.tests & r.EDUCATION_FAIL) is counts
    if counts:
        assert result.reasons == [["child_out_of_school", {"name": "王某", "age": age}]]


def test_school_ages_come_from_the_standards():
    ages_7_to_15 = replace(RULES, school_age_from=7)
    household = facts(members=(child(date(2013, 8, 31)),))
    assert r.assess_household(household, YEAR, ages_7_to_15).outcome == r.MEETS_EXIT


def test_out_of_school_because_of_illness_or_disability_is_exempt():
    exempt = child(date(2010, 1, 1), schooling=r.OUT_EXEMPT)
    assert r.assess_household(facts(members=(exempt,)), YEAR, RULES).outcome == r.MEETS_EXIT


def test_members_without_insurance_are_counted():
    members = tuple(
        r.MemberFacts(i, f"成员{i}", date(1980, 1, 1), medical_insurance=i > 2) for i in range(4)
    )
    result = r.assess_household(facts(members=members), YEAR, RULES)
    assert result.reasons == [["no_medical_insurance", {"count": 3}]]
    assert result.tests == r.MEDICAL_FAIL


def test_serious_illness_insurance_is_required_only_when_the_standard_says_so():
    member = r.MemberFacts(1, "甲", date(1980, 1, 1), serious_illness_insurance=False)
    household = facts(members=(member,))
    assert r.assess_household(household, YEAR, RULES).reasons == [
        ["no_serious_illness_insurance", {"count": 1}]
    ]
    lenient = replace(RULES, require_serious_illness_insurance=False)
    assert r.assess_household(household, YEAR, lenient).outcome == r.MEETS_EXIT


@pytest.mark.parametrize(
    ("grade", "renovation", "bits", "reasons"),
    [
        ("B", "none", 0, []),
        ("C", "none", r.HOUSING_FAIL, [["house_unsafe", {"grade": "C"}]]),
        ("D", "relocated", 0, []),
        ("C", "renovated", 0, []),
        ("", "none", r.HOUSING_UNKNOWN, [["house_not_appraised", {}]]),
    ],
)
def test_housing(grade, renovation, bits, reasons):
    result = r.assess_household(
        facts(housing_grade=grade, housing_renovation=renovation), YEAR, RULES
    )
    assert (result.tests, result.reasons) == (bits, reasons)


def test_water_aspects_below_the_minimum_level_fail_and_blank_ones_are_unknown():
    result = r.assess_household(facts(water=("basic", "unsafe", "", "safe")), YEAR, RULES)
    assert result.tests == r.WATER_FAIL | r.WATER_UNKNOWN
    assert result.reasons == [
        ["water_below_standard", {"aspect": "quantity", "level": "unsafe"}],
        ["water_not_assessed", {"aspect": "convenience"}],
    ]
    strict = replace(RULES, water_min=(2, 2, 2, 2))
    assert r.assess_household(facts(water=("basic",) * 4), YEAR, strict).tests == r.WATER_FAIL


def test_a_household_registered_this_year_does_not_exit_the_same_year():
    result = r.assess_household(facts(year_registered=YEAR), YEAR, RULES)
    assert result.outcome == r.NOT_MEETS_EXIT
    assert result.reasons == [["registered_this_year", {"year": YEAR}]]
    off = replace(RULES, no_exit_in_registration_year=False)
    assert r.assess_household(facts(year_registered=YEAR), YEAR, off).outcome == r.MEETS_EXIT
    assert r.assess_household(facts(year_registered=YEAR - 1), YEAR, RULES).outcome == (
        r.MEETS_EXIT
    )


def test_a_non_registered_household_below_the_line_is_a_candidate_for_identification():
    poor = facts(status=r.NOT_REGISTERED, income_fen=200000, housing_grade="D")
    result = r.assess_household(poor, YEAR, RULES)
    assert result.outcome == r.CANDIDATE
    assert [code for code, _ in result.reasons] == ["income_below_line", "house_unsafe"]
    assert r.assess_household(replace(poor, income_fen=400000), YEAR, RULES).outcome == (r.NOT_POOR)


def test_monitoring_flags_of_an_exited_household():
    exited = facts(status=r.EXITED, income_fen=700000, previous_income_fen=1000000)
    assert r.assess_household(exited, YEAR, RULES).outcome == r.STABLE  # a 30 % fall exactly
    fell = r.assess_household(replace(exited, income_fen=699999), YEAR, RULES)
    assert fell.outcome == r.FLAGGED
    assert fell.reasons == [["income_fell", {"previous": 1000000, "income": 699999}]]
    below = r.assess_household(replace(exited, income_fen=599999), YEAR, RULES)
    assert below.tests & r.FLAG_BELOW_THRESHOLD
    assert below.reasons[0] == ["income_below_threshold", {"income": 599999, "threshold": 600000}]


def test_medical_expenses_disasters_and_guarantees_raise_flags_when_the_standard_says_so():
    monitored = facts(status=r.MONITORED, medical_events=1, medical_expense_fen=1_000_000)
    result = r.assess_household(monitored, YEAR, RULES)
    assert result.reasons == [["large_medical_expense", {"amount": 1_000_000}]]
    smaller = replace(monitored, medical_expense_fen=999_999)
    assert r.assess_household(smaller, YEAR, RULES).outcome == r.STABLE
    disaster = facts(status=r.MONITORED, disasters=2)
    assert r.assess_household(disaster, YEAR, RULES).reasons == [["disaster", {"count": 2}]]
    assert r.assess_household(disaster, YEAR, replace(RULES, flag_disasters=False)).outcome == (
        r.STABLE
    )
    unsafe = facts(status=r.EXITED, housing_grade="D")
    assert r.assess_household(unsafe, YEAR, RULES).tests & r.FLAG_GUARANTEES
    assert r.assess_household(unsafe, YEAR, replace(RULES, flag_guarantees=False)).outcome == (
        r.STABLE
    )


GUARANTEE_WEIGHTS = [Fraction(1, 3), *[Fraction(1, 6)] * 4]  # the seeded guarantees index
GUARANTEES = ["income", "education", "medical", "housing", "water"]


@pytest.mark.parametrize(("unsafe", "poor"), [(("D", ""), True), (("D", "safe"), False)])
def test_a_score_of_exactly_one_third_is_multidimensionally_poor(unsafe, poor):
    grade, water = unsafe
    household = facts(housing_grade=grade, water=(water or "unsafe", "safe", "safe", "safe"))
    result = r.assess_household(household, YEAR, RULES)
    row = [int(result.deprivations[code]) for code in GUARANTEES]
    assert sum(w * d for w, d in zip(GUARANTEE_WEIGHTS, row, strict=True)) == (
        Fraction(1, 3) if poor else Fraction(1, 6)
    )
    assert (1.0 if poor else 0.0) == measures.mpi([row], GUARANTEE_WEIGHTS, Fraction(1, 3)).H


def test_global_indicators():
    members = (
        r.MemberFacts(1, "甲", date(1970, 1, 1), education="none"),
        child(date(2010, 1, 1), schooling=r.OUT_EXEMPT),
    )
    household = facts(members=members, electricity=False, water=("unsafe",) + ("safe",) * 3)
    d = r.assess_household(household, YEAR, RULES).deprivations
    assert d["years_of_schooling"] and d["school_attendance"] and d["electricity"]
    assert d["drinking_water"] and not d["education"]  # exempt: no guarantee failure
    young = facts(members=(r.MemberFacts(1, "乙", date(2012, 1, 1)),))
    assert not r.assess_household(young, YEAR, RULES).deprivations["years_of_schooling"]


def test_village_exit_needs_incidence_below_the_threshold_and_every_checklist_item():
    items = [("road", "有路通村屯", "Roads", True), ("tv", "有电视看", "Television", True)]
    assert r.village_exit(poor_persons=2, persons=100, threshold="0.03", checklist=items) == (
        True,
        [],
    )
    at_threshold = r.village_exit(poor_persons=3, persons=100, threshold="0.03", checklist=items)
    assert at_threshold[0] is False
    assert at_threshold[1][0][0] == "incidence_not_below"
    missing = [("road", "有路通村屯", "Roads", None), ("tv", "有电视看", "Television", False)]
    eligible, reasons = r.village_exit(
        poor_persons=0, persons=100, threshold="0.03", checklist=missing
    )
    assert not eligible
    assert [code for code, _ in reasons] == ["checklist_not_recorded", "checklist_not_met"]


def test_county_exit_reads_the_inspection_rates():
    samples = {
        "exited_persons": 100,
        "wrongly_exited_persons": 1,
        "nonregistered_persons": 1000,
        "omitted_persons": 19,
        "surveyed_households": 100,
        "approving_households": 91,
    }
    limits = {"wrongful_exit_max": "0.02", "omission_max": "0.02", "recognition_min": "0.90"}
    common = {"poor_persons": 1, "persons": 100, "threshold": "0.02", **limits}
    assert r.county_exit(samples=samples, **common) == (True, [])
    worse = samples | {"approving_households": 90, "omitted_persons": 20}
    eligible, reasons = r.county_exit(samples=worse, **common)
    assert not eligible
    assert [code for code, _ in reasons] == ["rate_not_below", "recognition_not_above"]
    eligible, reasons = r.county_exit(samples={}, **common)
    assert [p["rate"] for _, p in reasons] == ["wrongful_exit_rate", "omission_rate", "recognition"]


def test_money_converts_to_fen_exactly():
    assert r.yuan_to_fen("3218.00") == 321800
    assert r.yuan_to_fen("-0.01") == -1
    assert r.share_to_units("0.3000") == 3000
