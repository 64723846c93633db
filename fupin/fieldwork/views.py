"""Fieldwork pages: visit compliance, the visit form, pairing, cadres, follow-ups."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from fupin import areacodes
from fupin.core.access import ACTION, FORM, require
from fupin.core.forms import add_validation_error
from fupin.core.models import Area
from fupin.core.paging import page_of
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.fieldwork import selectors, services
from fupin.fieldwork.compliance import compliance, overdue_households
from fupin.fieldwork.forms import (
    FOLLOW_UP_FIELDS,
    CadreEditForm,
    CadreForm,
    ComplianceForm,
    MeasureForm,
    PairingForm,
    VisitDeleteForm,
    VisitForm,
)
from fupin.fieldwork.models import Cadre, FollowUp, FollowUpStatus, Measure, Visit
from fupin.registry.choices import Status
from fupin.registry.models import Household

CADRES_PER_PAGE = 50


@require(Capability.VIEW_REGISTRY)
def compliance_page(request):
    user = request.user
    code = request.GET.get("area") or user.area_id
    area = get_scoped_or_404(Area, user, code=code) if code else None
    if area is None:  # an all-areas administrator without an area picks one
        area = Area.objects.filter(level=areacodes.Level.COUNTY).order_by("code").first()
    form = ComplianceForm(request.GET or None)
    on = (form.is_valid() and form.cleaned_data["on"]) or timezone.localdate()
    figures = compliance(area.code, on) if area else None
    villages, cadres, policy = [], [], []
    if figures:
        names = dict(
            Area.objects.filter(code__in=[r["village"] for r in figures.by_village]).values_list(
                "code", "name"
            )
        )
        villages = [
            {**row, "name": names.get(row["village"], row["village"])} for row in figures.by_village
        ]
        # A county has thousands of cadres: the most overdue first, a page of them at a time
        # (their names looked up for that page only).
        ranked = sorted(figures.by_cadre, key=lambda r: (-r["overdue"], -r["households_due"]))
        cadres = page_of(request, ranked, CADRES_PER_PAGE, param="cadre_page")
        people = dict(
            Cadre.objects.filter(pk__in=[r["cadre"] for r in cadres if r["cadre"]]).values_list(
                "pk", "name"
            )
        )
        cadres.object_list = [{**row, "name": people.get(row["cadre"], "")} for row in cadres]
        labels = dict(Status.choices)
        policy = [(labels.get(status, status), days) for status, days in figures.policy.items()]
    # The first 200 of each list, and only the columns they show: a county's page is the
    # figures' (stored) plus these two reads.
    overdue = (
        overdue_households(area.code, on)
        .select_related("village")
        .only("household_no", "village__name")
        .order_by("household_no")[:200]
        if area
        else []
    )
    late = (
        FollowUp.objects.in_area(area.code)
        .overdue(on)
        .select_related("household", "meeting", "owner")
        .only("action", "due_on", "household__household_no", "meeting__topic", "owner__name")[:200]
        if area
        else []
    )
    return render(
        request,
        "fieldwork/compliance.html",
        {
            "area": area,
            "on": on,
            "form": form,
            "figures": figures,
            "villages": villages,
            "cadres": cadres,
            "policy": policy,
            "overdue": overdue,
            "late": late,
            "can_edit": user.can(Capability.EDIT_REGISTRY),
        },
    )


def _household_or_404(request, household_id):
    return get_scoped_or_404(
        Household.objects.select_related("village"), request.user, pk=household_id
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def visit_create(request, household_id):
    household = _household_or_404(request, household_id)
    today = timezone.localdate()
    form = VisitForm(
        request.POST or None,
        cadres=selectors.cadres_serving(household.village_id),
        initial={"date": today},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for key in FOLLOW_UP_FIELDS:
            data.pop(key)
        try:
            services.visit_record(
                household=household,
                on=data.pop("date"),
                visitors=data.pop("visitors"),
                purpose=data.pop("purpose"),
                recorded_by=request.user,
                today=today,
                follow_up=form.follow_up(),
                **data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect("household-detail", pk=household.pk)
    return render(
        request,
        "fieldwork/visit_form.html",
        {"form": form, "household": household},
        status=400 if request.method == "POST" else 200,
    )


def _visit_or_404(request, visit_id):
    return get_scoped_or_404(
        Visit.objects.select_related("household", "village"), request.user, pk=visit_id
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def visit_edit(request, visit_id):
    """Correct a visit: the visit form with its values, without the follow-up."""
    visit = _visit_or_404(request, visit_id)
    form = VisitForm(
        request.POST or None,
        instance=visit,
        cadres=selectors.cadres_for_visit(visit),
        with_follow_up=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(
                visit=visit, user=request.user, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The visit was corrected."))
            return redirect("household-detail", pk=visit.household_id)
    return render(
        request,
        "fieldwork/visit_form.html",
        {"form": form, "household": visit.household, "visit": visit},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def visit_delete(request, visit_id):
    """Delete a visit, with the reason: a confirmation page that shows what goes with it."""
    visit = _visit_or_404(request, visit_id)
    form = VisitDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reason = form.cleaned_data["reason"]
            services.visit_delete(visit=visit, user=request.user, reason=reason)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The visit was deleted."))
            return redirect("household-detail", pk=visit.household_id)
    follow_ups = visit.follow_ups.select_related("owner").order_by("due_on", "pk")
    return render(
        request,
        "fieldwork/visit_delete.html",
        {
            "form": form,
            "visit": visit,
            "household": visit.household,
            "follow_ups": follow_ups,
            # A visit with a follow-up done stays (services.visit_delete): say so before asking.
            "kept": services.FOLLOW_UP_DONE
            if any(row.status == FollowUpStatus.DONE for row in follow_ups)
            else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def pairing_edit(request, household_id):
    household = _household_or_404(request, household_id)
    form = PairingForm(
        request.POST or None,
        cadres=selectors.cadres_serving(household.village_id),
        initial={"started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_pair(
                household=household,
                cadre=form.cleaned_data["cadre"],
                on=form.cleaned_data["started_on"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The responsible cadre was saved."))
            return redirect("household-detail", pk=household.pk)
    return render(
        request,
        "fieldwork/pairing_form.html",
        {"form": form, "household": household},
        status=400 if request.method == "POST" else 200,
    )


def _close_follow_up(request, follow_up_id, status, done):
    """Close a follow-up from its list (household, meeting or compliance page) and go back
    there; one closed already is refused with a message."""
    row = get_scoped_or_404(FollowUp, request.user, pk=follow_up_id)
    try:
        services.follow_up_close(
            follow_up=row, status=status, on=timezone.localdate(), user=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    if row.meeting_id:  # a meeting's decision
        return redirect("meeting-detail", meeting_id=row.meeting_id)
    return redirect("household-detail", pk=row.household_id)


@require(Capability.EDIT_REGISTRY, methods=ACTION)
def follow_up_done(request, follow_up_id):
    return _close_follow_up(
        request, follow_up_id, FollowUpStatus.DONE, _("The follow-up was marked done.")
    )


@require(Capability.EDIT_REGISTRY, methods=ACTION)
def follow_up_cancel(request, follow_up_id):
    return _close_follow_up(
        request, follow_up_id, FollowUpStatus.CANCELLED, _("The follow-up was cancelled.")
    )


def _cadre_areas(user):
    levels = [areacodes.Level.COUNTY, areacodes.Level.TOWNSHIP, areacodes.Level.VILLAGE]
    return Area.objects.for_user(user).filter(level__in=levels).order_by("code")


def _cadre_page(request, form, status=200):
    user = request.user
    cadres = Cadre.objects.for_user(user).select_related("area", "user").order_by("area", "name")
    return render(
        request,
        "fieldwork/cadre_list.html",
        {"form": form, "cadres": cadres, "can_edit": user.can(Capability.EDIT_REGISTRY)},
        status=status,
    )


@require(Capability.VIEW_REGISTRY)
def cadre_list(request):
    return _cadre_page(request, CadreForm(areas=_cadre_areas(request.user)))


@require(Capability.EDIT_REGISTRY, methods=ACTION)
def cadre_create(request):
    form = CadreForm(request.POST, areas=_cadre_areas(request.user))
    if form.is_valid():
        services.cadre_create(**form.cleaned_data)
        messages.success(request, _("The cadre was added."))
        return redirect("fieldwork-cadres")
    return _cadre_page(request, form, status=400)


@require(Capability.EDIT_REGISTRY, methods=FORM)
def cadre_edit(request, cadre_id):
    """Change a cadre of the user's area: details, active, two committees, their user."""
    cadre = get_scoped_or_404(
        Cadre.objects.select_related("area", "user"), request.user, pk=cadre_id
    )
    form = CadreEditForm(
        request.POST or None, instance=cadre, accounts=selectors.accounts_for_cadre(cadre)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["account"] = data.pop("user")
        try:
            services.cadre_update(cadre=cadre, user=request.user, **data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The cadre was saved."))
            return redirect("fieldwork-cadres")
    return render(
        request,
        "fieldwork/cadre_form.html",
        {"form": form, "cadre": cadre},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def measure_create(request, household_id):
    household = _household_or_404(request, household_id)
    form = MeasureForm(
        request.POST or None,
        projects=selectors.projects_serving(household.village_id),
        initial={"year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.measure_add(household=household, year=data.pop("year"), **data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The measure was added to the household plan."))
            return redirect("household-detail", pk=household.pk)
    return render(
        request,
        "fieldwork/measure_form.html",
        {"form": form, "household": household},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def measure_edit(request, measure_id):
    """Change a measure of a household plan: its status and outcome, amount, dates…"""
    measure = get_scoped_or_404(
        Measure.objects.select_related("plan__household"), request.user, pk=measure_id
    )
    household = measure.plan.household
    form = MeasureForm(
        request.POST or None,
        instance=measure,
        projects=selectors.projects_serving(measure.village_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(measure=measure, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The measure was saved."))
            return redirect("household-detail", pk=household.pk)
    return render(
        request,
        "fieldwork/measure_form.html",
        {"form": form, "household": household, "measure": measure},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.VIEW_REGISTRY)
def measure_summary(request):
    """Measures by type and by village of the user's area, for a year."""
    user = request.user
    code = request.GET.get("area") or user.area_id
    area = get_scoped_or_404(Area, user, code=code) if code else None
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    rows = selectors.measure_summary(area.code if area else None, year)
    return render(
        request,
        "fieldwork/measure_summary.html",
        {"area": area, "year": year, **rows},
    )
