"""Counts of areas, users and every area-scoped business record, per child area: set-based.

Each area-scoped model counts itself if its QuerySet names an `area_stat_label`; a later app
adds its records to these figures just by declaring that label.
"""

from django.apps import apps
from django.db.models import Count
from django.db.models.functions import Substr

from fupin import areacodes
from fupin.core.models import Area, User
from fupin.core.scoping import AreaScopedQuerySet


def counted_models():
    """(key, label, model) for each model that takes part in area statistics."""
    found = []
    for model in apps.get_models():
        queryset = model._default_manager.all()
        label = getattr(queryset, "area_stat_label", None)
        if isinstance(queryset, AreaScopedQuerySet) and label:
            found.append((model._meta.label_lower, label, model))
    return found


def _count_by_child(queryset, path: str, child_prefix_length: int) -> dict[str, int]:
    rows = (
        queryset.annotate(child=Substr(path, 1, child_prefix_length))
        .values("child")
        .annotate(n=Count("*"))
        .values_list("child", "n")
    )
    return dict(rows)


def area_statistics(area: Area, progress=None) -> dict:
    """Per child area of `area`: villages, users and each counted model, plus a total row."""
    children = list(Area.objects.children_of(area).order_by("code"))
    if not children:
        children = [area]
    child_len = len(areacodes.prefix_of(children[0].code))
    columns = [("villages", None), ("users", None)]
    columns += [(key, label) for key, label, _ in counted_models()]
    counters = {
        "villages": lambda: _count_by_child(
            Area.objects.villages().in_area(area.code), "code", child_len
        ),
        "users": lambda: _count_by_child(
            User.objects.filter(area__isnull=False).filter(
                area__gte=area.prefix, area__lt=area.prefix + areacodes.SUBTREE_END
            ),
            "area",
            child_len,
        ),
    }
    for key, _label, model in counted_models():
        queryset = model._default_manager.all()
        counters[key] = lambda qs=queryset: _count_by_child(
            qs.in_area(area.code), qs.area_path, child_len
        )
    counts = {}
    for step, (key, _label) in enumerate(columns):
        counts[key] = counters[key]()
        if progress:
            progress(done=step + 1, total=len(columns), message=key)
    rows = []
    for child in children:
        prefix = child.prefix if child.level != area.level else child.code[:child_len]
        rows.append(
            {
                "code": child.code,
                "name": child.name,
                "counts": {key: counts[key].get(prefix, 0) for key, _ in columns},
            }
        )
    totals = {key: sum(row["counts"][key] for row in rows) for key, _ in columns}
    return {
        "area": area.code,
        "columns": [key for key, _ in columns],
        "rows": rows,
        "totals": totals,
    }
