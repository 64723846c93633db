"""The assessment rules as pure functions: facts in, outcome and reasons out. No Django.

A household is assessed for a year against the standards of its province (``Rules``, built from
the run's standards snapshot). Five tests (``domain.md``, 贫困户退出): the income test
(per-capita net income at or above the line: income exactly at the line is not poor) and the
"three guarantees" plus safe drinking water (两不愁三保障; "food and clothing secure" has no
registry field and is covered by the income test). Each test passes, fails, or — when the
registry lacks the fact — is unknown; an unknown never lets a household exit.

Outcomes by household status:

* registered poor: meets the exit standard (every test passes and it was not registered this
  year, if that rule is on) or does not;
* not registered: a candidate for identification when the income test fails (omission risk);
* exited or monitored: monitoring flags (income below the monitoring threshold, an income fall
  beyond a share, a large medical expense, a disaster, a failed guarantee) or stable.

Reasons are ``[code, params]`` pairs, rendered in the user's language at display time
(fupin.assessment.reasons). Money in params is integer fen. The set-based engine
(fupin.assessment.engine) computes exactly the same results for every household at once; the
hypothesis test in tests/assessment holds the two to each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

# Outcomes; the engine stores the index into OUTCOMES.
MEETS_EXIT = "meets_exit"
NOT_MEETS_EXIT = "not_meets_exit"
CANDIDATE = "candidate"
NOT_POOR = "not_poor"
FLAGGED = "flagged"
STABLE = "stable"
OUTCOMES = (MEETS_EXIT, NOT_MEETS_EXIT, CANDIDATE, NOT_POOR, FLAGGED, STABLE)

# Household statuses (fupin.registry.choices.Status values); cancelled households are skipped.
REGISTERED = "registered"
NOT_REGISTERED = "not_registered"
EXITED = "exited"
MONITORED = "monitored"
ASSESSED_STATUSES = (REGISTERED, NOT_REGISTERED, EXITED, MONITORED)

# Failed tests and raised flags, as bits of HouseholdOutcome.tests.
INCOME_FAIL = 1 << 0
INCOME_UNKNOWN = 1 << 1
EDUCATION_FAIL = 1 << 2
MEDICAL_FAIL = 1 << 3
HOUSING_FAIL = 1 << 4
HOUSING_UNKNOWN = 1 << 5
WATER_FAIL = 1 << 6
WATER_UNKNOWN = 1 << 7
SAME_YEAR = 1 << 8
FLAG_BELOW_THRESHOLD = 1 << 9
FLAG_INCOME_FALL = 1 << 10
FLAG_MEDICAL_EXPENSE = 1 << 11
FLAG_DISASTER = 1 << 12
FLAG_GUARANTEES = 1 << 13
TEST_BITS = {
    "income_fail": INCOME_FAIL,
    "income_unknown": INCOME_UNKNOWN,
    "education_fail": EDUCATION_FAIL,
    "medical_fail": MEDICAL_FAIL,
    "housing_fail": HOUSING_FAIL,
    "housing_unknown": HOUSING_UNKNOWN,
    "water_fail": WATER_FAIL,
    "water_unknown": WATER_UNKNOWN,
    "same_year": SAME_YEAR,
    "flag_below_threshold": FLAG_BELOW_THRESHOLD,
    "flag_income_fall": FLAG_INCOME_FALL,
    "flag_medical_expense": FLAG_MEDICAL_EXPENSE,
    "flag_disaster": FLAG_DISASTER,
    "flag_guarantees": FLAG_GUARANTEES,
}
EXIT_BLOCKING = (
    INCOME_FAIL
    | INCOME_UNKNOWN
    | EDUCATION_FAIL
    | MEDICAL_FAIL
    | HOUSING_FAIL
    | HOUSING_UNKNOWN
    | WATER_FAIL
    | WATER_UNKNOWN
    | SAME_YEAR
)
GUARANTEE_FAILS = EDUCATION_FAIL | MEDICAL_FAIL | HOUSING_FAIL | WATER_FAIL
FLAGS = FLAG_BELOW_THRESHOLD | FLAG_INCOME_FALL | FLAG_MEDICAL_EXPENSE | FLAG_DISASTER
FLAGS |= FLAG_GUARANTEES

# Registry codes the rules read.
OUT_OF_SCHOOL = "out_of_school"
OUT_EXEMPT = "out_exempt"  # out of school because of illness or disability: exempt
HOUSING_GRADES = ("A", "B", "C", "D")
HOUSE_MADE_SAFE = ("renovated", "relocated")
WATER_ASPECTS = ("quality", "quantity", "convenience", "reliability")
WATER_RANK = {"unsafe": 0, "basic": 1, "safe": 2}
# Six years of schooling completed (China's primary school is six years).
SIX_YEARS_EDUCATION = ("primary", "junior", "senior", "vocational", "college")
# UNDP global MPI: "no household member aged 10 years or older has completed six years".
SCHOOLING_INDICATOR_AGE = 10

# Deprivations an index may use (MPIIndicator.code). The first five are the guarantees'
# tests; the last five the global MPI indicators the registry holds data for.
INDICATORS = (
    "income",
    "education",
    "medical",
    "housing",
    "water",
    "years_of_schooling",
    "school_attendance",
    "drinking_water",
    "electricity",
    "housing_global",
)

SHARE_SCALE = 10_000  # shares have 4 decimal places: compare them in integers


def yuan_to_fen(amount) -> int:
    """Yuan (Decimal, str, int or float) to integer fen, rounding half to even."""
    value = Decimal(str(amount)) * 100
    return int(value.to_integral_value(rounding=ROUND_HALF_EVEN))


def fen_to_yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def share_to_units(share) -> int:
    """A share such as Decimal("0.3000") as an integer number of 1/10000."""
    return int((Decimal(str(share)) * SHARE_SCALE).to_integral_value(rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class Rules:
    """One province's standards for a year, as the rules use them."""

    line_fen: int
    threshold_fen: int  # monitoring threshold; the poverty line in years without one
    school_age_from: int = 6
    school_age_to: int = 15
    age_reference: tuple[int, int] = (8, 31)  # (month, day)
    require_serious_illness_insurance: bool = True
    safe_housing_grades: str = "AB"
    water_min: tuple[int, int, int, int] = (1, 1, 1, 1)  # per WATER_ASPECTS, a WATER_RANK
    no_exit_in_registration_year: bool = True
    income_fall_units: int = 3000  # 0.3 in 1/10000
    medical_expense_fen: int = 1_000_000
    flag_disasters: bool = True
    flag_guarantees: bool = True

    @classmethod
    def from_snapshot(cls, province: dict) -> Rules:
        """From one province's entry of a run's standards snapshot (fupin.assessment.standards)."""
        r = province["rules"]
        line = yuan_to_fen(province["poverty_line"]["amount"])
        threshold = province.get("monitoring_threshold")
        return cls(
            line_fen=line,
            threshold_fen=yuan_to_fen(threshold["amount"]) if threshold else line,
            school_age_from=r["school_age_from"],
            school_age_to=r["school_age_to"],
            age_reference=(r["age_reference_month"], r["age_reference_day"]),
            require_serious_illness_insurance=r["require_serious_illness_insurance"],
            safe_housing_grades=r["safe_housing_grades"],
            water_min=tuple(WATER_RANK[r[f"water_{a}_min"]] for a in WATER_ASPECTS),
            no_exit_in_registration_year=r["no_exit_in_registration_year"],
            income_fall_units=share_to_units(r["income_fall_share"]),
            medical_expense_fen=yuan_to_fen(r["medical_expense_threshold"]),
            flag_disasters=r["flag_disasters"],
            flag_guarantees=r["flag_guarantees"],
        )


@dataclass(frozen=True)
class MemberFacts:
    """A present member (deceased and moved-out members are not facts of the household)."""

    member_id: int
    name: str
    birth_date: date
    schooling: str = "not_applicable"
    education: str = ""
    medical_insurance: bool = True
    serious_illness_insurance: bool = True


@dataclass(frozen=True)
class HouseholdFacts:
    household_id: int
    status: str
    year_registered: int | None = None
    housing_grade: str = ""
    housing_renovation: str = "none"
    water: tuple[str, str, str, str] = ("safe", "safe", "safe", "safe")  # per WATER_ASPECTS
    electricity: bool = True
    members: tuple[MemberFacts, ...] = ()
    income_fen: int | None = None  # per-capita net income of the year
    previous_income_fen: int | None = None  # of the year before
    medical_expense_fen: int = 0  # sum of the year's large-medical-expense events
    medical_events: int = 0
    disasters: int = 0


@dataclass
class HouseholdResult:
    outcome: str
    tests: int = 0
    reasons: list = field(default_factory=list)
    deprivations: dict = field(default_factory=dict)
    persons: int = 0


def age_on(birth: date, year: int, reference: tuple[int, int]) -> int:
    """Completed years on the reference day (month, day) of `year`."""
    month, day = reference
    return year - birth.year - (1 if (birth.month, birth.day) > (month, day) else 0)


def in_school_age(age: int, rules: Rules) -> bool:
    """Compulsory-school age, both ends inclusive (6 and 15 by default)."""
    return rules.school_age_from <= age <= rules.school_age_to


def income_test(facts: HouseholdFacts, year: int, rules: Rules) -> tuple[int, list]:
    if facts.income_fen is None:
        return INCOME_UNKNOWN, [["no_income_record", {"year": year}]]
    if facts.income_fen < rules.line_fen:
        return INCOME_FAIL, [
            ["income_below_line", {"income": facts.income_fen, "line": rules.line_fen}]
        ]
    return 0, []


def education_test(facts: HouseholdFacts, year: int, rules: Rules) -> tuple[int, list]:
    reasons = []
    for member in sorted(facts.members, key=lambda m: m.member_id):
        age = age_on(member.birth_date, year, rules.age_reference)
        if member.schooling == OUT_OF_SCHOOL and in_school_age(age, rules):
            reasons.append(["child_out_of_school", {"name": member.name, "age": age}])
    return (EDUCATION_FAIL if reasons else 0), reasons


def medical_test(facts: HouseholdFacts, rules: Rules) -> tuple[int, list]:
    reasons = []
    uninsured = sum(1 for m in facts.members if not m.medical_insurance)
    if uninsured:
        reasons.append(["no_medical_insurance", {"count": uninsured}])
    if rules.require_serious_illness_insurance:
        without = sum(1 for m in facts.members if not m.serious_illness_insurance)
        if without:
            reasons.append(["no_serious_illness_insurance", {"count": without}])
    return (MEDICAL_FAIL if reasons else 0), reasons


def housing_test(facts: HouseholdFacts, rules: Rules) -> tuple[int, list]:
    grade = facts.housing_grade
    if grade not in HOUSING_GRADES:
        return HOUSING_UNKNOWN, [["house_not_appraised", {}]]
    if grade in rules.safe_housing_grades or facts.housing_renovation in HOUSE_MADE_SAFE:
        return 0, []
    return HOUSING_FAIL, [["house_unsafe", {"grade": grade}]]


def water_test(facts: HouseholdFacts, rules: Rules) -> tuple[int, list]:
    bits, reasons = 0, []
    for aspect, level, minimum in zip(WATER_ASPECTS, facts.water, rules.water_min, strict=True):
        if level not in WATER_RANK:
            bits |= WATER_UNKNOWN
            reasons.append(["water_not_assessed", {"aspect": aspect}])
        elif WATER_RANK[level] < minimum:
            bits |= WATER_FAIL
            reasons.append(["water_below_standard", {"aspect": aspect, "level": level}])
    return bits, reasons


def monitoring_flags(facts: HouseholdFacts, tests: int, rules: Rules) -> tuple[int, list]:
    """Return-to-poverty flags of an exited or monitored household."""
    bits, reasons = 0, []
    income, previous = facts.income_fen, facts.previous_income_fen
    if income is not None and income < rules.threshold_fen:
        bits |= FLAG_BELOW_THRESHOLD
        reasons.append(
            ["income_below_threshold", {"income": income, "threshold": rules.threshold_fen}]
        )
    # "Beyond the share": strictly more than share x last year's income, compared in integers.
    if (
        income is not None
        and previous is not None
        and previous > 0
        and (previous - income) * SHARE_SCALE > rules.income_fall_units * previous
    ):
        bits |= FLAG_INCOME_FALL
        reasons.append(["income_fell", {"previous": previous, "income": income}])
    if facts.medical_events and facts.medical_expense_fen >= rules.medical_expense_fen:
        bits |= FLAG_MEDICAL_EXPENSE
        reasons.append(["large_medical_expense", {"amount": facts.medical_expense_fen}])
    if rules.flag_disasters and facts.disasters:
        bits |= FLAG_DISASTER
        reasons.append(["disaster", {"count": facts.disasters}])
    if rules.flag_guarantees and tests & GUARANTEE_FAILS:
        bits |= FLAG_GUARANTEES  # the failed guarantees' own reasons are listed already
    return bits, reasons


def deprivations(facts: HouseholdFacts, tests: int, year: int, rules: Rules) -> dict[str, bool]:
    """Each index indicator's deprivation (INDICATORS), from the tests and the facts."""
    ages = [age_on(m.birth_date, year, rules.age_reference) for m in facts.members]
    older = [
        m for m, age in zip(facts.members, ages, strict=True) if age >= SCHOOLING_INDICATOR_AGE
    ]
    water = dict(zip(WATER_ASPECTS, facts.water, strict=True))
    return {
        "income": bool(tests & INCOME_FAIL),
        "education": bool(tests & EDUCATION_FAIL),
        "medical": bool(tests & MEDICAL_FAIL),
        "housing": bool(tests & HOUSING_FAIL),
        "water": bool(tests & WATER_FAIL),
        # Households with nobody aged 10 or more are not deprived (UNDP technical notes).
        "years_of_schooling": bool(older)
        and not any(m.education in SIX_YEARS_EDUCATION for m in older),
        "school_attendance": any(
            m.schooling in (OUT_OF_SCHOOL, OUT_EXEMPT) and in_school_age(age, rules)
            for m, age in zip(facts.members, ages, strict=True)
        ),
        "drinking_water": water["quality"] == "unsafe" or water["convenience"] == "unsafe",
        "electricity": not facts.electricity,
        "housing_global": bool(tests & HOUSING_FAIL),
    }


def assess_household(facts: HouseholdFacts, year: int, rules: Rules) -> HouseholdResult:
    """The household's outcome for `year`, the failed tests and flags, and why."""
    tests, reasons = 0, []
    for bits, why in (
        income_test(facts, year, rules),
        education_test(facts, year, rules),
        medical_test(facts, rules),
        housing_test(facts, rules),
        water_test(facts, rules),
    ):
        tests |= bits
        reasons.extend(why)
    if facts.status == REGISTERED:
        if rules.no_exit_in_registration_year and facts.year_registered == year:
            tests |= SAME_YEAR
            reasons.append(["registered_this_year", {"year": year}])
        outcome = NOT_MEETS_EXIT if tests & EXIT_BLOCKING else MEETS_EXIT
    elif facts.status == NOT_REGISTERED:
        outcome = CANDIDATE if tests & INCOME_FAIL else NOT_POOR
    elif facts.status in (EXITED, MONITORED):
        flags, why = monitoring_flags(facts, tests, rules)
        tests |= flags
        reasons.extend(why)
        outcome = FLAGGED if flags else STABLE
    else:
        raise ValueError(f"status {facts.status!r} is not assessed")
    return HouseholdResult(
        outcome=outcome,
        tests=tests,
        reasons=reasons,
        deprivations=deprivations(facts, tests, year, rules),
        persons=len(facts.members),
    )


# --- areas ---------------------------------------------------------------------------------------


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def below(part: int, whole: int, threshold) -> bool:
    """part / whole < threshold, exactly (threshold a Decimal or str such as "0.03")."""
    limit = Fraction(Decimal(str(threshold)))
    return whole > 0 and Fraction(part, whole) < limit


def village_exit(
    *,
    poor_persons: int,
    persons: int,
    threshold,
    checklist: list[tuple[str, str, str, bool | None]],
) -> tuple[bool, list]:
    """Village exit: incidence below its region's threshold and every checklist item met.

    ``checklist`` holds (code, name, name_en, met) for each item of the province's checklist;
    ``met`` is None when the village's entry for the year was not recorded.
    """
    reasons = []
    if not below(poor_persons, persons, threshold):
        reasons.append(
            [
                "incidence_not_below",
                {"poor": poor_persons, "persons": persons, "threshold": str(threshold)},
            ]
        )
    for code, name, name_en, met in checklist:
        if met is None:
            reasons.append(["checklist_not_recorded", {"item": code, "name": name, "en": name_en}])
        elif not met:
            reasons.append(["checklist_not_met", {"item": code, "name": name, "en": name_en}])
    return not reasons, reasons


def county_exit(
    *,
    poor_persons: int,
    persons: int,
    threshold,
    samples: dict[str, int],
    wrongful_exit_max,
    omission_max,
    recognition_min,
) -> tuple[bool, list]:
    """County exit: incidence, wrongful-exit and omission rates below, recognition above."""
    reasons = []
    if not below(poor_persons, persons, threshold):
        reasons.append(
            [
                "incidence_not_below",
                {"poor": poor_persons, "persons": persons, "threshold": str(threshold)},
            ]
        )
    checks = (
        ("wrongful_exit_rate", "wrongly_exited_persons", "exited_persons", wrongful_exit_max),
        ("omission_rate", "omitted_persons", "nonregistered_persons", omission_max),
    )
    for rate, part, whole, limit in checks:
        if not samples.get(whole):
            reasons.append(["no_inspection_sample", {"rate": rate}])
        elif not below(samples[part], samples[whole], limit):
            reasons.append(["rate_not_below", {"rate": rate, "limit": str(limit)}])
    surveyed, approving = (
        samples.get("surveyed_households", 0),
        samples.get("approving_households", 0),
    )
    if not surveyed:
        reasons.append(["no_inspection_sample", {"rate": "recognition"}])
    elif Fraction(approving, surveyed) <= Fraction(Decimal(str(recognition_min))):
        reasons.append(["recognition_not_above", {"limit": str(recognition_min)}])
    return not reasons, reasons
