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


# --- meetings and activities; dispute mediation ---------------------------------------------


def meeting_counts(code: str | None, year: int) -> dict:
    """The year's meetings in the area by village × type, and by type: one grouped query."""
    from fupin.fieldwork.models import Meeting, MeetingType

    meetings = Meeting.objects.filter(date__year=year)
    if code:
        meetings = meetings.in_area(code)
    cells = {
        (row["village"], row["type"]): row["n"]
        for row in meetings.values("village", "type").annotate(n=Count("pk"))
    }
    types = list(MeetingType.objects.all())
    villages = Area.objects.filter(code__in={v for v, _t in cells}).order_by("code")
    rows = []
    for village in villages:
        counts = [cells.get((village.code, t.pk), 0) for t in types]
        rows.append({"village": village, "counts": counts, "total": sum(counts)})
    totals = [sum(n for (_v, t), n in cells.items() if t == kind.pk) for kind in types]
    return {"types": types, "villages": rows, "totals": totals, "total": sum(totals)}


def mediation_counts(code: str | None, year: int, *, on, stale_days: int) -> list[dict]:
    """Per village: the cases received in the year, how many were petitions, how many of
    them are resolved; and the cases unresolved now and those older than `stale_days`."""
    from datetime import timedelta

    from django.db.models import Q

    from fupin.fieldwork.models import UNRESOLVED, MediationCase

    cases = MediationCase.objects.all()
    if code:
        cases = cases.in_area(code)
    in_year = Q(received_on__year=year)
    open_ = Q(status__in=UNRESOLVED)
    rows = (
        cases.filter(in_year | open_)
        .values("village")
        .annotate(
            cases=Count("pk", filter=in_year),
            petitions=Count("pk", filter=in_year & Q(petition=True)),
            resolved=Count("pk", filter=in_year & Q(status="resolved")),
            unresolved=Count("pk", filter=open_),
            stale=Count("pk", filter=open_ & Q(received_on__lt=on - timedelta(days=stale_days))),
        )
        .order_by("village")
    )
    rows = list(rows)
    names = dict(
        Area.objects.filter(code__in=[r["village"] for r in rows]).values_list("code", "name")
    )
    return [{**row, "name": names.get(row["village"], row["village"])} for row in rows]


def _village_and_above(village_code: str) -> list[str]:
    from fupin import areacodes

    chain = [village_code]
    while parent := areacodes.parent_code(chain[-1]):
        chain.append(parent)
    return chain


def cadres_serving(village_code: str):
    """The active cadres who may work in a village: those of it and of the areas above it."""
    from fupin.fieldwork.models import Cadre

    chain = _village_and_above(village_code)
    return Cadre.objects.filter(area__in=chain, active=True).order_by("name")


def accounts_for_cadre(cadre):
    """The Fupin users a cadre may sign in as: active, of an area within the cadre's or
    above it, and not another cadre's."""
    from django.db.models import Q

    from fupin import areacodes
    from fupin.core.models import User

    low, high = areacodes.subtree_bounds(cadre.area_id)
    within = Q(area_id__gte=low, area_id__lt=high)
    above = Q(area_id__in=_village_and_above(cadre.area_id))
    free = Q(cadre__isnull=True) | Q(cadre__pk=cadre.pk)
    return User.objects.filter(within | above, free, is_active=True).order_by("username")


def cadres_for_visit(visit):
    """The choices of visitors when a visit is corrected: the cadres who may work in its
    village, and those who made it even if no longer active (so that correcting the purpose
    does not drop them)."""
    from django.db.models import Q

    from fupin.fieldwork.models import Cadre

    serving = cadres_serving(visit.village_id).values("pk")
    return Cadre.objects.filter(Q(pk__in=serving) | Q(pk__in=visit.visitors.values("pk"))).order_by(
        "name"
    )


def projects_serving(village_code: str):
    """The work-plan projects a village's household measures may name: those of the plans
    of the village and of the areas above it, the latest plan's first."""
    from fupin.workplan.models import Project

    chain = _village_and_above(village_code)
    return (
        Project.objects.filter(plan__area__in=chain)
        .select_related("plan")
        .order_by("-plan__year", "number")
    )


def village_members(village_code: str):
    """The members of a village's households, to name at a meeting or in a case."""
    from fupin.registry.models import Member

    return (
        Member.objects.filter(household__village=village_code)
        .select_related("household")
        .order_by("household__household_no", "birth_date")
    )
