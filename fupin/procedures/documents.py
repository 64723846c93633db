"""Printed documents of the procedures, as .docx (fupin.documents.word): a notice (公示) or
announcement (公告) listing its households, ready to post, and a household's exit agreement
form to sign. No ID number is ever printed on either."""

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from fupin.core.models import Area
from fupin.documents.word import Document, Paragraph, Table, render_docx
from fupin.procedures.models import Kind, Notice, Procedure
from fupin.procedures.queries import notice_rows
from fupin.registry.choices import Relation

LEVEL_SIGNER = {
    5: gettext_lazy("%(area)s Villagers' Committee"),
    4: gettext_lazy("%(area)s People's Government"),
    3: gettext_lazy("%(area)s Poverty Alleviation Office"),
}


def _day(value) -> str:
    # 2019年3月20日 in Chinese: a date that a justified line does not break in two.
    return date_format(value, "Y年n月j日" if _language() == "zh" else "j F Y")


def _language() -> str:
    return "en" if (translation.get_language() or "").startswith("en") else "zh"


def is_announcement(notice: Notice) -> bool:
    """An announcement (公告) is the county's notice that completes a procedure; the others
    are public notices (公示)."""
    return bool(notice.step.completes)


def notice_title(notice: Notice, area: Area) -> str:
    params = {
        "area": area.name,
        "year": notice.year,
        "kind": notice.get_kind_display(),
        "step": str(notice.step),
    }
    if is_announcement(notice):
        return _("%(area)s: announcement of %(kind)s, %(year)s") % params
    return _("%(area)s: public notice of %(kind)s, %(year)s") % params


def notice_document(user, notice: Notice) -> tuple[str, bytes]:
    """(file name, .docx bytes) of a notice with its households."""
    area = Area.objects.get(pk=notice.area_id)
    rows = notice_rows(user, notice)
    days = (notice.ends_on - notice.posted_on).days + 1
    period = {
        "count": len(rows),
        "start": _day(notice.posted_on),
        "end": _day(notice.ends_on),
        "days": days,
    }
    if is_announcement(notice):
        lead = _(
            "After the steps laid down were completed and approved, the following %(count)s "
            "household(s) are hereby announced."
        )
        runs = _("Announced from %(start)s to %(end)s (%(days)s days).")
    else:
        lead = _(
            "After democratic appraisal and verification, the following %(count)s household(s) "
            "are hereby given public notice."
        )
        runs = _("Notice period: %(start)s to %(end)s (%(days)s days, the day of posting counted).")
    # Two short lines: a date in a long justified line may break between its digits.
    blocks = [Paragraph(lead % period), Paragraph(runs % period)]
    reason_header = (
        _("Risk types")
        if notice.kind in (Kind.MONITORING, Kind.RISK_REMOVAL)
        else _("Main cause of poverty")
    )
    blocks.append(
        Table(
            header=[
                _("No."),
                _("Household number"),
                _("Group"),
                _("Head of household"),
                pgettext("count", "Persons"),
                reason_header,
            ],
            rows=[
                [str(r.number), r.household_no, r.group, r.head, str(r.size), r.reason]
                for r in rows
            ],
            numeric=frozenset({0, 4}),
            widths_cm=[1.3, 3.6, 2.6, 2.8, 1.6, 3.7],
        )
    )
    object_to = notice.object_to or _("the village committee")
    blocks.append(
        Paragraph(
            _(
                "Anyone who objects to a household listed may say so, by name or anonymously, "
                "before the end of the notice period to: %(object_to)s."
            )
            % {"object_to": object_to}
        )
    )
    if notice.place:
        blocks.append(Paragraph(_("Posted at: %(place)s.") % {"place": notice.place}))
    signer = LEVEL_SIGNER.get(int(area.level), LEVEL_SIGNER[5])
    blocks.append(Paragraph(""))
    blocks.append(Paragraph(str(signer) % {"area": area.name}, indent=False, align="right"))
    blocks.append(Paragraph(_day(notice.posted_on), indent=False, align="right"))
    title = notice_title(notice, area)
    spec = Document(title=title, subtitle=str(notice.step), blocks=blocks, language=_language())
    name = (
        f"notice-{notice.area_id}-{notice.year}-{notice.kind}-{notice.step.code}-{notice.pk}.docx"
    )
    return name, render_docx(spec)


def agreement_document(procedure: Procedure) -> tuple[str, bytes]:
    """(file name, .docx bytes) of the household's exit agreement form: the household's
    particulars, the statement it signs, and the signature lines."""
    household = procedure.household
    members = list(household.members.filter(status="present").order_by("birth_date"))
    head = next((m.name for m in members if m.relation == Relation.HEAD), "")
    village = Area.objects.get(pk=household.village_id)
    blocks = [
        Table(
            header=[
                _("Household number"),
                _("Village"),
                _("Group"),
                _("Head"),
                pgettext("count", "Persons"),
            ],
            rows=[
                [
                    household.household_no,
                    village.name,
                    household.group.name if household.group_id else "",
                    head,
                    str(len(members)),
                ]
            ],
            numeric=frozenset({4}),
            widths_cm=[3.6, 3.6, 3.0, 2.8, 2.6],
        ),
        Paragraph(
            _(
                "Having been verified by the village committee and the resident team, our "
                "household's per-capita net income in %(year)s is stably above the poverty "
                "line, food and clothing are secure, and compulsory education, basic medical "
                "care, safe housing and safe drinking water are guaranteed. We agree that our "
                "household exits poverty in %(year)s. The assistance policies continue for "
                "the period the rules lay down."
            )
            % {"year": procedure.year}
        ),
        Paragraph(_("Per-capita net income: ________ yuan."), indent=False),
        Paragraph(""),
        Paragraph(
            _("Head of household (signature or fingerprint): ____________  Date: ________"),
            indent=False,
        ),
        Paragraph(_("Responsible cadre (signature): ____________  Date: ________"), indent=False),
        Paragraph(
            _("Village committee (seal): ____________  Resident team (signature): ____________"),
            indent=False,
        ),
    ]
    title = _("Exit agreement of a poor household, %(year)s") % {"year": procedure.year}
    spec = Document(title=title, blocks=blocks, language=_language())
    return f"exit-agreement-{household.household_no}-{procedure.year}.docx", render_docx(spec)
