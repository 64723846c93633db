"""The household handbook (扶贫手册) as .docx: the household card, its members, incomes by year
against the poverty line, the responsible cadre, the household plans and their measures,
and the visit log with its follow-ups.

ID numbers are masked by the one mask unless the caller may and asks to print them in full
(the caller records that: views_handbook, tasks, the command). A village's handbooks are read
in chunks of households, each chunk in a fixed number of queries (`handbook_households`).
"""

import datetime
import functools
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fupin import idnumbers
from fupin.documents import word
from fupin.fieldwork.models import AssistancePlan, Cadre, FollowUp, Measure, Pairing, Visit
from fupin.registry import choices as c
from fupin.registry import hooks
from fupin.registry.models import Household, Member, YearlyIncome

# Households that keep a handbook: those registered, exited or monitored (建档立卡).
HANDBOOK_STATUSES = [c.Status.REGISTERED, c.Status.EXITED, c.Status.MONITORED]
CHUNK = 200


def handbook_households(queryset):
    """`queryset` with all a handbook reads, in a fixed number of queries per batch."""
    return queryset.select_related("village", "group").prefetch_related(
        Prefetch("members", queryset=Member.objects.order_by("id")),
        "incomes",
        Prefetch(
            "pairings",
            queryset=Pairing.objects.select_related("cadre").order_by("-started_on"),
            to_attr="handbook_pairings",
        ),
        Prefetch(
            "assistance_plans",
            queryset=AssistancePlan.objects.order_by("-year").prefetch_related(
                "measures__type", "measures__project"
            ),
            to_attr="handbook_plans",
        ),
        Prefetch(
            "visits",
            queryset=Visit.objects.order_by("-date", "-id").prefetch_related("visitors"),
            to_attr="handbook_visits",
        ),
        Prefetch(
            "follow_ups",
            queryset=FollowUp.objects.select_related("owner").order_by("due_on", "id"),
            to_attr="handbook_follow_ups",
        ),
    )


def _yes(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _date(value) -> str:
    return value.isoformat() if value else ""


def _money(value) -> str:
    return "" if value is None else f"{value:,.2f}"


# The household card: the registry's own fields, under the registry's own labels.
CARD_FIELDS = [
    "household_no",
    "village",
    "group",
    "address",
    "phone",
    "status",
    "attribute",
    "year_registered",
    "year_exited",
    "poverty_cause",
    "dibao",
    "five_guarantee",
    "special_support",
    "military_family",
    "housing_grade",
    "housing_renovation",
    "water_quality",
    "water_quantity",
    "water_convenience",
    "water_reliability",
    "electricity",
    "road",
]


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _value(record, name: str) -> str:
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if isinstance(value, bool):
        return _yes(value)
    if name == "village":
        return f"{value.name}（{value.code}）"
    return "" if value is None else str(getattr(value, "name", value))


def _card(household: Household, head) -> word.Table:
    rows = [[_label(Household, n), _value(household, n)] for n in CARD_FIELDS[:3]]
    rows.append([capfirst(str(c.Relation.HEAD.label)), head.name if head else ""])
    rows += [[_label(Household, n), _value(household, n)] for n in CARD_FIELDS[3:]]
    # Two label-value pairs a row: the card fits half a page.
    pairs = [rows[i : i + 2] for i in range(0, len(rows), 2)]
    return word.Table(
        header=[pgettext("handbook", "Item"), pgettext("handbook", "Value")] * 2,
        rows=[[cell for pair in row for cell in pair] + ["", ""] * (2 - len(row)) for row in pairs],
        widths_cm=(3.0, 4.8, 3.0, 4.8),
    )


def _members(household: Household, *, reveal: bool, today: datetime.date) -> word.Table:
    rows = []
    for m in household.members.all():
        health = m.get_health_display()
        if m.disability_grade:
            health = f"{health}（{m.disability_grade}）"
        rows.append(
            [
                m.name,
                m.get_relation_display(),
                m.id_number if reveal else idnumbers.mask(m.id_number),
                str(idnumbers.age(m.birth_date, today)),
                m.get_education_display(),
                str(health),
                m.get_labour_display(),
                m.get_status_display(),
            ]
        )
    return word.Table(
        header=[
            _label(Member, "name"),
            _label(Member, "relation"),
            _label(Member, "id_number"),
            _("Age"),
            _label(Member, "education"),
            _label(Member, "health"),
            _label(Member, "labour"),
            _label(Member, "status"),
        ],
        rows=rows,
        numeric=frozenset({3}),
        widths_cm=(1.6, 1.6, 4.1, 1.2, 1.6, 1.8, 2.3, 1.4),
    )


def _incomes(household: Household, line_of: Callable) -> word.Table | word.Paragraph:
    incomes = sorted(household.incomes.all(), key=lambda i: i.year)
    if not incomes:
        return word.Paragraph(_("No income recorded."), indent=False)
    rows = []
    for income in incomes:
        line = line_of(income.year, household.village_id)
        above = "" if line is None else _yes(income.per_capita_net_income > line)
        rows.append(
            [
                str(income.year),
                str(income.members),
                _money(income.net_income),
                _money(income.per_capita_net_income),
                _money(line),
                above,
            ]
        )
    return word.Table(
        header=[
            _label(YearlyIncome, "year"),
            _label(YearlyIncome, "members"),
            _label(YearlyIncome, "net_income"),
            _label(YearlyIncome, "per_capita_net_income"),
            _("Poverty line (yuan)"),
            _("Above the line"),
        ],
        rows=rows,
        numeric=frozenset({1, 2, 3, 4}),
        widths_cm=(1.6, 1.8, 3.2, 3.2, 3.2, 2.6),
    )


def _cadre(household: Household) -> word.Paragraph | word.Table:
    pairings = household.handbook_pairings
    if not pairings:
        return word.Paragraph(_("No responsible cadre yet."), indent=False)
    return word.Table(
        header=[
            _("Responsible cadre"),
            *(_label(m, n) for m, n in ((Cadre, "unit"), (Cadre, "phone"))),
            *(_label(Pairing, n) for n in ("started_on", "ended_on")),
        ],
        rows=[
            [p.cadre.name, p.cadre.unit, p.cadre.phone, _date(p.started_on), _date(p.ended_on)]
            for p in pairings
        ],
        widths_cm=(2.8, 4.4, 3.2, 2.6, 2.6),
    )


def _plans(household: Household) -> list:
    if not household.handbook_plans:
        return [word.Paragraph(_("No household plan yet."), indent=False)]
    blocks = []
    for plan in household.handbook_plans:
        goal = f"：{plan.goal}" if plan.goal else ""
        blocks.append(word.Paragraph(f"{plan.year}{goal}", bold=True, indent=False))
        blocks.append(
            word.Table(
                header=[
                    *(_label(Measure, n) for n in ("type", "description", "amount")),
                    _label(Measure, "funding_source"),
                    _("Period"),
                    *(_label(Measure, n) for n in ("status", "outcome")),
                ],
                rows=[
                    [
                        str(m.type),
                        m.description + (f"（{m.project.name}）" if m.project else ""),
                        _money(m.amount),
                        m.funding_source,
                        " – ".join(d for d in (_date(m.start_on), _date(m.end_on)) if d),
                        m.get_status_display(),
                        m.outcome,
                    ]
                    for m in plan.measures.all()
                ],
                numeric=frozenset({2}),
                widths_cm=(1.9, 3.3, 1.8, 2.0, 2.3, 1.8, 2.5),
            )
        )
    return blocks


def _findings(visit: Visit) -> str:
    names = ("income_change", "illness", "schooling", "housing", "water")
    parts = [(_label(Visit, name), getattr(visit, name)) for name in names]
    text = "；".join(f"{label}：{value}" for label, value in parts if value)
    return "；".join(t for t in (text, visit.notes) if t)


def _visits(household: Household) -> list:
    blocks = []
    if household.handbook_visits:
        blocks.append(
            word.Table(
                header=[_label(Visit, n) for n in ("date", "visitors", "purpose", "notes")],
                rows=[
                    [
                        _date(v.date),
                        "、".join(cadre.name for cadre in v.visitors.all()),
                        v.purpose,
                        _findings(v),
                    ]
                    for v in household.handbook_visits
                ],
                widths_cm=(2.3, 2.6, 3.7, 7.0),
            )
        )
    else:
        blocks.append(word.Paragraph(_("No visit recorded yet."), indent=False))
    if household.handbook_follow_ups:
        blocks.append(word.Heading(_("Follow-ups"), level=3))
        blocks.append(
            word.Table(
                header=[
                    _label(FollowUp, n) for n in ("action", "owner", "due_on", "status", "done_on")
                ],
                rows=[
                    [
                        f.action,
                        f.owner.name,
                        _date(f.due_on),
                        f.get_status_display(),
                        _date(f.done_on),
                    ]
                    for f in household.handbook_follow_ups
                ],
                widths_cm=(6.0, 2.4, 2.4, 2.2, 2.6),
            )
        )
    return blocks


def _section(number: int, text: str) -> word.Heading:
    return word.Heading(f"{word.chinese_number(number)}、{text}", level=1)


def handbook_document(
    household: Household,
    *,
    today: datetime.date,
    reveal: bool = False,
    line_of: Callable | None = None,
) -> word.Document:
    """The handbook of a household read through `handbook_households`."""
    line_of = line_of or hooks.poverty_line
    members = list(household.members.all())
    head = next((m for m in members if m.is_head), None)
    blocks = [
        _section(1, _("Household card")),
        _card(household, head),
        _section(2, _("Members")),
        _members(household, reveal=reveal, today=today),
        _section(3, _("Incomes against the poverty line")),
        _incomes(household, line_of),
        _section(4, _("Responsible cadre")),
        _cadre(household),
        _section(5, _("Household plan and assistance measures")),
        *_plans(household),
        _section(6, _("Visit log (people's-affairs diary)")),
        *_visits(household),
    ]
    return word.Document(
        title=_("Household handbook"),
        subtitle=_("%(no)s · %(head)s · %(village)s · printed on %(date)s")
        % {
            "no": household.household_no,
            "head": head.name if head else "",
            "village": household.village.name,
            "date": today.isoformat(),
        },
        blocks=blocks,
    )


def handbook_docx(household: Household, **kwargs) -> bytes:
    return word.render_docx(handbook_document(household, **kwargs))


def handbook_filename(household: Household) -> str:
    return f"扶贫手册-{household.household_no}.docx"


def village_handbooks_zip(
    households,
    path: Path,
    *,
    today: datetime.date,
    reveal: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """One handbook per household of `households` (a queryset), in a zip at `path`."""
    total = households.count()
    line_of = functools.lru_cache(maxsize=None)(hooks.poverty_line)
    pks = list(households.order_by("household_no").values_list("pk", flat=True))
    done = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for start in range(0, len(pks), CHUNK):
            chunk = handbook_households(
                Household.objects.filter(pk__in=pks[start : start + CHUNK]).order_by("household_no")
            )
            for household in chunk:
                data = handbook_docx(household, today=today, reveal=reveal, line_of=line_of)
                archive.writestr(handbook_filename(household), data)
                done += 1
            if progress:
                progress(done, total)
    return done
