from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fupin.areacodes import Level
from fupin.core.access import FORM, require
from fupin.core.forms import add_validation_error
from fupin.core.models import Area
from fupin.core.paging import page_of
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.registry import hooks
from fupin.registry.forms import HouseholdFilterForm, HouseholdForm, NewHouseholdForm
from fupin.registry.history import household_history
from fupin.registry.models import Household
from fupin.registry.selectors import household_list, latest_income_year
from fupin.registry.services import household_save

PAGE_SIZE = 50


def _filter_choices(request):
    """Villages to choose from, and the groups of the one village in view (a county has
    thousands of groups: they are offered once a village is chosen)."""
    areas = Area.objects.for_user(request.user).order_by("code")
    # (code, name) pairs, not model instances: a county has hundreds of villages.
    villages = list(areas.filter(level=Level.VILLAGE).values_list("code", "name"))
    village = request.GET.get("village") or (villages[0][0] if len(villages) == 1 else "")
    groups = list(areas.filter(parent_id=village).values_list("code", "name")) if village else []
    return villages, groups


@require(Capability.VIEW_REGISTRY)
def household_list_view(request):
    villages, groups = _filter_choices(request)
    form = HouseholdFilterForm(request.GET or None, villages=villages, groups=groups)
    filters = form.cleaned_data if form.is_valid() else {}
    if (
        filters
        and not filters.get("income_year")
        and (
            filters.get("income_min") is not None
            or filters.get("income_max") is not None
            or "per_capita" in (filters.get("sort") or "")
        )
    ):
        filters["income_year"] = latest_income_year(request.user)
    page = page_of(request, household_list(request.user, filters), PAGE_SIZE)
    # Labels looked up once per page: get_FOO_display rebuilds its choices at every call.
    labels = {
        name: {value: str(label) for value, label in Household._meta.get_field(name).flatchoices}
        for name in ("status", "attribute", "poverty_cause")
    }
    for household in page:
        household.labels = {name: labels[name].get(getattr(household, name), "") for name in labels}
    return render(
        request,
        "registry/household_list.html",
        {
            "form": form,
            "page_obj": page,
            "income_year": filters.get("income_year"),
            "can_edit": request.user.can(Capability.EDIT_REGISTRY),
            "export_village": filters.get("village") or "",
        },
    )


@require(Capability.VIEW_REGISTRY)
def household_detail(request, pk):
    household = get_scoped_or_404(
        Household.objects.select_related("village", "group"), request.user, pk=pk
    )
    members = household.members.order_by("-relation", "birth_date")
    members = sorted(members, key=lambda m: (not m.is_head, m.birth_date))
    incomes = []
    found = list(household.incomes.order_by("-year"))
    # Every year's line in one query, not one a year.
    lines = hooks.poverty_lines({income.year for income in found}, household.village_id)
    for income in found:
        line = lines.get(income.year)
        incomes.append(
            {
                "income": income,
                "line": line,
                "above": None if line is None else income.per_capita_net_income > line,
            }
        )
    # Other apps' panels (the assessment's outcome, fieldwork, procedures): each its template
    # and values, rendered in the page (registry/templatetags/household_panels.py).
    panels = []
    for panel in hooks.household_panels:
        context = panel.context(household, request.user)
        if context is not None:
            panels.append((panel.template, context))
    user = request.user
    reveal = user.can(Capability.REVEAL_ID_NUMBERS)
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": household,
            "members": members,
            "incomes": incomes,
            "panels": panels,
            "history": household_history(household, user=user),
            "can_edit": user.can(Capability.EDIT_REGISTRY),
            "can_reveal": reveal,
            "can_view_audit": user.can(Capability.VIEW_AUDIT),
        },
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def household_add(request):
    """Register a household in one of the user's villages, then add its head."""
    villages = Area.objects.for_user(request.user).filter(level=Level.VILLAGE)
    groups = Area.objects.filter(parent__in=villages)
    form = NewHouseholdForm(request.POST or None, villages=villages, groups=groups)
    if household := _saved(request, form):
        messages.success(request, _("The household was registered: now add its head."))
        return redirect("member-add", pk=household.pk)
    return render(request, "registry/household_form.html", {"form": form, "household": None})


@require(Capability.EDIT_REGISTRY, methods=FORM)
def household_edit(request, pk):
    household = get_scoped_or_404(Household, request.user, pk=pk)
    groups = Area.objects.filter(parent_id=household.village_id)
    form = HouseholdForm(request.POST or None, instance=household, groups=groups)
    if _saved(request, form):
        messages.success(request, _("The household was saved."))
        return redirect("household-detail", pk=household.pk)
    return render(request, "registry/household_form.html", {"form": form, "household": household})


def _saved(request, form) -> Household | None:
    """The household a posted, valid form saves with its reason; None when there is
    nothing to save or the save is refused (the form then shows why)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return household_save(
            household=form.save(commit=False),
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        add_validation_error(form, error)
        return None
