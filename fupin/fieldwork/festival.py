"""The Spring Festival visit list (春节慰问): generated from the registry by category, each
entry then recording what was given, by whom and whether the receiver signed.

Generation is set-based: one query per category over the whole area (a village or a county),
then one bulk insert of the entries not yet listed (ON CONFLICT DO NOTHING against the
list's unique constraints) and one bulk delete of the entries nothing was recorded on that no
longer qualify. An entry with a gift, a value or a signature is never removed.

Who is listed (docs/fieldwork.md, "Spring Festival visits"):

- households not cancelled that are special-support (destitute), five-guarantee or dibao —
  once, under the first of these categories that applies (the head signs);
- present members of households not cancelled: party members who reach the list's age in its
  year, veterans, and college students of registered, exited or monitored households — each
  person once, under the first that applies (besides their household's own entry);
- the village's active cadres marked as members of the two committees.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from fupin import areacodes
from fupin.core.models import Area, User
from fupin.fieldwork.models import (
    Cadre,
    FestivalCategory,
    FestivalList,
    FestivalVisit,
)
from fupin.registry import choices as c
from fupin.registry.models import Household, Member

Category = FestivalCategory

# The age from which a party member is listed when no earlier list of the area says
# otherwise; the form asks for it each year and the list records it (local practice varies).
DEFAULT_PARTY_MEMBER_AGE = 70

HOUSEHOLD_CATEGORIES = [
    (Category.SPECIAL_SUPPORT, "special_support"),
    (Category.FIVE_GUARANTEE, "five_guarantee"),
    (Category.DIBAO, "dibao"),
]
# Households of these statuses are "poor" for the college-student category: registered,
# and those who exited or are monitored (policies continue after exit).
POOR_STATUSES = [c.Status.REGISTERED, c.Status.EXITED, c.Status.MONITORED]

NO_VILLAGES = _("There is no village in this area.")
GIFT_NEEDS_VALUE = _("Give the value in yuan of what was given.")
GIFT_NEEDS_KIND = _("Say whether money or goods were given.")
GIVER_OUTSIDE = _("This cadre does not work in the entry's village.")


def born_before_for_age(year: int, age: int) -> datetime.date:
    """A party member reaches `age` in `year` (year − birth year ≥ age) when born before
    1 January of year − age + 1."""
    return datetime.date(year - age + 1, 1, 1)


@dataclass(frozen=True)
class Candidate:
    village: str
    category: str
    household: int | None
    member: int | None
    cadre: int | None
    name: str

    @property
    def key(self) -> tuple:
        return (self.village, self.household, self.member, self.cadre)


def festival_candidates(code: str, year: int, party_member_age: int) -> list[Candidate]:
    """Who the area's lists should hold for the year: one query per category."""
    households = Household.objects.in_area(code).exclude(status=c.Status.CANCELLED)
    members = Member.objects.in_area(code).present().exclude(household__status=c.Status.CANCELLED)
    found: dict[tuple, Candidate] = {}

    def add(category, rows):
        for village, household, member, cadre, name in rows:
            candidate = Candidate(village, category, household, member, cadre, name or "")
            # A household or person is listed once, under its first category.
            found.setdefault(candidate.key, candidate)

    head = Member.objects.filter(household=OuterRef("pk"), relation=c.Relation.HEAD)
    for category, flag in HOUSEHOLD_CATEGORIES:
        rows = (
            households.filter(**{flag: True})
            .annotate(head=Subquery(head.values("name")[:1]))
            .values_list("village", "pk", "head")
        )
        add(category, ((v, h, None, None, n) for v, h, n in rows))
    member_rows = {
        Category.OLD_PARTY_MEMBER: members.filter(
            party_member=True, birth_date__lt=born_before_for_age(year, party_member_age)
        ),
        Category.VETERAN: members.filter(veteran=True),
        Category.COLLEGE_STUDENT: members.filter(
            Q(college_student=True) | Q(schooling=c.Schooling.COLLEGE),
            household__status__in=POOR_STATUSES,
        ),
    }
    for category, rows in member_rows.items():
        values = rows.values_list("household__village", "household", "pk", "name")
        add(category, ((v, h, m, None, n) for v, h, m, n in values))
    cadres = Cadre.objects.in_area(code).filter(
        active=True, two_committees=True, area__level=areacodes.Level.VILLAGE
    )
    add(
        Category.TWO_COMMITTEES,
        ((v, None, None, k, n) for v, k, n in cadres.values_list("area", "pk", "name")),
    )
    return list(found.values())


def _villages(code: str) -> list[str]:
    if areacodes.level_of(code) == areacodes.Level.VILLAGE:
        return [code]
    villages = Area.objects.in_area(code).filter(level=areacodes.Level.VILLAGE)
    return list(villages.values_list("code", flat=True))


def party_member_age_for(code: str) -> int:
    """The age the area's latest list used, or the default."""
    latest = (
        FestivalList.objects.in_area(code)
        .order_by("-year", "-generated_at")
        .values_list("party_member_age", flat=True)
        .first()
    )
    return latest or DEFAULT_PARTY_MEMBER_AGE


@dataclass(frozen=True)
class Generated:
    lists: int
    added: int
    removed: int
    kept: int


@transaction.atomic
def festival_list_generate(
    *, area: Area, year: int, party_member_age: int, user: User | None
) -> Generated:
    """Make (or bring up to date) the year's list of every village in `area`."""
    villages = _villages(area.code)
    if not villages:
        raise ValidationError(NO_VILLAGES)
    now = timezone.now()
    existing = {
        row.village_id: row
        for row in FestivalList.objects.filter(village__in=villages, year=year).select_for_update()
    }
    new = [
        FestivalList(
            village_id=v,
            year=year,
            party_member_age=party_member_age,
            generated_at=now,
            generated_by=user,
        )
        for v in villages
        if v not in existing
    ]
    for row in new:
        row.full_clean(validate_unique=False, validate_constraints=False)
    bulk_create_with_history(new, FestivalList, default_user=user, default_date=now)
    changed = list(existing.values())
    for row in changed:
        row.party_member_age, row.generated_at, row.generated_by = party_member_age, now, user
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()  # one per village (a county's couple of hundred), with its history
    lists = {
        row.village_id: row.pk
        for row in FestivalList.objects.filter(village__in=villages, year=year).only("village")
    }
    wanted = {cand.key: cand for cand in festival_candidates(area.code, year, party_member_age)}
    entries = FestivalVisit.objects.filter(festival_list__in=lists.values())
    stored = {}
    for pk, village, household, member, cadre, category, *recorded in entries.values_list(
        "pk", "village", "household", "member", "cadre", "category",
        "gift_kind", "gift", "value", "signed",
    ):  # fmt: skip
        kind, gift, value, signed = recorded
        stored[(village, household, member, cadre)] = (
            pk,
            category,
            bool(kind or gift or value is not None or signed),
        )
    # Not wanted any more, or now under another category, and nothing recorded: removed.
    stale = [
        pk
        for key, (pk, category, recorded) in stored.items()
        if not recorded and (key not in wanted or wanted[key].category != category)
    ]
    _delete_with_history(stale)
    kept = sum(1 for key, (_pk, _c, recorded) in stored.items() if recorded)
    removed = set(stale)
    present = {key for key, (pk, _c, _r) in stored.items() if pk not in removed}
    added = [
        FestivalVisit(
            festival_list_id=lists[cand.village],
            village_id=cand.village,
            category=cand.category,
            household_id=cand.household,
            member_id=cand.member,
            cadre_id=cand.cadre,
            name=cand.name[:50],
        )
        for key, cand in wanted.items()
        if key not in present and cand.village in lists
    ]
    bulk_create_with_history(
        added, FestivalVisit, batch_size=2000, default_user=user, default_date=now
    )
    return Generated(lists=len(lists), added=len(added), removed=len(stale), kept=kept)


def _delete_with_history(pks: list[int]) -> None:
    """Delete entries; simple-history's delete signal writes each one's deletion into its
    history (by the request's user). Few at a time: only those nothing was recorded on."""
    for start in range(0, len(pks), 2000):
        FestivalVisit.objects.filter(pk__in=pks[start : start + 2000]).delete()


def festival_visit_record(
    *,
    entry: FestivalVisit,
    gift_kind: str,
    gift: str,
    value: Decimal | None,
    given_by: Cadre | None,
    given_on: datetime.date | None,
    signed: bool,
    user: User | None,
) -> FestivalVisit:
    """Record what was given to one entry of a list."""
    errors = {}
    if gift_kind and value is None:
        errors["value"] = GIFT_NEEDS_VALUE
    if value is not None and not gift_kind:
        errors["gift_kind"] = GIFT_NEEDS_KIND
    if given_by is not None and not areacodes.is_within(entry.village_id, given_by.area_id):
        errors["given_by"] = GIVER_OUTSIDE
    if errors:
        raise ValidationError(errors)
    entry.gift_kind, entry.gift, entry.value = gift_kind, gift, value
    entry.given_by, entry.given_on, entry.signed = given_by, given_on, signed
    entry.recorded_by = user
    entry.full_clean()
    entry.save()
    return entry


def givers_for(code: str):
    """The cadres who may give in a village: those of the village and the areas above it."""
    chain = [code]
    while parent := areacodes.parent_code(chain[-1]):
        chain.append(parent)
    return Cadre.objects.filter(area__in=chain, active=True).order_by("name")


def festival_totals(entries) -> dict:
    """Entries, recorded and yuan by category, and in all: one grouped query."""
    labels = dict(Category.choices)
    rows = (
        entries.order_by()
        .values("category")
        .annotate(
            n=Count("pk"),
            given=Count("pk", filter=~Q(gift_kind="")),
            signed=Count("pk", filter=Q(signed=True)),
            yuan=Sum("value"),
        )
    )
    by_category = {row["category"]: row for row in rows}
    ordered = [
        {**by_category[code], "label": labels[code]}
        for code in Category.values
        if code in by_category
    ]
    total = defaultdict(int)
    total["yuan"] = Decimal("0")
    for row in ordered:
        for key in ("n", "given", "signed"):
            total[key] += row[key]
        total["yuan"] += row["yuan"] or 0
    return {"categories": ordered, "total": dict(total)}


def sheet_entries(code: str, year: int):
    """The entries of the area's lists for the year, in the order they are printed."""
    order = {code: index for index, code in enumerate(Category.values)}
    rows = (
        FestivalVisit.objects.in_area(code)
        .filter(festival_list__year=year)
        .select_related("village", "household__group", "given_by")
        .order_by("village", "household__group", "household__household_no", "id")
    )
    return sorted(rows, key=lambda e: (e.village_id, order[e.category]))
