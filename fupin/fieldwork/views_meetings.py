"""Pages of meetings and activities, and of dispute mediation: lists with the year's counts
per village, the record, its form, and the meeting's decisions and the case's steps."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import areacodes
from fupin.core.access import ACTION, FORM, require
from fupin.core.forms import add_validation_error
from fupin.core.models import Area
from fupin.core.paging import page_of
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.fieldwork import selectors, services
from fupin.fieldwork.forms import (
    DecisionForm,
    MediationCaseForm,
    MediationFilterForm,
    MediationStepForm,
    MeetingFilterForm,
    MeetingForm,
)
from fupin.fieldwork.models import MediationCase, Meeting

PAGE_SIZE = 50


def _villages(user):
    return Area.objects.for_user(user).filter(level=areacodes.Level.VILLAGE).order_by("code")


def _chosen_village(request):
    """The village a new record is for: `?village=`, else the user's own; None: ask."""
    code = request.GET.get("village") or request.user.area_id or ""
    try:
        if areacodes.level_of(code) != areacodes.Level.VILLAGE:
            return None
    except areacodes.AreaCodeError:
        return None
    return get_scoped_or_404(Area, request.user, code=code)


def _pick_village(request, title):
    return render(
        request,
        "fieldwork/meetings/pick_village.html",
        {"villages": _villages(request.user), "title": title},
    )


def _year(request, rows, field: str) -> int:
    """`?year=`, else the latest year with a record in the user's area (else this year)."""
    given = request.GET.get("year", "")
    if given.isdigit() and 2000 <= int(given) <= 2100:
        return int(given)
    latest = rows.aggregate(latest=Max(field))["latest"]
    return latest.year if latest else timezone.localdate().year


def _area_code(user) -> str | None:
    return None if user.sees_everything else user.area_id


# --- meetings and activities ---------------------------------------------------------------


@require(Capability.VIEW_REGISTRY)
def meeting_list(request):
    user = request.user
    meetings = Meeting.objects.for_user(user)
    year = _year(request, meetings, "date")
    form = MeetingFilterForm(request.GET or None, villages=_villages(user))
    rows = meetings.filter(date__year=year).select_related("type", "village")
    if form.is_valid():
        if kind := form.cleaned_data["type"]:
            rows = rows.filter(type=kind)
        if village := form.cleaned_data["village"]:
            rows = rows.filter(village=village)
    page = page_of(request, rows, PAGE_SIZE)
    return render(
        request,
        "fieldwork/meetings/list.html",
        {
            "form": form,
            "year": year,
            "page": page,
            "counts": selectors.meeting_counts(_area_code(user), year),
            "can_edit": user.can(Capability.EDIT_REGISTRY),
        },
    )


@require(Capability.VIEW_REGISTRY)
def meeting_detail(request, meeting_id):
    return _meeting_page(request, meeting_id)


def _meeting_page(request, meeting_id, decision_form=None, status=200):
    user = request.user
    meeting = get_scoped_or_404(
        Meeting.objects.select_related("type", "village"), user, pk=meeting_id
    )
    can_edit = user.can(Capability.EDIT_REGISTRY)
    if can_edit and decision_form is None:
        decision_form = DecisionForm(cadres=selectors.cadres_serving(meeting.village_id))
    return render(
        request,
        "fieldwork/meetings/detail.html",
        {
            "meeting": meeting,
            "members": meeting.members.select_related("household").order_by("name"),
            "decisions": meeting.decisions.select_related("owner").order_by("due_on", "id"),
            "decision_form": decision_form,
            "can_edit": can_edit,
            "can_view_audit": user.can(Capability.VIEW_AUDIT),
        },
        status=status,
    )


def _meeting_form_page(request, *, village, meeting=None):
    today = timezone.localdate()
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        members=selectors.village_members(village.code),
        initial=None if meeting else {"date": today},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.meeting_save(
                meeting=meeting,
                village=village,
                members=data.pop("members"),
                today=today,
                recorded_by=request.user,
                **data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meeting-detail", meeting_id=saved.pk)
    return render(
        request,
        "fieldwork/meetings/form.html",
        {"form": form, "village": village, "meeting": meeting},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def meeting_create(request):
    village = _chosen_village(request)
    if village is None:
        return _pick_village(request, _("Record a meeting"))
    return _meeting_form_page(request, village=village)


@require(Capability.EDIT_REGISTRY, methods=FORM)
def meeting_edit(request, meeting_id):
    meeting = get_scoped_or_404(
        Meeting.objects.select_related("village"), request.user, pk=meeting_id
    )
    return _meeting_form_page(request, village=meeting.village, meeting=meeting)


@require(Capability.EDIT_REGISTRY, methods=ACTION)
def meeting_decision_add(request, meeting_id):
    meeting = get_scoped_or_404(Meeting, request.user, pk=meeting_id)
    form = DecisionForm(request.POST, cadres=selectors.cadres_serving(meeting.village_id))
    if form.is_valid():
        try:
            services.meeting_decision_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The decision was added as a follow-up."))
            return redirect("meeting-detail", meeting_id=meeting.pk)
    return _meeting_page(request, meeting_id, decision_form=form, status=400)


# --- dispute mediation ----------------------------------------------------------------------


@require(Capability.VIEW_REGISTRY)
def mediation_list(request):
    user = request.user
    cases = MediationCase.objects.for_user(user)
    year = _year(request, cases, "received_on")
    form = MediationFilterForm(request.GET or None, villages=_villages(user))
    rows = cases.select_related("type", "village", "mediator")
    today, days = timezone.localdate(), settings.FUPIN_MEDIATION_WARN_DAYS
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["type"]:
            rows = rows.filter(type=data["type"])
        if data["village"]:
            rows = rows.filter(village=data["village"])
        if data["year"]:
            rows = rows.filter(received_on__year=data["year"])
        if data["petition"]:
            rows = rows.filter(petition=True)
        if data["stale"]:
            rows = rows.stale(today, days)
    page = page_of(request, rows, PAGE_SIZE)
    return render(
        request,
        "fieldwork/disputes/list.html",
        {
            "form": form,
            "year": year,
            "page": page,
            "counts": selectors.mediation_counts(_area_code(user), year, on=today, stale_days=days),
            "warn_days": days,
            "can_edit": user.can(Capability.EDIT_REGISTRY),
        },
    )


@require(Capability.VIEW_REGISTRY)
def mediation_detail(request, case_id):
    return _case_page(request, case_id)


def _case_page(request, case_id, step_form=None, status=200):
    user = request.user
    case = get_scoped_or_404(
        MediationCase.objects.select_related("type", "village", "mediator"), user, pk=case_id
    )
    can_edit = user.can(Capability.EDIT_REGISTRY)
    if can_edit and step_form is None:
        step_form = MediationStepForm(
            cadres=selectors.cadres_serving(case.village_id),
            initial={"date": timezone.localdate(), "by": case.mediator_id},
        )
    return render(
        request,
        "fieldwork/disputes/detail.html",
        {
            "case": case,
            "members": case.party_members.select_related("household").order_by("name"),
            "steps": case.steps.select_related("by"),
            "step_form": step_form,
            "can_edit": can_edit,
            "can_view_audit": user.can(Capability.VIEW_AUDIT),
        },
        status=status,
    )


def _case_form_page(request, *, village, case=None):
    today = timezone.localdate()
    form = MediationCaseForm(
        request.POST or None,
        instance=case,
        members=selectors.village_members(village.code),
        cadres=selectors.cadres_serving(village.code),
        initial=None if case else {"received_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.mediation_case_save(
                case=case,
                village=village,
                party_members=data.pop("party_members"),
                today=today,
                recorded_by=request.user,
                **data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The mediation case was saved."))
            return redirect("mediation-detail", case_id=saved.pk)
    return render(
        request,
        "fieldwork/disputes/form.html",
        {"form": form, "village": village, "case": case},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def mediation_create(request):
    village = _chosen_village(request)
    if village is None:
        return _pick_village(request, _("Open a mediation case"))
    return _case_form_page(request, village=village)


@require(Capability.EDIT_REGISTRY, methods=FORM)
def mediation_edit(request, case_id):
    case = get_scoped_or_404(
        MediationCase.objects.select_related("village"), request.user, pk=case_id
    )
    return _case_form_page(request, village=case.village, case=case)


@require(Capability.EDIT_REGISTRY, methods=ACTION)
def mediation_step_add(request, case_id):
    case = get_scoped_or_404(MediationCase, request.user, pk=case_id)
    form = MediationStepForm(request.POST, cadres=selectors.cadres_serving(case.village_id))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.mediation_step_add(
                case=case,
                on=data["date"],
                description=data["description"],
                by=data["by"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The step was added."))
            return redirect("mediation-detail", case_id=case.pk)
    return _case_page(request, case_id, step_form=form, status=400)
