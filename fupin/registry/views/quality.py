import datetime
from io import BytesIO

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fupin.core.access import may, require
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.registry.quality import BY_KEY, CHECKS, quality_by_village
from fupin.registry.views.exclusions import KEEP_LISTS


def _overview_rows(user, today):
    table, totals = quality_by_village(user, today)
    names = dict(Area.objects.filter(code__in=table).values_list("code", "name"))
    rows = [
        (code, names.get(code, code), [(c, counts.get(c.key, 0)) for c in CHECKS])
        for code, counts in sorted(table.items())
    ]
    return rows, totals


@require(Capability.VIEW_REGISTRY)
def quality_overview(request):
    today = datetime.date.today()
    rows, totals = _overview_rows(request.user, today)
    top = (
        request.user.area_id
        or Area.objects.order_by("level", "code").values_list("code", flat=True).first()
    )
    return render(
        request,
        "registry/quality.html",
        {
            "checks": CHECKS,
            "rows": rows,
            "top": top,
            "totals": [(c, totals[c.key]) for c in CHECKS],
            "can_keep_lists": may(request.user, KEEP_LISTS, all_areas=True),
        },
    )


@require(Capability.VIEW_REGISTRY)
def quality_records(request, check, code):
    """The households of one area (a village, or any area above) with one problem."""
    if check not in BY_KEY:
        raise Http404
    area = get_scoped_or_404(Area, request.user, code=code)
    households = BY_KEY[check].households(request.user, datetime.date.today()).in_area(code)
    return render(
        request,
        "registry/quality_records.html",
        {
            "check": BY_KEY[check],
            "area": area,
            "households": households.select_related("village")[:500],
        },
    )


@require(Capability.VIEW_REGISTRY)
def quality_download(request):
    """The data-quality list as a workbook to print (the shared print setup)."""
    from fupin.documents import sheets

    today = datetime.date.today()
    rows, totals = _overview_rows(request.user, today)
    book = sheets.new_workbook()
    sheets.add_sheet(
        book,
        _("Data quality"),
        title=_("Data quality by village"),
        made_on=today,
        columns=[
            sheets.Column(_("Village code")),
            sheets.Column(_("Village")),
            *(sheets.Column(str(c.label)) for c in CHECKS),
        ],
        rows=([code, name, *(n for _c, n in counts)] for code, name, counts in rows),
        totals=[[_("Total"), None, *(totals[c.key] for c in CHECKS)]],
    )
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="data-quality-{today}.xlsx"'
    return response
