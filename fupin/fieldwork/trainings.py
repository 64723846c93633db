"""Trainings and vocational referral: the candidate finder (a rule and one queryset), and the
writes of programmes, enrolments and referrals (one function per action, keyword-only,
validated, audited by their history).

A candidate is a young person of the area — a present member of a household that is not
cancelled, aged `min_age` to `max_age` (both inclusive) on the day asked about — who
finishes junior or senior secondary school in that day's year, or plans migrant work, and is
not enrolled in a programme that starts that year (a member who dropped out is a candidate
again).

The registry records what school a member is in (`Member.schooling`), not the year they
leave it, so "finishes this year" is read from the school and the birth date as Chinese
schools admit: a child starts primary school in the September after turning six, so a pupil
finishes junior secondary (grade 9) in the June of the year they are 15 or more on 31 August,
and senior or secondary vocational school (grade 12) in the year they are 18 or more then;
someone older who is still at that school (a repeater) finishes this year too.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin import areacodes
from fupin.core.models import Area, User
from fupin.fieldwork.models import (
    Enrolment,
    EnrolmentStatus,
    Referral,
    ReferralKind,
    ReferralStatus,
    TrainingProgramme,
)
from fupin.registry import choices as c
from fupin.registry.models import Member

# Age on 31 August of the year at which a pupil of the school finishes it that year.
FINISHING_AGE = {
    c.Schooling.JUNIOR: 15,
    c.Schooling.SENIOR: 18,
    c.Schooling.VOCATIONAL: 18,
}

MEMBER_OUTSIDE = _("This member's village is not in the programme's area.")
PROGRAMME_FULL = _("The programme is full.")
MEMBER_DEPARTED = _("This member is no longer in the household.")
BAD_AGES = _("The youngest age must not be above the oldest.")
NOT_REFERRED = _("Only an open referral can get an outcome.")


def default_ages() -> tuple[int, int]:
    """The finder's default ages (15 to 30), both inclusive: FUPIN_TRAINING_AGE_MIN, _MAX."""
    return (
        settings.FUPIN_TRAINING_AGE_MIN,
        settings.FUPIN_TRAINING_AGE_MAX,
    )


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def born_between(on: datetime.date, min_age: int, max_age: int) -> tuple:
    """(earliest, latest) birth date of someone aged min_age..max_age on `on`, inclusive:
    aged 30 includes the day before the 31st birthday."""
    latest = years_before(on, min_age)
    earliest = years_before(on, max_age + 1) + datetime.timedelta(days=1)
    return earliest, latest


def finishes_school_q(year: int) -> Q:
    """Members who finish junior or senior secondary school in `year` (see the module)."""
    condition = Q(pk__in=[])
    for schooling, age in FINISHING_AGE.items():
        condition |= Q(schooling=schooling, birth_date__lte=datetime.date(year - age, 8, 31))
    return condition


def age_on(born: datetime.date, on: datetime.date) -> int:
    """Whole years from `born` to `on` (29 February birthdays on 1 March in other years)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True)
class CandidateQuery:
    on: datetime.date
    min_age: int
    max_age: int


def candidate_query(data: dict) -> CandidateQuery:
    """The finder's question from a valid CandidateForm's data, defaults filled in."""
    low, high = default_ages()
    return CandidateQuery(
        on=data.get("on") or timezone.localdate(),
        min_age=low if data.get("min_age") is None else data["min_age"],
        max_age=high if data.get("max_age") is None else data["max_age"],
    )


def programme_areas(user):
    """The areas a user may open a programme to: counties, townships, villages of theirs."""
    levels = [areacodes.Level.COUNTY, areacodes.Level.TOWNSHIP, areacodes.Level.VILLAGE]
    return Area.objects.for_user(user).filter(level__in=levels).order_by("code")


def training_candidates(members: QuerySet, query: CandidateQuery) -> QuerySet:
    """The candidates among `members` (already scoped): one queryset, annotated with
    `finishes_school` and `referred` (an open referral made this year)."""
    if query.min_age > query.max_age:
        raise ValidationError({"min_age": BAD_AGES})
    year = query.on.year
    earliest, latest = born_between(query.on, query.min_age, query.max_age)
    enrolled = Enrolment.objects.filter(
        member=OuterRef("pk"), programme__starts_on__year=year
    ).exclude(status=EnrolmentStatus.DROPPED)
    referred = Referral.objects.filter(
        member=OuterRef("pk"), referred_on__year=year, status=ReferralStatus.REFERRED
    )
    school = finishes_school_q(year)
    return (
        members.filter(status=c.MemberStatus.PRESENT, birth_date__range=(earliest, latest))
        .exclude(household__status=c.Status.CANCELLED)
        .filter(school | Q(plans_migrant_work=True))
        .filter(~Exists(enrolled))
        .annotate(
            finishes_school=ExpressionWrapper(school, output_field=BooleanField()),
            referred=Exists(referred),
        )
        .select_related("household__village")
        .order_by("household__village", "household__household_no", "birth_date", "pk")
    )


# --- writes ---------------------------------------------------------------------------------


def programme_create(
    *,
    provider: str,
    course: str,
    area: Area,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    capacity: int | None = None,
    notes: str = "",
) -> TrainingProgramme:
    programme = TrainingProgramme(
        provider=provider,
        course=course,
        area=area,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        notes=notes,
    )
    programme.full_clean()
    programme.save()
    return programme


def _check_member(member: Member, programme: TrainingProgramme | None) -> None:
    if member.status != c.MemberStatus.PRESENT:
        raise ValidationError({"member": MEMBER_DEPARTED})
    if programme is not None and not areacodes.is_within(
        member.household.village_id, programme.area_id
    ):
        raise ValidationError({"member": MEMBER_OUTSIDE})


def _enrol(*, programme: TrainingProgramme, member: Member, on: datetime.date) -> Enrolment:
    _check_member(member, programme)
    # Locked, so that two clerks enrolling the last place at once cannot both have it.
    programme = TrainingProgramme.objects.select_for_update().get(pk=programme.pk)
    taken = programme.enrolments.exclude(status=EnrolmentStatus.DROPPED).count()
    if programme.capacity is not None and taken >= programme.capacity:
        raise ValidationError({"member": PROGRAMME_FULL})
    enrolment = Enrolment(
        programme=programme,
        member=member,
        household_id=member.household_id,
        village_id=member.household.village_id,
        enrolled_on=on,
    )
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_add(*, programme: TrainingProgramme, member: Member, on: datetime.date) -> Enrolment:
    """Enrol a member; their open referrals to the programme are enrolled that day."""
    enrolment = _enrol(programme=programme, member=member, on=on)
    for referral in Referral.objects.open().filter(member=member, programme=programme):
        referral.status = ReferralStatus.ENROLLED
        referral.outcome_on = max(on, referral.referred_on)
        referral.full_clean()
        referral.save()
    return enrolment


def enrolment_record_outcome(
    *,
    enrolment: Enrolment,
    status: str,
    certificate: str = "",
    employed: bool = False,
    employer: str = "",
    monthly_income: Decimal | None = None,
) -> Enrolment:
    enrolment.status = status
    enrolment.certificate = certificate
    enrolment.employed = employed
    enrolment.employer = employer
    enrolment.monthly_income = monthly_income
    enrolment.full_clean()
    enrolment.save()
    return enrolment


def referral_create(
    *,
    member: Member,
    kind: str,
    on: datetime.date,
    by: User | None,
    programme: TrainingProgramme | None = None,
    destination: str = "",
    notes: str = "",
) -> Referral:
    """Refer a member to a programme (open to their village) or to a school or employer."""
    _check_member(member, programme if kind == ReferralKind.PROGRAMME else None)
    referral = Referral(
        member=member,
        household_id=member.household_id,
        village_id=member.household.village_id,
        kind=kind,
        programme=programme if kind == ReferralKind.PROGRAMME else None,
        destination="" if kind == ReferralKind.PROGRAMME else destination,
        referred_on=on,
        referred_by=by,
        notes=notes,
    )
    referral.full_clean()
    referral.save()
    return referral


@transaction.atomic
def referral_record_outcome(
    *, referral: Referral, status: str, on: datetime.date, notes: str | None = None
) -> Referral:
    """The referral's outcome. Enrolled in a programme: the enrolment is made too, unless the
    member is enrolled already."""
    if referral.status != ReferralStatus.REFERRED:
        raise ValidationError({"status": NOT_REFERRED})
    if (
        status == ReferralStatus.ENROLLED
        and referral.programme_id
        and not Enrolment.objects.filter(
            programme_id=referral.programme_id, member_id=referral.member_id
        ).exists()
    ):
        _enrol(programme=referral.programme, member=referral.member, on=on)
    referral.status = status
    referral.outcome_on = on if status != ReferralStatus.REFERRED else None
    if notes is not None:
        referral.notes = notes
    referral.full_clean()
    referral.save()
    return referral
