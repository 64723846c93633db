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
    Value,
    When,
)

from fupin import areacodes
from fupin.fieldwork.models import FollowUp, Visit, VisitPolicy
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


def _visited(code: str, on: date, policy: dict[str, int]) -> Q:
    """A household visited within its status's interval: an EXISTS per interval, on the
    area's visits of that window (which PostgreSQL hashes once for a county — the (date,
    village, household) index read alone — and probes by (household, date) for a village)."""
    recent = Q()
    for days in sorted(set(policy.values())):
        window = Visit.objects.in_area(code).filter(
            household=OuterRef("pk"), date__gt=on - timedelta(days=days), date__lte=on
        )
        statuses = [status for status, interval in policy.items() if interval == days]
        recent |= Q(status__in=statuses) & Exists(window)
    return recent


def _due_households(code: str, on: date, policy: dict[str, int]):
    """The area's households that the policy covers, each annotated `visited` (a visit within
    its status's interval)."""
    households = Household.objects.in_area(code).filter(status__in=list(policy))
    return households.annotate(
        visited=Case(When(_visited(code, on, policy), then=Value(True)), default=Value(False))
        if policy
        else Value(False, output_field=BooleanField()),
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


def compliance(code: str, on: date) -> Compliance:
    """The figures of the area `code` on the day `on` (its visits up to that day).

    One grouped query over the area's households, by village and current cadre at once (the
    current pairing a LEFT JOIN: at most one a household, by a unique index), counting those
    the policy covers and those of them not visited within their interval; one more for the
    follow-ups past due (an index of the open ones)."""
    policy = policy_for(code)
    villages: dict[str, list[int]] = {}
    cadres: dict[int | None, list[int]] = {}
    if policy:
        current = FilteredRelation("pairings", condition=Q(pairings__ended_on__isnull=True))
        rows = (
            Household.objects.in_area(code)
            .filter(status__in=list(policy))
            .annotate(current=current)
            .values_list("village", "current__cadre")
            .annotate(due=Count("pk"), overdue=Count("pk", filter=~_visited(code, on, policy)))
            .order_by()
        )
        for village, cadre, due, late in rows:
            for table, key in ((villages, village), (cadres, cadre)):
                row = table.setdefault(key, [0, 0])
                row[0] += due
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
