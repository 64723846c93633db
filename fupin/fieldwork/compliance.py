"""Visit compliance: which households the policy says must be visited, which of them are
overdue, and which follow-ups are past due — for an area, by village and by cadre.

Set-based: grouped queries over the area's households (see `compliance`), never a loop over
households. A household is overdue on `on` when no visit dated in (on − interval, on] exists
for it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from fupin import areacodes
from fupin.fieldwork.models import FollowUp, Pairing, Visit, VisitPolicy
from fupin.registry.models import Household


def policy_for(code: str) -> dict[str, int]:
    """{household status: interval in days} for an area: per status, the policy set on the
    nearest area at or above it, else the one set for every area."""
    chain = [code]
    while parent := areacodes.parent_code(chain[-1]):
        chain.append(parent)
    rank = {area: depth for depth, area in enumerate(chain)}
    found: dict[str, tuple[int, int]] = {}
    rows = VisitPolicy.objects.filter(Q(area__in=chain) | Q(area__isnull=True))
    for area, status, days in rows.values_list("area", "status", "interval_days"):
        depth = rank.get(area, len(chain))
        if status not in found or depth < found[status][0]:
            found[status] = (depth, days)
    return {status: days for status, (_depth, days) in found.items()}


def _due_households(code: str, on: date, policy: dict[str, int]):
    """The area's households that the policy covers, each annotated `visited` (a visit within
    its status's interval) and `cadre` (its current cadre's id, or None)."""
    households = Household.objects.in_area(code).filter(status__in=list(policy))
    recent = Q()
    for status, days in policy.items():
        window = Visit.objects.filter(
            household=OuterRef("pk"), date__gt=on - timedelta(days=days), date__lte=on
        )
        recent |= Q(status=status) & Exists(window)
    cadre = Pairing.objects.filter(household=OuterRef("pk"), ended_on__isnull=True)
    return households.annotate(
        visited=Case(When(recent, then=Value(True)), default=Value(False))
        if policy
        else Value(False, output_field=BooleanField()),
        cadre=Subquery(cadre.values("cadre")[:1]),
    )


@dataclass(frozen=True)
class Compliance:
    area: str
    on: date
    policy: dict[str, int]
    households_due: int
    overdue: int
    follow_ups_overdue: int
    by_village: list[dict]
    by_cadre: list[dict]

    def as_json(self) -> dict:
        return {
            "area": self.area,
            "on": self.on.isoformat(),
            "policy": self.policy,
            "households_due": self.households_due,
            "overdue": self.overdue,
            "follow_ups_overdue": self.follow_ups_overdue,
            "by_village": self.by_village,
            "by_cadre": self.by_cadre,
        }


def _by_village_and_cadre(households) -> dict[tuple[str, int | None], int]:
    """{(village, current cadre or None): households}, in one grouped query: the current
    pairing is a LEFT JOIN (at most one per household, a unique index), not a subquery."""
    current = FilteredRelation("pairings", condition=Q(pairings__ended_on__isnull=True))
    rows = (
        households.annotate(current=current)
        .values_list("village", "current__cadre")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(village, cadre): n for village, cadre, n in rows}


def compliance(code: str, on: date) -> Compliance:
    """The figures of the area `code` on the day `on` (its visits up to that day).

    Two grouped queries over the area's households, by village and current cadre at once:
    those the policy covers, and those of them visited within their status's interval — an
    EXISTS in the WHERE clause, which the database runs as a semi-join (PostgreSQL hashes the
    window's visits for a county, probes the (household, date) index for a village); one
    more query per further interval the policy uses. overdue = due − visited."""
    policy = policy_for(code)
    households = Household.objects.in_area(code)
    due = _by_village_and_cadre(households.filter(status__in=list(policy)))
    visited: dict[tuple[str, int | None], int] = {}
    for days in sorted(set(policy.values())):
        window = Visit.objects.filter(
            household=OuterRef("pk"), date__gt=on - timedelta(days=days), date__lte=on
        )
        statuses = [status for status, interval in policy.items() if interval == days]
        seen = households.filter(status__in=statuses).filter(Exists(window))
        for key, n in _by_village_and_cadre(seen).items():
            visited[key] = visited.get(key, 0) + n
    villages: dict[str, list[int]] = {}
    cadres: dict[int | None, list[int]] = {}
    for (village, cadre), n in due.items():
        late = n - visited.get((village, cadre), 0)
        for table, key in ((villages, village), (cadres, cadre)):
            row = table.setdefault(key, [0, 0])
            row[0] += n
            row[1] += late
    follow_ups = dict(
        FollowUp.objects.in_area(code)
        .overdue(on)
        .values("village")
        .annotate(n=Count("pk"))
        .values_list("village", "n")
        .order_by()
    )
    by_village = [
        {
            "village": village,
            "households_due": villages.get(village, (0, 0))[0],
            "overdue": villages.get(village, (0, 0))[1],
            "follow_ups_overdue": follow_ups.get(village, 0),
        }
        for village in sorted(villages.keys() | follow_ups.keys())
    ]
    by_cadre = [
        {"cadre": cadre, "households_due": n, "overdue": late}
        for cadre, (n, late) in sorted(cadres.items(), key=lambda item: _nulls_last(item[0]))
    ]
    return Compliance(
        area=code,
        on=on,
        policy=policy,
        households_due=sum(row["households_due"] for row in by_village),
        overdue=sum(row["overdue"] for row in by_village),
        follow_ups_overdue=sum(follow_ups.values()),
        by_village=by_village,
        by_cadre=by_cadre,
    )


def _nulls_last(cadre: int | None) -> tuple[bool, int]:
    return (cadre is None, cadre or 0)


def overdue_households(code: str, on: date):
    """The area's households overdue for a visit, for the compliance page's list."""
    policy = policy_for(code)
    return _due_households(code, on, policy).filter(visited=False)
