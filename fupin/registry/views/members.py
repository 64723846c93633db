from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fupin.core.access import ACTION, FORM, require
from fupin.core.forms import add_validation_error
from fupin.core.roles import Capability
from fupin.core.scoping import get_scoped_or_404
from fupin.registry import choices as c
from fupin.registry.forms import IncomeForm, MemberForm, MemberMoveForm
from fupin.registry.models import Household, Member, YearlyIncome
from fupin.registry.services import id_number_reveal, income_save, member_move, member_save


def _member_form(request, household, member):
    initial = {}
    if member.pk is None and not household.members.filter(relation=c.Relation.HEAD).exists():
        initial["relation"] = c.Relation.HEAD  # a new household's first member, usually
    form = MemberForm(request.POST or None, instance=member, initial=initial)
    if request.method == "POST" and form.is_valid():
        member = form.save(commit=False)
        member.household = household
        try:
            member_save(
                member=member,
                user=request.user,
                reason=form.cleaned_data["reason"],
                former_head_relation=form.cleaned_data["former_head_relation"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The member was saved."))
            return redirect("household-detail", pk=household.pk)
    return render(
        request,
        "registry/member_form.html",
        {"form": form, "household": household, "member": member},
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def member_add(request, pk):
    household = get_scoped_or_404(Household, request.user, pk=pk)
    return _member_form(request, household, Member(household=household))


@require(Capability.EDIT_REGISTRY, Capability.REVEAL_ID_NUMBERS, methods=FORM)
def member_edit(request, pk):
    member = get_scoped_or_404(Member.objects.select_related("household"), request.user, pk=pk)
    if request.method == "GET":  # the form shows the full ID number: a reveal, recorded
        id_number_reveal(member=member, user=request.user)
    return _member_form(request, member.household, member)


@require(Capability.EDIT_REGISTRY, methods=FORM)
def member_move_view(request, pk):
    """Move a member into another household of the user's area, found by its number."""
    member = get_scoped_or_404(Member.objects.select_related("household"), request.user, pk=pk)
    origin = member.household
    form = MemberMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A household outside the user's area is told apart from none at all by nobody.
        target = (
            Household.objects.for_user(request.user)
            .filter(household_no=form.cleaned_data["household_no"])  # (stripped by the form)
            .first()
        )
        if target is None:
            form.add_error("household_no", _("No household with this number in your area."))
        else:
            try:
                member = member_move(
                    member=member,
                    household=target,
                    relation=form.cleaned_data["relation"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s now belongs to household %(number)s.")
                    % {"name": member.name, "number": target.household_no},
                )
                return redirect("household-detail", pk=target.pk)
    return render(
        request,
        "registry/member_move.html",
        {"form": form, "household": origin, "member": member},
    )


@require(Capability.REVEAL_ID_NUMBERS, methods=ACTION)
def member_reveal(request, pk):
    """The full ID number in place of the masked one (an htmx fragment); recorded."""
    member = get_scoped_or_404(Member.objects.select_related("household"), request.user, pk=pk)
    return render(
        request,
        "registry/_id_number.html",
        {"id_number": id_number_reveal(member=member, user=request.user)},
    )


def _income_form(request, household, income):
    form = IncomeForm(request.POST or None, instance=income)
    if request.method == "POST" and form.is_valid():
        income = form.save(commit=False)
        income.household = household
        try:
            income_save(income=income, user=request.user)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The income was saved."))
            return redirect("household-detail", pk=household.pk)
    return render(
        request,
        "registry/income_form.html",
        {"form": form, "household": household, "income": income},
    )


@require(Capability.EDIT_REGISTRY, methods=FORM)
def income_add(request, pk):
    household = get_scoped_or_404(Household, request.user, pk=pk)
    members = household.members.filter(status="present").count() or 1
    return _income_form(request, household, YearlyIncome(household=household, members=members))


@require(Capability.EDIT_REGISTRY, methods=FORM)
def income_edit(request, pk):
    income = get_scoped_or_404(
        YearlyIncome.objects.select_related("household"), request.user, pk=pk
    )
    return _income_form(request, income.household, income)
