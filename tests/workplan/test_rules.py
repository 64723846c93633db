"""The work plan's rules, without a database: deadlines, lateness, money."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin.workplan import rules


@pytest.mark.parametrize(
    ("year", "month", "deadline"),
    [
        (2019, 3, date(2019, 3, 31)),
        (2019, 2, date(2019, 2, 28)),
        (2020, 2, date(2020, 2, 29)),  # leap year
        (2019, 11, date(2019, 11, 30)),
        (2019, 12, date(2019, 12, 31)),
        (2019, None, date(2019, 12, 31)),  # "within the year"
    ],
)
def test_a_month_deadline_is_the_months_last_day(year, month, deadline):
    assert rules.month_deadline(year, month) == deadline


def test_a_month_start_is_the_first_day_and_no_month_is_the_first_of_january():
    assert rules.month_start(2019, 3) == date(2019, 3, 1)
    assert rules.month_start(2019, None) == date(2019, 1, 1)


def test_on_the_deadline_day_a_project_is_on_time_and_late_the_day_after():
    deadline = rules.month_deadline(2019, 7)  # "completed in July"
    assert not rules.is_late(status="started", deadline=deadline, today=date(2019, 7, 31))
    assert rules.days_late(deadline=deadline, today=date(2019, 7, 31)) == 0
    assert rules.is_late(status="started", deadline=deadline, today=date(2019, 8, 1))
    assert rules.days_late(deadline=deadline, today=date(2019, 8, 1)) == 1


def test_within_the_year_is_late_only_from_the_first_of_january():
    deadline = rules.month_deadline(2019, None)
    assert not rules.is_late(status="planned", deadline=deadline, today=date(2019, 12, 31))
    assert rules.is_late(status="planned", deadline=deadline, today=date(2020, 1, 1))
    assert rules.days_late(deadline=deadline, today=date(2020, 1, 1)) == 1


@pytest.mark.parametrize("status", ["completed", "accepted", "cancelled"])
def test_a_closed_project_is_never_late(status):
    deadline = date(2019, 7, 31)
    assert not rules.is_late(status=status, deadline=deadline, today=date(2026, 1, 1))


def test_a_project_completed_after_its_deadline_counts_the_days_at_completion():
    deadline = date(2019, 7, 31)
    late = rules.days_late(
        deadline=deadline, today=date(2026, 1, 1), completed_on=date(2019, 9, 20)
    )
    assert late == 51
    on_time = rules.days_late(
        deadline=deadline, today=date(2026, 1, 1), completed_on=date(2019, 7, 31)
    )
    assert on_time == 0


def test_overspending_is_spending_more_than_the_valued_budget():
    assert not rules.is_overspent(budget=Decimal(50000), spent=Decimal(50000))
    assert rules.is_overspent(budget=Decimal(50000), spent=Decimal("50000.01"))
    # In kind only (cement, labour): nothing valued, nothing spent → not overspent.
    assert not rules.is_overspent(budget=Decimal(0), spent=Decimal(0))
    assert rules.is_overspent(budget=Decimal(0), spent=Decimal(1))


def test_stale_after_30_days_without_progress():
    start = date(2019, 3, 1)
    kwargs = {"status": "started", "planned_start": start}
    last = date(2019, 5, 1)
    assert not rules.is_stale(**kwargs, last_update=last, today=last + timedelta(days=29))
    assert rules.is_stale(**kwargs, last_update=last, today=last + timedelta(days=30))
    # Never reported: counted from the planned start; before it, nothing is due.
    assert rules.is_stale(**kwargs, last_update=None, today=start + timedelta(days=30))
    assert not rules.is_stale(**kwargs, last_update=None, today=start - timedelta(days=1))
    assert not rules.is_stale(
        status="completed", planned_start=start, last_update=None, today=date(2026, 1, 1)
    )


def test_wan_display():
    assert rules.format_wan(Decimal(14570000)) == "1457"
    assert rules.format_wan(Decimal(350000)) == "35"
    assert rules.format_wan(Decimal(15000)) == "1.5"
    assert rules.format_wan(Decimal(2500)) == "0.25"
    assert rules.format_wan(None) == "0"
    assert rules.to_wan(Decimal(12345)) == Decimal("1.23")


def test_seed_totals_by_source_and_department():
    # The seed's projects: (lead department, funding source, yuan or None when not valued).
    seed = [
        ("组织部", "department_budget", Decimal(350000)),
        ("水利局", "department_budget", Decimal(300000)),
        ("水利局", "department_budget", Decimal(4800000)),
        ("扶贫办", "poverty_fund", Decimal(920000)),
        ("扶贫办", "poverty_fund", Decimal(2000000)),
        ("国土资源局", "department_budget", Decimal(6000000)),
        ("交通局", "department_budget", Decimal(150000)),
        ("农业局", "in_kind", None),
        ("林业局", "department_budget", None),
        ("教育局", "department_budget", Decimal(50000)),
    ]
    assert rules.total(amount for _d, _s, amount in seed) == Decimal(14570000)
    assert rules.format_wan(rules.total(amount for _d, _s, amount in seed)) == "1457"
    by_source = rules.totals_by((source, amount) for _d, source, amount in seed)
    assert by_source == {
        "department_budget": Decimal(11650000),
        "poverty_fund": Decimal(2920000),
        "in_kind": Decimal(0),
    }
    by_department = rules.totals_by((dept, amount) for dept, _s, amount in seed)
    assert by_department["水利局"] == Decimal(5100000)
    assert by_department["扶贫办"] == Decimal(2920000)
    assert sum(by_department.values()) == Decimal(14570000)


def test_percent():
    assert rules.percent(Decimal(495), Decimal(480)) == 103
    assert rules.percent(5, 0) == 0


@given(
    year=st.integers(2000, 2100),
    month=st.one_of(st.none(), st.integers(1, 12)),
    offset=st.integers(-400, 400),
)
def test_late_exactly_when_past_the_deadline(year, month, offset):
    deadline = rules.month_deadline(year, month)
    today = deadline + timedelta(days=offset)
    assert rules.is_late(status="started", deadline=deadline, today=today) == (offset > 0)
    assert rules.days_late(deadline=deadline, today=today) == max(0, offset)
    assert rules.month_start(year, month) <= deadline


@given(year=st.integers(2000, 2100), day=st.integers(0, 364))
def test_year_fraction_is_within_0_and_1(year, day):
    fraction = rules.year_fraction(year, date(year, 1, 1) + timedelta(days=day))
    assert 0 <= fraction < 1
