"""Writes to the registry from its pages: each validates fully, then saves with history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin import idnumbers
from fupin.core.models import AccessEvent
from fupin.registry import choices as c
from fupin.registry import hooks
from fupin.registry.models import Household, Member, YearlyIncome

NEW_HEAD_NEEDS_FORMER_RELATION = gettext_lazy(
    "The household already has a head: say below what the present head's relation becomes."
)
HEAD_STAYS_UNTIL_REPLACED = gettext_lazy(
    "A household keeps its head: make another member the head instead, and say there what "
    "this member's relation becomes."
)


@transaction.atomic
def household_save(*, household: Household, user, reason: str = "") -> Household:
    """Save a new or changed household. A change of status needs a reason (kept in history)."""
    villages = {household.village_id}
    if household.pk:
        before = Household.objects.get(pk=household.pk)
        if before.status != household.status and not reason.strip():
            raise ValidationError({"reason": _("A change of status needs a reason.")})
        villages.add(before.village_id)
    household.full_clean()
    household._history_user = user
    household._change_reason = reason.strip() or None
    household.save()
    hooks.notify_households_changed(villages)
    return household


@transaction.atomic
def household_status_set(
    *,
    households,
    status: str,
    user,
    reason: str,
    year_registered: int | None = None,
    year_exited: int | None = None,
) -> int:
    """Set the status of many households at once, with the reason their history keeps: one
    UPDATE and one history row each, copied by INSERT … SELECT (a procedure's batch that
    registers or exits a village's households). `households` is a queryset of household ids
    (`values("pk")` or `values("household_id")`). The database's constraints hold as for one
    household (a registered household has its year, an exit is not before registration)."""
    from django.db.models import Q

    from fupin.registry.staging import copy_history

    if not reason.strip():
        raise ValidationError({"reason": _("A change of status needs a reason.")})
    if status not in c.Status.values or status == c.Status.CANCELLED:
        # A cancellation needs its own reason code: one household at a time, by the page.
        raise ValueError(f"status {status!r} is not set for many households at once")
    changes = {"status": status, "updated_at": timezone.now()}
    if year_registered is not None:
        changes["year_registered"] = year_registered
    if year_exited is not None:
        changes["year_exited"] = year_exited
    chosen = Household.objects.filter(pk__in=households).exclude(
        Q(status=status) & Q(**{k: v for k, v in changes.items() if k.startswith("year_")})
    )
    ids = list(chosen.values_list("pk", flat=True))
    villages = set()
    for start in range(0, len(ids), 500):  # SQLite's 999 parameters, with room
        part = ids[start : start + 500]
        villages.update(Household.objects.filter(pk__in=part).values_list("village", flat=True))
        Household.objects.filter(pk__in=part).update(**changes)
        marks = ", ".join(["%s"] * len(part))
        copy_history(
            Household,
            f"r.id IN ({marks})",
            part,
            kind="~",
            when=changes["updated_at"],
            user_id=getattr(user, "pk", None),
            reason=reason.strip()[:100],
        )
    hooks.notify_households_changed(villages)
    return len(ids)


@transaction.atomic
def member_save(
    *, member: Member, user, reason: str = "", former_head_relation: str = ""
) -> Member:
    """Save a member; sex and birth date come from the ID number; one head per household.

    A household keeps exactly one head: the head's relation is not changed away from head
    (that would leave none); another member becomes the head instead, and
    ``former_head_relation`` says what the present head becomes, both in one transaction."""
    try:
        member.id_number = idnumbers.normalize(member.id_number)
    except idnumbers.IdNumberError as error:
        from fupin.registry.errors import message

        raise ValidationError({"id_number": message(f"id_{error.code}")}) from None
    member.sex = idnumbers.sex_of(member.id_number)
    member.birth_date = idnumbers.birth_date_of(member.id_number)
    _refuse_registered_id_number(member, user)
    heads = Member.objects.select_for_update().filter(
        household=member.household_id, relation=c.Relation.HEAD
    )
    if member.relation == c.Relation.HEAD:
        other_head = heads.exclude(pk=member.pk).first()
        if other_head is not None:
            if not former_head_relation or former_head_relation == c.Relation.HEAD:
                raise ValidationError({"relation": NEW_HEAD_NEEDS_FORMER_RELATION})
            other_head.relation = former_head_relation
            other_head._history_user = user
            other_head._change_reason = reason.strip() or None
            other_head.save(update_fields=["relation"])
    elif member.pk and heads.filter(pk=member.pk).exists():
        raise ValidationError({"relation": HEAD_STAYS_UNTIL_REPLACED})
    member.full_clean()
    member._history_user = user
    member._change_reason = reason.strip() or None
    member.save()
    return member


def _refuse_registered_id_number(member: Member, user) -> None:
    """An ID number registered for another person is told as the import tells it: the
    household when the user's area holds it, only "outside your area" when not."""
    from fupin.registry.errors import MESSAGES

    other = Member.objects.filter(id_number=member.id_number).exclude(pk=member.pk)
    other = other.values_list("household", flat=True).first()
    if other is None:
        return
    visible = Household.objects.for_user(user).filter(pk=other)
    number = visible.values_list("household_no", flat=True).first()
    if number is None:
        raise ValidationError({"id_number": MESSAGES["id_outside_area"]})
    raise ValidationError({"id_number": MESSAGES["id_in_other_household"] % {"other": number}})


@transaction.atomic
def member_move(*, member: Member, household: Household, relation: str, user, reason: str):
    """Move a person into another household (marriage, a household split, a return): the
    same record, so the ID number stays unique; its history keeps where it was. A person who
    had moved out becomes present again. The household left keeps its past incomes, counted
    with the members it had that year."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the member moves; it is kept in the history.")})
    # Both households, then the member, as they are now: two moves into one household, or
    # an edit of the member meanwhile, wait for each other instead of overwriting.
    locked = Household.objects.select_for_update().order_by("pk")
    locked = {h.pk: h for h in locked.filter(pk__in=[member.household_id, household.pk])}
    household = locked[household.pk]  # its status as it is now, not as the caller read it
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    if member.status == c.MemberStatus.DECEASED:
        raise ValidationError(_("A deceased member cannot move to another household."))
    if household.pk == member.household_id:
        if member.status != c.MemberStatus.PRESENT:  # back home: the member's own status
            raise ValidationError(
                {
                    "household_no": _(
                        "The member already belongs to this household: to record a return, "
                        "edit the member and set the status back to present."
                    )
                }
            )
        raise ValidationError({"household_no": _("The member already belongs to this household.")})
    if household.status == c.Status.CANCELLED:
        raise ValidationError({"household_no": _("This household is cancelled.")})
    if (
        member.relation == c.Relation.HEAD
        and member.status == c.MemberStatus.PRESENT
        and member.household.members.present().exclude(pk=member.pk).exists()
    ):
        raise ValidationError(
            _("The head cannot leave while others stay: make another member the head first.")
        )
    if (
        relation == c.Relation.HEAD
        and household.members.present().filter(relation=c.Relation.HEAD).exists()
    ):
        # The move form names no former head's new relation: the target's head is changed
        # first, on that household's page.
        raise ValidationError(
            {"relation": _("The household already has a head: change that member first.")}
        )
    member.household = household
    member.relation = relation
    member.status = c.MemberStatus.PRESENT
    member.departed_on = None
    # The member's history tells both households of the move (registry.history).
    return member_save(member=member, user=user, reason=reason)


@transaction.atomic
def income_save(*, income: YearlyIncome, user) -> YearlyIncome:
    income.full_clean()
    income._history_user = user
    income.save()
    return income


def id_number_reveal(*, member: Member, user) -> str:
    """The full ID number, with the reveal recorded (who, when, whose)."""
    AccessEvent.objects.create(
        user=user,
        action=AccessEvent.Action.REVEAL_ID_NUMBER,
        area_id=member.household.village_id,
        object_label=Member._meta.label_lower,
        object_pk=str(member.pk),
        detail=member.household.household_no,
    )
    return member.id_number
