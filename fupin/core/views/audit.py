from collections import defaultdict

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fupin.core.access import require
from fupin.core.forms import DeletionsForm
from fupin.core.history import audited_models, deletions, described, last_version_or_404, versions
from fupin.core.models import User
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404, is_area_scoped

DELETIONS_PER_PAGE = 50


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
    deleted = None
    try:
        obj = get_scoped_or_404(model, request.user, pk=pk)
    except Http404:
        # A stored record outside the area stays 404; one no longer stored is read in its
        # history, scoped by the area its last row names.
        if model._default_manager.filter(pk=pk).exists():
            raise
        deleted = last_version_or_404(model, request.user, pk)
        obj = deleted.instance
    page = Paginator(versions(model, pk).select_related("history_user"), 50)
    page_obj = page.get_page(request.GET.get("page"))
    return render(
        request,
        "core/record_history.html",
        {
            "object": obj,
            "deleted": deleted,
            "opts": model._meta,
            "rows": _history_rows(page_obj.object_list, request.user),
            "page_obj": page_obj,
        },
    )


@require(Capability.VIEW_AUDIT)
def deleted_records(request):
    """The deletions in the user's area, newest first, each linked to its record's history:
    how an auditor finds what is no longer there. A page is a slice of one UNION of the
    history tables (no count: each page reads one row more to know if there is another)."""
    kinds = audited_models()
    form = DeletionsForm(request.GET or None, kinds=kinds)
    chosen = form.cleaned_data if form.is_valid() else {}
    models = [kinds[chosen["kind"]]] if chosen.get("kind") else None
    number = request.GET.get("page", "")
    number = int(number) if number.isdigit() and int(number) > 0 else 1
    start = (number - 1) * DELETIONS_PER_PAGE
    found = deletions(request.user, models=models, household=chosen.get("household"))
    found = list(found[start : start + DELETIONS_PER_PAGE + 1])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/deleted_records.html",
        {
            "form": form,
            "rows": _described_deletions(found[:DELETIONS_PER_PAGE], kinds),
            "number": number,
            "has_next": len(found) > DELETIONS_PER_PAGE,
            "query": query.urlencode(),
        },
    )


def _described_deletions(found, kinds):
    """Each deletion with its kind, its record as last stored and its user: one query per
    kind on the page and one for the users."""
    by_kind = defaultdict(list)
    for row in found:
        by_kind[row["deleted_kind"]].append(row["history_id"])
    records = {
        (label, record.history_id): record
        for label, ids in by_kind.items()
        for record in kinds[label].history.filter(history_id__in=ids)
    }
    users = User.objects.in_bulk({row["history_user_id"] for row in found} - {None})
    rows = []
    for row in found:
        model = kinds[row["deleted_kind"]]
        rows.append(
            {
                **row,
                "opts": model._meta,
                "record_text": str(records[row["deleted_kind"], row["history_id"]].instance),
                "user": users.get(row["history_user_id"]),
            }
        )
    return rows
