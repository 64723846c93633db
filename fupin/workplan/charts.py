"""Geometry of the server-drawn charts: the year's Gantt timeline and budget-vs-spent bars.

Templates draw SVG from these numbers; colours come from classes in workplan.css, because the
Content Security Policy forbids inline styles. No Django here.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fupin.workplan import rules

GANTT_WIDTH = 1000  # SVG user units: label column + the year
GANTT_LABEL = 280
GANTT_ROW = 28
GANTT_HEAD = 24
BAR_WIDTH = 1000
BAR_LABEL = 300
BAR_ROW = 30


@dataclass(frozen=True)
class GanttBar:
    project: object
    y: float
    label_y: float
    planned_x: float
    planned_w: float
    done_w: float  # the reported progress, drawn inside the planned bar
    late_x: float
    late_w: float  # past the deadline: to completion if late, else to today while open
    done_x: float | None  # actual completion marker


@dataclass(frozen=True)
class Gantt:
    year: int
    width: int
    height: int
    label_width: int
    months: list[tuple[float, int]]  # (x, month number) of each month's first day
    bars: list[GanttBar]
    today_x: float | None  # None: today is not within the year


def _x(fraction: float) -> float:
    return round(GANTT_LABEL + fraction * (GANTT_WIDTH - GANTT_LABEL), 1)


def gantt(year: int, projects, today: date) -> Gantt:
    """`projects`: objects with planned_start, deadline, status, progress_percent,
    completed_on (and is_complete)."""
    bars = []
    for index, project in enumerate(projects):
        y = GANTT_HEAD + index * GANTT_ROW
        span = rules.year_span(year, project.planned_start, project.deadline)
        x0, x1 = _x(span.start), _x(span.end)
        done_w = round((x1 - x0) * project.progress_percent / 100, 1)
        end = project.completed_on if project.is_complete else today
        late_x = late_w = 0.0
        if project.status != "cancelled" and end and end > project.deadline:
            late_span = rules.year_span(year, project.deadline, end)
            late_x, late_w = x1, max(0.0, round(_x(late_span.end) - x1, 1))
        done_x = None
        if project.is_complete and project.completed_on:
            done_x = _x(rules.year_fraction(year, project.completed_on))
        bars.append(
            GanttBar(project, y + 6, y + 18, x0, round(x1 - x0, 1), done_w, late_x, late_w, done_x)
        )
    months = [(_x(rules.year_fraction(year, date(year, m, 1))), m) for m in range(1, 13)]
    today_x = _x(rules.year_fraction(year, today)) if today.year == year else None
    height = GANTT_HEAD + max(1, len(projects)) * GANTT_ROW + 8
    return Gantt(year, GANTT_WIDTH, height, GANTT_LABEL, months, bars, today_x)


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    spent_y: float
    label_y: float
    budget_w: float
    spent_w: float
    budget: Decimal
    spent: Decimal
    overspent: bool
    text_x: float
    row: object


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def bar_chart(rows, *, width: int = BAR_WIDTH, label_width: int = BAR_LABEL) -> BarChart:
    """`rows`: objects with label, budget and spent (yuan); bars scaled to the largest."""
    scale_max = max([max(r.budget, r.spent) for r in rows] + [Decimal(1)])
    room = width - label_width - 120  # leave space for the figures after the bars
    bars = []
    for index, row in enumerate(rows):
        y = 8 + index * BAR_ROW
        budget_w = round(float(row.budget / scale_max) * room, 1)
        spent_w = round(float(row.spent / scale_max) * room, 1)
        bars.append(
            Bar(
                label=row.label,
                y=y,
                spent_y=y + 5,
                label_y=y + 14,
                budget_w=budget_w,
                spent_w=spent_w,
                budget=row.budget,
                spent=row.spent,
                overspent=rules.is_overspent(budget=row.budget, spent=row.spent),
                text_x=label_width + max(budget_w, spent_w) + 6,
                row=row,
            )
        )
    return BarChart(width, 16 + max(1, len(rows)) * BAR_ROW, label_width, bars)
