"""The plan's documents: the annual work plan and the year-end summary (.docx), the project
ledger (.xlsx). Each is built from a plan and its projects (as selectors return them) in the
language asked for; fupin.documents.word turns the structure into bytes.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from fupin.documents.word import Document, Heading, Paragraph, Table, chinese_number
from fupin.workplan import rules
from fupin.workplan.models import AnnualPlan, Project, SourceKind
from fupin.workplan.selectors import money_by_department, money_by_source, money_totals

LANGUAGES = {"zh": "zh-hans", "en": "en"}
MONTH_NAMES = [
    pgettext_lazy("month", "January"),
    pgettext_lazy("month", "February"),
    pgettext_lazy("month", "March"),
    pgettext_lazy("month", "April"),
    pgettext_lazy("month", "May"),
    pgettext_lazy("month", "June"),
    pgettext_lazy("month", "July"),
    pgettext_lazy("month", "August"),
    pgettext_lazy("month", "September"),
    pgettext_lazy("month", "October"),
    pgettext_lazy("month", "November"),
    pgettext_lazy("month", "December"),
]

# --- the assessment's figures: a hook, so that this app never imports the assessment ------

_assessment_figures: list[Callable] = []


def register_assessment_figures(func: Callable) -> Callable:
    """The assessment app registers `f(area, year) -> list[(label, value)] | None` here."""
    _assessment_figures.append(func)
    return func


def assessment_figures(area, year: int) -> list[tuple[str, str]] | None:
    """Poverty incidence and the like for the area's year, or None while no assessment exists."""
    for func in _assessment_figures:
        figures = func(area, year)
        if figures:
            return figures
    return None


# --- wording ---------------------------------------------------------------------------------


def month_text(month: int | None, *, completion: bool) -> str:
    if month is None:
        return _("within the year") if completion else "—"
    return str(MONTH_NAMES[month - 1])


def wan(yuan) -> str:
    return _("%(amount)s × 10k yuan") % {"amount": rules.format_wan(yuan)}


def _join(names) -> str:
    return _(", ").join(names)


def _quantities(project: Project, language: str) -> str:
    parts = []
    for quantity in project.quantities.all():
        what = quantity.description_en if language == "en" and quantity.description_en else None
        amount = f"{quantity.amount.normalize():f}"
        parts.append(f"{what or quantity.description} {amount} {quantity.get_unit_display()}")
    return _join(parts)


def _funding(project: Project, language: str) -> str:
    parts = []
    for source in project.funding.all():
        text = str(source.get_kind_display())
        if source.planned_amount is not None:
            text += " " + wan(source.planned_amount)
        in_kind = source.in_kind_en if language == "en" and source.in_kind_en else source.in_kind
        if in_kind:
            text = _("%(name)s (%(amount)s)") % {"name": text, "amount": in_kind}
        elif source.planned_amount is None:
            text += " " + _("(not valued)")
        parts.append(text)
    return _join(parts)


def _schedule(project: Project) -> str:
    end = month_text(project.planned_completion_month, completion=True)
    if project.planned_start_month:
        start = month_text(project.planned_start_month, completion=False)
        return _("start %(start)s, complete %(end)s") % {"start": start, "end": end}
    return _("complete %(end)s") % {"end": end}


def _project_sentence(index: int, project: Project, language: str) -> str:
    parts = [_("lead department: %(name)s") % {"name": project.lead_department.label(language)}]
    partners = [d.label(language) for d in project.partner_departments.all()]
    if partners:
        parts.append(_("partner departments: %(names)s") % {"names": _join(partners)})
    places = [area.name for area in project.locations.all()]
    if places:
        parts.append(_("location: %(names)s") % {"names": _join(places)})
    work = _quantities(project, language)
    if work:
        parts.append(_("works: %(works)s") % {"works": work})
    if project.persons_served:
        parts.append(_("%(n)s persons served") % {"n": project.persons_served})
    if project.budget:
        parts.append(_("planned investment %(amount)s") % {"amount": wan(project.budget)})
    parts.append(_("funding: %(sources)s") % {"sources": _funding(project, language)})
    schedule = _schedule(project)
    if project.schedule_note and language != "en":
        schedule += _(", ") + project.schedule_note
    parts.append(schedule)
    if project.carry_over_note and language != "en":
        parts.append(project.carry_over_note)
    return _("%(number)s. %(name)s: %(details)s.") % {
        "number": index,
        "name": project.label(language),
        "details": _("; ").join(parts),
    }


def _section(number: int, title: str) -> Heading:
    return Heading(_("%(number)s. %(title)s") % {"number": _ordinal(number), "title": title})


def _ordinal(number: int) -> str:
    return chinese_number(number) if translation.get_language() == "zh-hans" else str(number)


def _schedule_table(projects: list[Project], language: str) -> Table:
    rows = []
    for index, project in enumerate(projects, start=1):
        rows.append(
            [
                str(index),
                project.label(language),
                project.lead_department.label(language),
                _quantities(project, language) or "—",
                rules.format_wan(project.budget) if project.budget else "—",
                _join(str(s.get_kind_display()) for s in project.funding.all()),
                month_text(project.planned_start_month, completion=False),
                month_text(project.planned_completion_month, completion=True),
            ]
        )
    total = rules.total(project.budget for project in projects)
    return Table(
        header=[
            _("No."),
            _("Project"),
            _("Lead department"),
            _("Works"),
            _("Investment (10k yuan)"),
            _("Funding sources"),
            _("Start"),
            _("Completion"),
        ],
        rows=rows,
        footer=[_("Total"), "", "", "", rules.format_wan(total), "", "", ""],
        numeric=frozenset({4}),
        widths_cm=(0.9, 3.4, 2.0, 3.6, 1.7, 1.8, 1.1, 1.4),
    )


def plan_document(plan: AnnualPlan, projects: list[Project], language: str = "zh") -> Document:
    """The annual work plan in the seed's structure: guiding ideology, construction
    objectives, main work numbered (with each project's money in 万元 and its months), and
    the schedule of projects with their total."""
    with translation.override(LANGUAGES[language]):
        blocks: list = []
        if plan.text("preamble", language):
            blocks.append(Paragraph(plan.text("preamble", language)))
        blocks += [
            _section(1, _("Guiding ideology")),
            Paragraph(plan.text("guiding_ideology", language)),
            _section(2, _("Construction objectives")),
        ]
        if plan.text("objectives_intro", language):
            blocks.append(Paragraph(plan.text("objectives_intro", language)))
        objectives = list(plan.objectives.all())
        if objectives:
            blocks.append(
                Table(
                    header=[_("No."), _("Objective"), _("Indicator"), _("Target")],
                    rows=[
                        [
                            str(o.number),
                            o.text("description", language),
                            o.text("indicator", language),
                            o.text("target", language),
                        ]
                        for o in objectives
                    ],
                    widths_cm=(1.0, 6.0, 4.5, 4.5),
                )
            )
        blocks.append(_section(3, _("Main work")))
        by_item: dict[int | None, list[Project]] = {}
        for project in projects:
            by_item.setdefault(project.work_item_id, []).append(project)
        counter = 0
        for item in plan.work_items.all():
            title = item.text("title", language)
            blocks.append(
                Heading(
                    _("(%(number)s) %(title)s") % {"number": _ordinal(item.number), "title": title},
                    level=2,
                )
            )
            if item.text("body", language):
                blocks.append(Paragraph(item.text("body", language)))
            for project in by_item.get(item.pk, []):
                counter += 1
                blocks.append(Paragraph(_project_sentence(counter, project, language)))
        loose = by_item.get(None, [])
        for project in loose:
            counter += 1
            blocks.append(Paragraph(_project_sentence(counter, project, language)))
        blocks += [
            _section(4, _("Schedule of projects")),
            _schedule_table(projects, language),
            Paragraph(
                _("Planned investment in all: %(amount)s.")
                % {"amount": wan(rules.total(p.budget for p in projects))}
            ),
        ]
        if plan.text("closing", language):
            blocks.append(Paragraph(plan.text("closing", language)))
        return Document(
            title=plan.text("title", language),
            blocks=blocks,
            language=language,
        )


def _status_counts(projects: list[Project], as_of: date) -> dict[str, int]:
    complete = [p for p in projects if p.is_complete]
    return {
        "total": len(projects),
        "complete": len(complete),
        "on_time": sum(1 for p in complete if p.days_late(as_of) == 0),
        "completed_late": sum(1 for p in complete if p.days_late(as_of) > 0),
        "open": sum(1 for p in projects if p.status in ("planned", "started")),
        "late": sum(
            1 for p in projects if rules.is_late(status=p.status, deadline=p.deadline, today=as_of)
        ),
        "cancelled": sum(1 for p in projects if p.status == "cancelled"),
    }


def summary_document(
    plan: AnnualPlan, projects: list[Project], today: date, language: str = "zh"
) -> Document:
    """The year-end summary: completion, spending, objectives met and, where an assessment
    exists, its figures. Lateness is judged at the year's end (or today, if earlier)."""
    as_of = min(today, date(plan.year, 12, 31))
    with translation.override(LANGUAGES[language]):
        counts = _status_counts(projects, as_of)
        totals = money_totals(projects)
        blocks: list = [
            _section(1, _("Overview")),
            Paragraph(
                _(
                    "The plan had %(total)s projects with a planned investment of %(budget)s. "
                    "%(complete)s were completed (%(on_time)s on time, %(completed_late)s "
                    "late); %(open)s are still under way, %(late)s of them past their planned "
                    "completion; %(cancelled)s were cancelled. Funds allocated: %(allocated)s; "
                    "spent: %(spent)s (%(percent)s%% of the plan)."
                )
                % {
                    **counts,
                    "budget": wan(totals.budget),
                    "allocated": wan(totals.allocated),
                    "spent": wan(totals.spent),
                    "percent": rules.percent(totals.spent, totals.budget),
                }
            ),
            _section(2, _("Projects")),
            Table(
                header=[
                    _("No."),
                    _("Project"),
                    _("Lead department"),
                    _("Planned completion"),
                    _("Completed on"),
                    _("Status"),
                    _("Progress"),
                    _("Days late"),
                ],
                rows=[
                    [
                        str(i),
                        p.label(language),
                        p.lead_department.label(language),
                        month_text(p.planned_completion_month, completion=True),
                        p.completed_on.isoformat() if p.completed_on else "—",
                        str(p.get_status_display()),
                        f"{p.progress_percent}%",
                        str(p.days_late(as_of) or "—"),
                    ]
                    for i, p in enumerate(projects, start=1)
                ],
                numeric=frozenset({6, 7}),
                widths_cm=(0.9, 4.0, 2.2, 1.6, 2.2, 1.6, 1.3, 1.4),
            ),
            _section(3, _("Use of funds")),
            _money_table(_("Funding source"), money_by_source(projects)),
            _money_table(_("Lead department"), money_by_department(projects), language),
        ]
        overspent = [p for p in projects if rules.is_overspent(budget=p.budget, spent=p.spent)]
        if overspent:
            blocks.append(
                Paragraph(
                    _("Overspent: %(projects)s.")
                    % {
                        "projects": _join(
                            _("%(name)s (%(amount)s)")
                            % {"name": p.label(language), "amount": wan(p.spent - p.budget)}
                            for p in overspent
                        )
                    }
                )
            )
        blocks.append(_section(4, _("Objectives")))
        blocks.append(
            Table(
                header=[
                    _("Objective"),
                    _("Indicator"),
                    _("Target"),
                    _("Actual"),
                    pgettext("objective", "Met"),
                ],
                rows=[
                    [
                        o.text("description", language),
                        o.text("indicator", language),
                        o.text("target", language),
                        o.actual or "—",
                        {True: _("yes"), False: _("no"), None: _("not judged")}[o.met],
                    ]
                    for o in plan.objectives.all()
                ],
            )
        )
        blocks.append(_section(5, _("Assessment figures")))
        figures = assessment_figures(plan.area, plan.year)
        if figures:
            blocks.append(Table(header=[_("Figure"), _("Value")], rows=figures))
        else:
            blocks.append(Paragraph(_("No assessment of this area and year exists yet.")))
        return Document(
            title=_("%(area)s: summary of the %(year)s work plan")
            % {"area": plan.area.name, "year": plan.year},
            subtitle=_("As of %(date)s") % {"date": as_of.isoformat()},
            blocks=blocks,
            language=language,
        )


def _money_table(what: str, rows, language: str = "zh") -> Table:
    total = Decimal(0), Decimal(0), Decimal(0)
    body = []
    for row in rows:
        department = row.extra.get("department")
        label = department.label(language) if department else row.label
        body.append(
            [
                str(label),
                rules.format_wan(row.budget),
                rules.format_wan(row.allocated),
                rules.format_wan(row.spent),
                f"{row.spent_percent}%",
            ]
        )
        total = (total[0] + row.budget, total[1] + row.allocated, total[2] + row.spent)
    return Table(
        header=[
            what,
            _("Planned (10k yuan)"),
            _("Allocated (10k yuan)"),
            _("Spent (10k yuan)"),
            _("Spent / planned"),
        ],
        rows=body,
        footer=[
            _("Total"),
            *(rules.format_wan(t) for t in total),
            f"{rules.percent(total[2], total[0])}%",
        ],
        numeric=frozenset({1, 2, 3, 4}),
    )


# --- the ledger ------------------------------------------------------------------------------


def ledger_xlsx(projects: list[Project], expenditures, *, title: str, today: date) -> bytes:
    """Two sheets set up for printing (fupin.documents.sheets): the projects (money in yuan,
    totals in yuan and 万元 under their columns) and every expenditure."""
    from fupin.documents import sheets
    from fupin.documents.sheets import DATE_FORMAT, MONEY_FORMAT, Column

    with translation.override("zh-hans"):
        book = sheets.new_workbook()
        columns = [
            Column(_("No.")),
            Column(_("Year")),
            Column(_("Village")),
            Column(_("Project")),
            Column(_("Category")),
            Column(_("Lead department")),
            Column(_("Partner departments")),
            Column(_("Location")),
            Column(_("Works")),
            Column(_("Planned (yuan)"), MONEY_FORMAT),
            Column(_("Allocated (yuan)"), MONEY_FORMAT),
            Column(_("Spent (yuan)"), MONEY_FORMAT),
            Column(_("Planned start")),
            Column(_("Planned completion")),
            Column(_("Status")),
            Column(_("Progress (%)")),
            Column(_("Completed on"), DATE_FORMAT),
            Column(_("Days late")),
        ]
        rows = [
            [
                index,
                p.plan.year,
                p.plan.area.name,
                p.name,
                str(p.get_category_display()),
                p.lead_department.name,
                _join(d.name for d in p.partner_departments.all()),
                _join(a.name for a in p.locations.all()),
                _quantities(p, "zh"),
                p.budget,
                p.allocated,
                p.spent,
                month_text(p.planned_start_month, completion=False),
                month_text(p.planned_completion_month, completion=True),
                str(p.get_status_display()),
                p.progress_percent,
                p.completed_on,
                p.days_late(today),
            ]
            for index, p in enumerate(projects, start=1)
        ]
        budget = rules.total(p.budget for p in projects)
        spent = rules.total(p.spent for p in projects)
        allocated = rules.total(p.allocated for p in projects)
        sheets.add_sheet(
            book,
            _("Project ledger"),
            title=title,
            made_on=today,
            columns=columns,
            rows=rows,
            totals=[
                [_("Total (yuan)"), *[None] * 8, budget, allocated, spent],
                [
                    _("Total (10k yuan)"),
                    *[None] * 8,
                    rules.to_wan(budget),
                    rules.to_wan(allocated),
                    rules.to_wan(spent),
                ],
            ],
        )
        labels = dict(SourceKind.choices)
        sheets.add_sheet(
            book,
            _("Expenditures"),
            title=f"{title} — {_('Expenditures')}",
            made_on=today,
            columns=[
                Column(_("Date"), DATE_FORMAT),
                Column(_("Village")),
                Column(_("Project")),
                Column(_("Amount (yuan)"), MONEY_FORMAT),
                Column(_("Funding source")),
                Column(_("Voucher number")),
                Column(_("Note")),
            ],
            rows=(
                [
                    e.date,
                    e.project.plan.area.name,
                    e.project.name,
                    e.amount,
                    str(labels.get(e.source, e.source)),
                    e.voucher_no,
                    e.note,
                ]
                for e in expenditures
            ),
        )
        buffer = BytesIO()
        book.save(buffer)
        return buffer.getvalue()
