"""Reading fieldwork for pages: summaries, set-based."""

from django.db.models import Count, Sum

from fupin.core.models import Area
from fupin.fieldwork.models import Measure, MeasureType


def measure_summary(code: str | None, year: int) -> dict:
    """Measures of the year's household plans in the area: by type (measures, households,
    yuan) and by village × type (measures)."""
    measures = Measure.objects.filter(plan__year=year)
    if code:
        measures = measures.in_area(code)
    by_type = {
        row["type"]: row
        for row in measures.values("type").annotate(
            measures=Count("pk"),
            households=Count("plan__household", distinct=True),
            yuan=Sum("amount"),
        )
    }
    types = list(MeasureType.objects.all())
    cells = {
        (row["village"], row["type"]): row["n"]
        for row in measures.values("village", "type").annotate(n=Count("pk"))
    }
    villages = Area.objects.filter(code__in={v for v, _t in cells}).order_by("code")
    return {
        "types": [
            {**by_type.get(t.pk, {"measures": 0, "households": 0, "yuan": None}), "type": t}
            for t in types
        ],
        "villages": [
            {"village": v, "counts": [cells.get((v.code, t.pk), 0) for t in types]}
            for v in villages
        ],
        "type_names": types,
    }
