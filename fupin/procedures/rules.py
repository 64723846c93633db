"""The procedures' rules, pure: facts in, refusals out — no Django, no database.

A refusal is a machine code with parameters (`Refusal`); `errors.py` turns it into a
sentence in the reader's language, and the API answers it with 409 (403 for `wrong_role`).
The service reads the facts under a lock on the procedure and asks `check_step`; a step is
recorded only when the answer is empty, so no rule can be bypassed but by the one recorded
override (the county's written reason at the exit verification).

Codes, in the order they are checked (the first is the one shown first):

    procedure_closed       the procedure is completed or withdrawn
    unknown_step           the workflow has no step of this code
    wrong_role             the actor's role does not act at this step
    already_recorded       the step is recorded already (by whom, when)
    step_out_of_order      not the next step: no step is skipped
    date_in_future         a step is recorded on or before today
    date_before_previous   not before the previous step's date
    notice_period_running  the notice's period has not elapsed yet
    objection_open         an unresolved objection holds the procedure
    votes_missing          a vote step needs its tallies
    votes_inconsistent     for + against + abstain ≤ present ≤ entitled, entitled ≥ 1
    vote_rule_not_met      attendance below the share, or no majority of those present
    document_missing       the step needs a document (the signed agreement)
    exclusion_hit_unresolved  a member is on an exclusion list: resolve with a reason
    no_assessment          no assessment of the household for the procedure's year
    registered_this_year   registered this year: does not exit the same year
    exit_standard_not_met  the latest assessment says the exit standard is not met
    override_needs_county  only a county approver overrides, with a written reason
    income_not_stable      income above the threshold for fewer months than needed
    guarantees_not_secure  the latest assessment finds a guarantee failing
    no_working_capacity    a household without working capacity stays monitored

and at the start of a procedure (`check_start`): wrong_status, already_open,
registered_this_year, monitoring_before_2021, monitoring_kind_required,
risk_types_required.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from fupin.assessment import rules as assessment

IDENTIFICATION, EXIT, MONITORING, RISK_REMOVAL = (
    "identification",
    "exit",
    "monitoring",
    "risk_removal",
)
OPEN = "open"
COUNTY_APPROVER = "county_approver"
MONITORING_FROM = 2021  # monitoring of households began after 2020

# Labour capacities that count as working capacity (a member who can work at all).
WORKING = ("skilled", "ordinary", "weak")


@dataclass(frozen=True)
class Refusal:
    code: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    code: str
    order: int
    roles: tuple[str, ...]
    is_notice: bool = False
    notice_days: int = 0
    vote: bool = False
    attendance: tuple[int, int] = (2, 3)  # present ≥ numerator/denominator of those entitled
    majority: bool = True  # more than half of those present vote for
    check: str = ""
    needs_document: bool = False
    completes: bool = False


@dataclass(frozen=True)
class State:
    """A procedure as it stands (read under its lock)."""

    kind: str
    year: int
    status: str = OPEN
    done: int = 0  # order of the last standing step; 0: none yet
    last_code: str = ""
    last_date: date | None = None
    last_by: str = ""  # who recorded the last step, for "already recorded by …"
    notice_ends_on: date | None = None  # last day of the latest standing notice
    open_objections: int = 0
    stable_months_needed: int = 6


@dataclass(frozen=True)
class Votes:
    votes_for: int
    against: int
    abstain: int
    attendance: int
    eligible: int


@dataclass(frozen=True)
class Attempt:
    step_code: str
    on: date
    today: date
    role: str
    votes: Votes | None = None
    document: bool = False
    override_reason: str = ""
    exclusion_resolution: str = ""
    stable_months: int | None = None


@dataclass(frozen=True)
class Facts:
    """What the automatic checks found (only the one the step names is read)."""

    exclusion_hits: int = 0
    outcome: str | None = None  # the latest assessment's outcome for the year; None: none
    tests: int = 0  # its failed tests and flags (fupin.assessment.rules bits)
    working_capacity: bool = True


def notice_ends_on(posted_on: date, days: int) -> date:
    """The last day of a notice posted on `posted_on` that runs `days` days (the day of
    posting counts): the next step may come the day after."""
    return posted_on + timedelta(days=max(days, 1) - 1)


def next_step(steps: Sequence[Step], done: int) -> Step | None:
    later = [step for step in steps if step.order > done]
    return min(later, key=lambda step: step.order) if later else None


def previous_step(steps: Sequence[Step], order: int) -> Step | None:
    earlier = [step for step in steps if step.order < order]
    return max(earlier, key=lambda step: step.order) if earlier else None


def may_act(step: Step, role: str, override_reason: str = "") -> bool:
    """The step's roles act; a county approver also records an exit verification whose
    standard is not met, as the written override."""
    if role in step.roles:
        return True
    return bool(
        step.check == "exit_standard" and override_reason.strip() and role == COUNTY_APPROVER
    )


def vote_refusals(step: Step, votes: Votes | None) -> list[Refusal]:
    if not step.vote:
        return []
    if votes is None:
        return [Refusal("votes_missing")]
    cast = votes.votes_for + votes.against + votes.abstain
    if (
        min(votes.votes_for, votes.against, votes.abstain, votes.attendance) < 0
        or votes.eligible < 1
        or cast > votes.attendance
        or votes.attendance > votes.eligible
    ):
        return [Refusal("votes_inconsistent")]
    numerator, denominator = step.attendance
    params = {
        "attendance": votes.attendance,
        "eligible": votes.eligible,
        "share": f"{numerator}/{denominator}",
        "votes_for": votes.votes_for,
    }
    # Integers only: 2/3 of 30 is 20 exactly, and 20 present is enough.
    if votes.attendance * denominator < numerator * votes.eligible:
        return [Refusal("vote_rule_not_met", {**params, "rule": "attendance"})]
    if step.majority and votes.votes_for * 2 <= votes.attendance:
        return [Refusal("vote_rule_not_met", {**params, "rule": "majority"})]
    return []


def check_refusals(step: Step, state: State, attempt: Attempt, facts: Facts) -> list[Refusal]:
    """The refusals of the step's automatic check."""
    if step.check == "exclusions":
        if facts.exclusion_hits and not attempt.exclusion_resolution.strip():
            return [Refusal("exclusion_hit_unresolved", {"hits": facts.exclusion_hits})]
        return []
    if step.check == "exit_standard":
        if facts.outcome is None:
            found = Refusal("no_assessment", {"year": state.year})
        elif facts.outcome == assessment.MEETS_EXIT:
            return []
        elif facts.tests & assessment.EXIT_BLOCKING == assessment.SAME_YEAR:
            # The one rule no override lifts: registered this year, exits next year at most.
            return [Refusal("registered_this_year", {"year": state.year})]
        else:
            found = Refusal("exit_standard_not_met", {"year": state.year})
        if not attempt.override_reason.strip():
            return [found]
        if attempt.role != COUNTY_APPROVER:
            return [Refusal("override_needs_county")]
        return []
    if step.check == "risk_removal":
        refusals = []
        needed = state.stable_months_needed
        months = attempt.stable_months
        if months is None or months < needed:
            refusals.append(Refusal("income_not_stable", {"months": months or 0, "needed": needed}))
        if facts.outcome is None:
            refusals.append(Refusal("no_assessment", {"year": state.year}))
        else:
            if facts.tests & assessment.FLAG_BELOW_THRESHOLD and not refusals:
                refusals.append(Refusal("income_not_stable", {"months": 0, "needed": needed}))
            if facts.tests & assessment.GUARANTEE_FAILS:
                refusals.append(Refusal("guarantees_not_secure"))
        if not facts.working_capacity:
            refusals.append(Refusal("no_working_capacity"))
        return refusals
    return []


def check_step(
    steps: Sequence[Step], state: State, attempt: Attempt, facts: Facts | None = None
) -> list[Refusal]:
    """Every reason the attempted step may not be recorded now; empty: it may."""
    facts = facts or Facts()
    if state.status != OPEN:
        return [Refusal("procedure_closed", {"status": state.status})]
    by_code = {step.code: step for step in steps}
    step = by_code.get(attempt.step_code)
    if step is None:
        return [Refusal("unknown_step", {"step": attempt.step_code})]
    if not may_act(step, attempt.role, attempt.override_reason):
        return [Refusal("wrong_role", {"step": step.code})]
    expected = next_step(steps, state.done)
    if step.order <= state.done:
        if step.code == state.last_code:
            return [
                Refusal(
                    "already_recorded",
                    {"step": step.code, "by": state.last_by, "date": state.last_date},
                )
            ]
        return [Refusal("step_out_of_order", {"step": step.code, "expected": _code(expected)})]
    if expected is None or step.order != expected.order:
        return [Refusal("step_out_of_order", {"step": step.code, "expected": _code(expected)})]
    refusals = []
    if attempt.on > attempt.today:
        refusals.append(Refusal("date_in_future", {"date": attempt.on}))
    if state.last_date and attempt.on < state.last_date:
        refusals.append(Refusal("date_before_previous", {"date": state.last_date}))
    if state.notice_ends_on and attempt.on <= state.notice_ends_on:
        refusals.append(Refusal("notice_period_running", {"ends_on": state.notice_ends_on}))
    if state.open_objections:
        refusals.append(Refusal("objection_open", {"count": state.open_objections}))
    refusals += vote_refusals(step, attempt.votes)
    if step.needs_document and not attempt.document:
        refusals.append(Refusal("document_missing", {"step": step.code}))
    refusals += check_refusals(step, state, attempt, facts)
    return refusals


def _code(step: Step | None) -> str:
    return step.code if step else ""


# --- starting a procedure ------------------------------------------------------------------

# The household statuses each kind starts from.
STARTS_FROM = {
    IDENTIFICATION: ("not_registered",),
    EXIT: ("registered",),
    MONITORING: ("exited", "not_registered"),
    RISK_REMOVAL: ("monitored",),
}


@dataclass(frozen=True)
class Start:
    kind: str
    year: int
    household_status: str
    year_registered: int | None = None
    no_exit_in_registration_year: bool = True
    has_open: bool = False
    monitoring_kind: str = ""
    risk_types: int = 0


def check_start(start: Start) -> list[Refusal]:
    refusals = []
    if start.household_status not in STARTS_FROM.get(start.kind, ()):
        refusals.append(Refusal("wrong_status", {"status": start.household_status}))
    if start.has_open:
        refusals.append(Refusal("already_open", {"year": start.year}))
    if (
        start.kind == EXIT
        and start.no_exit_in_registration_year
        and start.year_registered == start.year
    ):
        refusals.append(Refusal("registered_this_year", {"year": start.year}))
    if start.kind in (MONITORING, RISK_REMOVAL) and start.year < MONITORING_FROM:
        refusals.append(Refusal("monitoring_before_2021", {"year": start.year}))
    if start.kind == MONITORING:
        if not start.monitoring_kind:
            refusals.append(Refusal("monitoring_kind_required"))
        if start.risk_types < 1:
            refusals.append(Refusal("risk_types_required"))
    return refusals


# --- what completing a procedure does to the household ------------------------------------


def status_after(kind: str, *, year_exited: int | None) -> str:
    """The household's status when a procedure of `kind` completes. A risk removed returns
    the household to what it was before monitoring: exited, or never registered."""
    if kind == IDENTIFICATION:
        return "registered"
    if kind == EXIT:
        return "exited"
    if kind == MONITORING:
        return "monitored"
    if kind == RISK_REMOVAL:
        return "exited" if year_exited else "not_registered"
    raise ValueError(f"unknown procedure kind {kind!r}")


def has_working_capacity(labour: Sequence[str]) -> bool:
    """A household can work if any present member has some labour capacity."""
    return any(value in WORKING for value in labour)


def proposed_for_monitoring(outcome: str | None) -> bool:
    """The assessment proposes a household for monitoring when its outcome carries flags."""
    return outcome == assessment.FLAGGED
