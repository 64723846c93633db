from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fupin.core.access import require
from fupin.core.history import described
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404, is_area_scoped


def _history_rows(history, user):
    """Each change with the fields it changed (old → new), newest first."""
    records = list(history)
    return described(zip(records, [*records[1:], None], strict=True), user=user)


@require(Capability.VIEW_AUDIT)
def record_history(request, app_label, model_name, pk):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if not is_area_scoped(model) or not hasattr(model, "history"):
        raise Http404
    # The address is free text: a key that cannot be this model's is no record, not a 500.
    try:
        pk = model._meta.pk.to_python(pk)
    except ValidationError:
        raise Http404 from None
    obj = get_scoped_or_404(model, request.user, pk=pk)
    page = Paginator(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id"), 50
    )
    page_obj = page.get_page(request.GET.get("page"))
    return render(
        request,
        "core/record_history.html",
        {
            "object": obj,
            "opts": model._meta,
            "rows": _history_rows(page_obj.object_list, request.user),
            "page_obj": page_obj,
        },
    )
