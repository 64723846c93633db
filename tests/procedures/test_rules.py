"""The pure rules, one refusal code at a time (no database)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin.assessment import rules as assessment
from fupin.procedures import rules
from fupin.procedures.rules import Attempt, Facts, Refusal, State, Step, Votes

VILLAGE = ("village_clerk", "resident_team")
STEPS = [
    Step("application", 1, VILLAGE),
    Step("appraisal", 2, VILLAGE, vote=True),
    Step("exclusion_check", 3, VILLAGE, check="exclusions"),
    Step("verification", 4, VILLAGE, check="exit_standard"),
    Step("agreement", 5, VILLAGE, needs_document=True),
    Step("notice", 6, VILLAGE, is_notice=True, notice_days=7),
    Step("township_review", 7, ("township_reviewer",)),
    Step("risk_check", 8, VILLAGE, check="risk_removal"),
    Step("announcement", 9, ("county_approver",), completes=True),
]
DAY = date(2019, 3, 11)
GOOD_VOTES = Votes(votes_for=20, against=2, abstain=1, attendance=23, eligible=30)


def state(done=0, **more):
    last = {s.order: s.code for s in STEPS}.get(done, "")
    more.setdefault("last_code", last)
    return State(kind="exit", year=2019, done=done, **more)


def attempt(step, role="village_clerk", **more):
    more.setdefault("on", DAY)
    more.setdefault("today", DAY)
    return Attempt(step_code=step, role=role, **more)


def codes(refusals):
    return [r.code for r in refusals]


def test_the_next_step_is_allowed():
    assert rules.check_step(STEPS, state(0), attempt("application")) == []


def test_a_closed_procedure_takes_no_step():
    found = rules.check_step(STEPS, state(0, status="completed"), attempt("application"))
    assert codes(found) == ["procedure_closed"]


def test_unknown_step():
    assert codes(rules.check_step(STEPS, state(0), attempt("nope"))) == ["unknown_step"]


def test_wrong_role():
    found = rules.check_step(STEPS, state(6), attempt("township_review", role="village_clerk"))
    assert found == [Refusal("wrong_role", {"step": "township_review"})]


def test_a_step_cannot_be_skipped():
    found = rules.check_step(STEPS, state(1), attempt("exclusion_check"))
    assert found == [
        Refusal("step_out_of_order", {"step": "exclusion_check", "expected": "appraisal"})
    ]


def test_an_earlier_step_is_out_of_order_and_the_same_step_already_recorded():
    assert codes(rules.check_step(STEPS, state(3), attempt("application"))) == ["step_out_of_order"]
    found = rules.check_step(
        STEPS, state(1, last_by="韦文书", last_date=DAY), attempt("application")
    )
    assert found == [
        Refusal("already_recorded", {"step": "application", "by": "韦文书", "date": DAY})
    ]


def test_after_the_last_step_nothing_comes():
    assert codes(rules.check_step(STEPS, state(9), attempt("announcement", "county_approver"))) == [
        "already_recorded"
    ]


def test_dates():
    future = attempt("application", on=date(2019, 3, 12))
    assert codes(rules.check_step(STEPS, state(0), future)) == ["date_in_future"]
    earlier = rules.check_step(
        STEPS,
        state(6, last_date=date(2019, 3, 12), last_code="notice"),
        attempt("township_review", role="township_reviewer", today=date(2019, 3, 20)),
    )
    assert codes(earlier) == ["date_before_previous"]


def test_notice_boundary_day():
    # Posted on the 1st for 7 days: the 1st to the 7th; the next step on the 8th.
    posted = date(2019, 3, 1)
    ends = rules.notice_ends_on(posted, 7)
    assert ends == date(2019, 3, 7)
    running = state(6, notice_ends_on=ends, last_date=posted)
    on_last_day = attempt("township_review", "township_reviewer", on=ends, today=ends)
    assert rules.check_step(STEPS, running, on_last_day) == [
        Refusal("notice_period_running", {"ends_on": ends})
    ]
    next_day = date(2019, 3, 8)
    after = attempt("township_review", "township_reviewer", on=next_day, today=next_day)
    assert rules.check_step(STEPS, running, after) == []


def test_an_open_objection_blocks():
    found = rules.check_step(
        STEPS, state(6, open_objections=1), attempt("township_review", "township_reviewer")
    )
    assert found == [Refusal("objection_open", {"count": 1})]


def test_votes():
    assert codes(rules.check_step(STEPS, state(1), attempt("appraisal"))) == ["votes_missing"]
    bad = Votes(votes_for=20, against=5, abstain=0, attendance=23, eligible=30)
    assert codes(rules.check_step(STEPS, state(1), attempt("appraisal", votes=bad))) == [
        "votes_inconsistent"
    ]
    assert rules.check_step(STEPS, state(1), attempt("appraisal", votes=GOOD_VOTES)) == []


def test_attendance_of_exactly_two_thirds_is_enough_and_one_fewer_is_not():
    exactly = Votes(votes_for=20, against=0, abstain=0, attendance=20, eligible=30)
    assert rules.vote_refusals(STEPS[1], exactly) == []
    fewer = Votes(votes_for=19, against=0, abstain=0, attendance=19, eligible=30)
    (refusal,) = rules.vote_refusals(STEPS[1], fewer)
    assert (refusal.code, refusal.params["rule"], refusal.params["share"]) == (
        "vote_rule_not_met",
        "attendance",
        "2/3",
    )


def test_half_of_those_present_is_no_majority():
    half = Votes(votes_for=12, against=12, abstain=0, attendance=24, eligible=30)
    (refusal,) = rules.vote_refusals(STEPS[1], half)
    assert refusal.params["rule"] == "majority"


@given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60), st.integers(1, 90))
def test_the_vote_rule_in_integers(votes_for, attendance_extra, eligible_extra, denominator):
    attendance = votes_for + attendance_extra
    eligible = attendance + eligible_extra
    votes = Votes(votes_for, 0, 0, attendance, max(eligible, 1))
    step = Step("s", 1, VILLAGE, vote=True, attendance=(min(2, denominator), denominator))
    found = rules.vote_refusals(step, votes)
    quorum = attendance * denominator >= min(2, denominator) * max(eligible, 1)
    assert (found == []) == (quorum and votes_for * 2 > attendance)


def test_document_missing():
    assert codes(rules.check_step(STEPS, state(4), attempt("agreement"))) == ["document_missing"]
    assert rules.check_step(STEPS, state(4), attempt("agreement", document=True)) == []


def test_an_exclusion_hit_must_be_resolved_with_a_reason():
    hit = Facts(exclusion_hits=2)
    assert rules.check_step(STEPS, state(2), attempt("exclusion_check"), hit) == [
        Refusal("exclusion_hit_unresolved", {"hits": 2})
    ]
    spaces = attempt("exclusion_check", exclusion_resolution="  ")
    assert codes(rules.check_step(STEPS, state(2), spaces, hit)) == ["exclusion_hit_unresolved"]
    resolved = attempt("exclusion_check", exclusion_resolution="车辆已于2018年转让")
    assert rules.check_step(STEPS, state(2), resolved, hit) == []


@pytest.mark.parametrize(
    ("outcome", "tests", "expected"),
    [
        (assessment.MEETS_EXIT, 0, []),
        (None, 0, ["no_assessment"]),
        (assessment.NOT_MEETS_EXIT, assessment.HOUSING_FAIL, ["exit_standard_not_met"]),
        (assessment.NOT_MEETS_EXIT, assessment.SAME_YEAR, ["registered_this_year"]),
    ],
)
def test_exit_verification_reads_the_assessment(outcome, tests, expected):
    facts = Facts(outcome=outcome, tests=tests)
    assert codes(rules.check_step(STEPS, state(3), attempt("verification"), facts)) == expected


def test_the_county_overrides_an_unmet_exit_standard_with_a_written_reason():
    facts = Facts(outcome=assessment.NOT_MEETS_EXIT, tests=assessment.HOUSING_FAIL)
    by_clerk = attempt("verification", override_reason="危房已改造，待评估")
    assert codes(rules.check_step(STEPS, state(3), by_clerk, facts)) == ["override_needs_county"]
    by_county = attempt("verification", "county_approver", override_reason="危房已改造")
    assert rules.check_step(STEPS, state(3), by_county, facts) == []
    # Without a reason the county approver is no actor of a village step at all.
    silent = attempt("verification", "county_approver")
    assert codes(rules.check_step(STEPS, state(3), silent, facts)) == ["wrong_role"]


def test_registered_this_year_is_never_overridden():
    facts = Facts(outcome=assessment.NOT_MEETS_EXIT, tests=assessment.SAME_YEAR)
    by_county = attempt("verification", "county_approver", override_reason="特批")
    assert codes(rules.check_step(STEPS, state(3), by_county, facts)) == ["registered_this_year"]


def test_risk_removal():
    stable = Facts(outcome=assessment.STABLE, tests=0)
    six = attempt("risk_check", stable_months=6)
    assert rules.check_step(STEPS, state(7), six, stable) == []
    five = attempt("risk_check", stable_months=5)
    assert rules.check_step(STEPS, state(7), five, stable) == [
        Refusal("income_not_stable", {"months": 5, "needed": 6})
    ]
    below = Facts(outcome=assessment.FLAGGED, tests=assessment.FLAG_BELOW_THRESHOLD)
    assert codes(rules.check_step(STEPS, state(7), six, below)) == ["income_not_stable"]
    unsafe = Facts(outcome=assessment.FLAGGED, tests=assessment.HOUSING_FAIL)
    assert codes(rules.check_step(STEPS, state(7), six, unsafe)) == ["guarantees_not_secure"]
    idle = Facts(outcome=assessment.STABLE, working_capacity=False)
    assert codes(rules.check_step(STEPS, state(7), six, idle)) == ["no_working_capacity"]
    assert codes(rules.check_step(STEPS, state(7), six, Facts())) == ["no_assessment"]


def test_working_capacity():
    assert rules.has_working_capacity(["none", "weak"])
    assert not rules.has_working_capacity(["none", "not_labour_age", ""])


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (rules.Start("identification", 2019, "not_registered"), []),
        (rules.Start("identification", 2019, "registered"), ["wrong_status"]),
        (rules.Start("exit", 2019, "registered", year_registered=2016), []),
        (rules.Start("exit", 2019, "registered", year_registered=2019), ["registered_this_year"]),
        (
            rules.Start(
                "exit", 2019, "registered", year_registered=2019, no_exit_in_registration_year=False
            ),
            [],
        ),
        (rules.Start("exit", 2019, "registered", 2016, has_open=True), ["already_open"]),
        (
            rules.Start(
                "monitoring", 2020, "exited", monitoring_kind="unstable_exited", risk_types=1
            ),
            ["monitoring_before_2021"],
        ),
        (
            rules.Start("monitoring", 2026, "exited"),
            ["monitoring_kind_required", "risk_types_required"],
        ),
        (rules.Start("risk_removal", 2026, "monitored"), []),
        (rules.Start("risk_removal", 2026, "cancelled"), ["wrong_status"]),
    ],
)
def test_start(start, expected):
    assert codes(rules.check_start(start)) == expected


def test_status_after():
    assert rules.status_after("identification", year_exited=None) == "registered"
    assert rules.status_after("exit", year_exited=None) == "exited"
    assert rules.status_after("monitoring", year_exited=2019) == "monitored"
    assert rules.status_after("risk_removal", year_exited=2019) == "exited"
    assert rules.status_after("risk_removal", year_exited=None) == "not_registered"


def test_every_code_has_a_message():
    import re

    from fupin.procedures import errors

    documented = set(re.findall(r"^\s{4}([a-z_0-9]+)\s{2,}", rules.__doc__, re.M))
    documented |= {"wrong_status", "already_open", "monitoring_before_2021"}
    documented |= {"monitoring_kind_required", "risk_types_required"}
    assert documented <= set(errors.MESSAGES)
