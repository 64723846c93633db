"""Pages of trainings and vocational referral: programmes and their enrolments, the candidate
finder, referrals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin import areacodes
from fupin.core.access import ACTION, FORM, require
from fupin.core.forms import add_validation_error
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.fieldwork import trainings
from fupin.fieldwork.forms_trainings import (
    CandidateForm,
    EnrolForm,
    EnrolmentOutcomeForm,
    MemberSearchForm,
    ProgrammeForm,
    ReferralForm,
    ReferralOutcomeForm,
)
from fupin.fieldwork.models import (
    Enrolment,
    EnrolmentStatus,
    Referral,
    ReferralStatus,
    TrainingProgramme,
)
from fupin.registry import choices as c
from fupin.registry.models import Member

PAGE = 300  # rows a list page shows


def _programme_or_404(user, pk):
    return get_object_or_404(TrainingProgramme.objects.visible_to(user), pk=pk)


@require(Capability.VIEW_REGISTRY)
def programme_list(request):
    user = request.user
    programmes = (
        TrainingProgramme.objects.visible_to(user)
        .select_related("area")
        .annotate(taken=Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.DROPPED)))[
            :PAGE
        ]
    )
    return render(
        request,
        "fieldwork/trainings/programme_list.html",
        {"programmes": programmes, "can_edit": user.can(Capability.EDIT_REGISTRY)},
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def programme_create(request):
    form = ProgrammeForm(request.POST or None, areas=trainings.programme_areas(request.user))
    if request.method == "POST" and form.is_valid():
        programme = trainings.programme_create(**form.cleaned_data)
        messages.success(request, _("The training programme was added."))
        return redirect("training-programme", pk=programme.pk)
    return render(
        request,
        "fieldwork/trainings/programme_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _enrollable(user, programme, query):
    """Members of the user's area the programme reaches, not yet on it, by name or household
    number (its beginning)."""
    if not query:
        return []
    low, high = areacodes.subtree_bounds(programme.area_id)
    return (
        Member.objects.for_user(user)
        .present()
        .filter(household__village__gte=low, household__village__lt=high)
        .exclude(household__status=c.Status.CANCELLED)
        .filter(Q(name__startswith=query) | Q(household__household_no__startswith=query))
        .exclude(enrolments__programme=programme)
        .select_related("household__village")
        .order_by("name", "pk")[:20]
    )


def _with_ages(members):
    today = timezone.localdate()
    members = list(members)
    for member in members:
        member.age = trainings.age_on(member.birth_date, today)
    return members


def _programme_page(request, programme, enrol_form=None, status=200):
    user = request.user
    search = MemberSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    can_edit = user.can(Capability.EDIT_REGISTRY)
    return render(
        request,
        "fieldwork/trainings/programme_detail.html",
        {
            "programme": programme,
            "enrolments": Enrolment.objects.for_user(user)
            .filter(programme=programme)
            .select_related("member", "household", "village"),
            "referrals": Referral.objects.for_user(user)
            .filter(programme=programme)
            .select_related("member", "household"),
            "search": search,
            "query": query,
            "found": _with_ages(_enrollable(user, programme, query) if can_edit else []),
            "enrol_form": enrol_form or EnrolForm(initial={"enrolled_on": timezone.localdate()}),
            "can_edit": can_edit,
        },
        status=status,
    )


@require(Capability.VIEW_REGISTRY)
def programme_detail(request, pk):
    return _programme_page(request, _programme_or_404(request.user, pk))


@require(Capability.EDIT_REGISTRY, methods=ACTION)
def enrolment_create(request, pk):
    programme = _programme_or_404(request.user, pk)
    form = EnrolForm(request.POST)
    if form.is_valid():
        member = get_scoped_or_404(
            Member.objects.select_related("household"), request.user, pk=form.cleaned_data["member"]
        )
        try:
            trainings.enrolment_add(
                programme=programme, member=member, on=form.cleaned_data["enrolled_on"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s was enrolled.") % {"name": member.name})
            return redirect("training-programme", pk=programme.pk)
    return _programme_page(request, programme, enrol_form=form, status=400)


@require(Capability.EDIT_REGISTRY, methods=FORM)
def enrolment_outcome(request, pk):
    enrolment = get_scoped_or_404(
        Enrolment.objects.select_related("programme", "member"), request.user, pk=pk
    )
    form = EnrolmentOutcomeForm(request.POST or None, instance=enrolment)
    if request.method == "POST" and form.is_valid():
        trainings.enrolment_record_outcome(enrolment=enrolment, **form.cleaned_data)
        messages.success(request, _("The outcome was saved."))
        return redirect("training-programme", pk=enrolment.programme_id)
    return render(
        request,
        "fieldwork/trainings/enrolment_form.html",
        {"form": form, "enrolment": enrolment},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.VIEW_REGISTRY)
def candidate_list(request):
    user = request.user
    form = CandidateForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    query = trainings.candidate_query(form.cleaned_data if request.GET and valid else {})
    rows = (
        list(trainings.training_candidates(Member.objects.for_user(user), query)[:PAGE])
        if valid
        else []
    )
    for member in rows:  # a page's rows: an age, never a birth date (docs/security.md)
        member.age = trainings.age_on(member.birth_date, query.on)
    if not request.GET:
        form = CandidateForm(
            initial={"on": query.on, "min_age": query.min_age, "max_age": query.max_age}
        )
    return render(
        request,
        "fieldwork/trainings/candidates.html",
        {
            "form": form,
            "query": query,
            "candidates": rows,
            "can_edit": user.can(Capability.EDIT_REGISTRY),
        },
        status=200 if valid else 400,
    )


@require(Capability.VIEW_REGISTRY)
def referral_list(request):
    user = request.user
    status = request.GET.get("status", "")
    referrals = Referral.objects.for_user(user).select_related(
        "member", "household__village", "programme", "referred_by"
    )
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    return render(
        request,
        "fieldwork/trainings/referral_list.html",
        {
            "referrals": referrals[:PAGE],
            "status": status,
            "statuses": ReferralStatus.choices,
            "can_edit": user.can(Capability.EDIT_REGISTRY),
        },
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def referral_create(request, member_id):
    member = get_scoped_or_404(
        Member.objects.select_related("household__village"), request.user, pk=member_id
    )
    programmes = TrainingProgramme.objects.reaching(member.household.village_id).order_by(
        "-starts_on"
    )
    form = ReferralForm(
        request.POST or None,
        programmes=programmes,
        initial={"referred_on": timezone.localdate(), "kind": "programme"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            trainings.referral_create(
                member=member, on=data.pop("referred_on"), by=request.user, **data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s was referred.") % {"name": member.name})
            return redirect("training-referrals")
    return render(
        request,
        "fieldwork/trainings/referral_form.html",
        {"form": form, "member": member},
        status=400 if request.method == "POST" else 200,
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def referral_outcome(request, pk):
    referral = get_scoped_or_404(
        Referral.objects.select_related("member__household", "programme"), request.user, pk=pk
    )
    form = ReferralOutcomeForm(
        request.POST or None,
        initial={"outcome_on": timezone.localdate(), "notes": referral.notes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            trainings.referral_record_outcome(
                referral=referral,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["outcome_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The outcome was saved."))
            return redirect("training-referrals")
    return render(
        request,
        "fieldwork/trainings/referral_outcome.html",
        {"form": form, "referral": referral},
        status=400 if request.method == "POST" else 200,
    )
