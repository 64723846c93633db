"""The work plan's rules, pure: month-precision schedules, lateness, money. No Django here.

A plan names months, not days: "completed in July" means by 31 July, "within the year" (no
month) means by 31 December. A project is late from the day after its deadline while it is
not complete; on the deadline itself it is on time. Money is yuan (Decimal) everywhere; the
万元 (ten thousand yuan) figure is for display only.
"""

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

YUAN_PER_WAN = Decimal(10000)
STALE_AFTER_DAYS = 30  # no progress update for this many days: the project needs chasing

# Project states a deadline no longer applies to.
COMPLETE_STATES = frozenset({"completed", "accepted"})
CLOSED_STATES = COMPLETE_STATES | {"cancelled"}


def month_start(year: int, month: int | None) -> date:
    """The first day a month-precision start allows (no month: the year's first day)."""
    return date(year, month or 1, 1)


def month_deadline(year: int, month: int | None) -> date:
    """The last day a month-precision deadline allows; no month means "within the year"."""
    month = month or 12
    return date(year, month, calendar.monthrange(year, month)[1])


def days_late(*, deadline: date, today: date, completed_on: date | None = None) -> int:
    """Days past the deadline: at completion if complete, else as of today; 0 if on time."""
    end = completed_on or today
    return max(0, (end - deadline).days)


def is_late(*, status: str, deadline: date, today: date) -> bool:
    """Past its deadline and still open (not completed, accepted or cancelled)."""
    return status not in CLOSED_STATES and today > deadline


def is_overspent(*, budget: Decimal, spent: Decimal) -> bool:
    """Spent more cash than the valued budget (unvalued in-kind funding counts as 0)."""
    return spent > budget


def is_stale(*, status: str, planned_start: date, last_update: date | None, today: date) -> bool:
    """Open, due to have started, and no progress reported for STALE_AFTER_DAYS days.

    With no update at all, the planned start is the date the silence is counted from.
    """
    if status in CLOSED_STATES or today < planned_start:
        return False
    since = last_update or planned_start
    return (today - since).days >= STALE_AFTER_DAYS


def to_wan(yuan: Decimal | int | None) -> Decimal:
    """Yuan → 万元, to two decimals (half up)."""
    return (Decimal(yuan or 0) / YUAN_PER_WAN).quantize(Decimal("0.01"), ROUND_HALF_UP)


def format_wan(yuan: Decimal | int | None) -> str:
    """万元 as offices write it: 1457, 35, 1.5, 0.25 — no trailing zeros."""
    text = f"{to_wan(yuan):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def total(amounts: Iterable[Decimal | None]) -> Decimal:
    """Sum of the valued amounts; None (not valued) counts as nothing."""
    return sum((Decimal(a) for a in amounts if a is not None), Decimal(0))


def totals_by(rows: Iterable[tuple[str, Decimal | None]]) -> dict[str, Decimal]:
    """(key, amount) rows → {key: sum}, keys in first-seen order."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for key, amount in rows:
        sums[key] += Decimal(amount or 0)
    return dict(sums)


def percent(part: Decimal | int, whole: Decimal | int) -> int:
    """part / whole as a whole percent, 0 when there is no whole."""
    if not whole:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).to_integral_value(ROUND_HALF_UP))


@dataclass(frozen=True)
class Span:
    """Where a period lies in its year, as fractions 0..1 of the year (for the Gantt chart)."""

    start: float
    end: float

    @property
    def width(self) -> float:
        return max(0.0, self.end - self.start)


def year_fraction(year: int, day: date) -> float:
    """How far through `year` the day lies: 0 on 1 January, 1 after 31 December (clamped)."""
    first = date(year, 1, 1)
    length = (date(year + 1, 1, 1) - first).days
    return min(1.0, max(0.0, (day - first).days / length))


def year_span(year: int, start: date, end: date) -> Span:
    """The part of `year` from `start` to the end of `end`, clamped to the year."""
    first = date(year, 1, 1)
    length = (date(year + 1, 1, 1) - first).days
    begin = (start - first).days / length
    finish = ((end - first).days + 1) / length
    return Span(min(1.0, max(0.0, begin)), min(1.0, max(0.0, finish)))
