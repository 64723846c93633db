import datetime

from django.http import Http404
from django.shortcuts import render

from fupin.core.access import may, require
from fupin.core.models import Area
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.registry.quality import BY_KEY, CHECKS, quality_by_village
from fupin.registry.views.exclusions import KEEP_LISTS


@require(Capability.VIEW_REGISTRY)
def quality_overview(request):
    today = datetime.date.today()
    table, totals = quality_by_village(request.user, today)
    names = dict(Area.objects.filter(code__in=table).values_list("code", "name"))
    rows = [
        (code, names.get(code, code), [(c, counts.get(c.key, 0)) for c in CHECKS])
        for code, counts in sorted(table.items())
    ]
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
