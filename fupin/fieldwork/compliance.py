"""Visit compliance: which households the policy says must be visited, which of them are
overdue, and which follow-ups are past due — for an area, by village and by cadre.

Set-based: one grouped query over the area's households with an EXISTS probe of the
(household, date) index for "visited within the interval"; no loop over households. A
household is overdue on `on` when no visit dated in (on − interval, on] exists for it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, Subquery, Value, When

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


def compliance(code: str, on: date) -> Compliance:
    """The figures of the area `code` on the day `on` (its visits up to that day)."""
    policy = policy_for(code)
    due = _due_households(code, on, policy)
    counts = {"due": Count("pk"), "overdue": Count("pk", filter=Q(visited=False))}
    by_village = [
        {"village": row["village"], "households_due": row["due"], "overdue": row["overdue"]}
        for row in due.values("village").annotate(**counts).order_by("village")
    ]
    by_cadre = [
        {"cadre": row["cadre"], "households_due": row["due"], "overdue": row["overdue"]}
        for row in due.values("cadre").annotate(**counts).order_by("cadre")
    ]
    late = FollowUp.objects.in_area(code).overdue(on)
    late_by_village = dict(
        late.values("village").annotate(n=Count("pk")).values_list("village", "n")
    )
    for row in by_village:
        row["follow_ups_overdue"] = late_by_village.pop(row["village"], 0)
    by_village.extend(
        {"village": v, "households_due": 0, "overdue": 0, "follow_ups_overdue": n}
        for v, n in sorted(late_by_village.items())
    )
    return Compliance(
        area=code,
        on=on,
        policy=policy,
        households_due=sum(row["households_due"] for row in by_village),
        overdue=sum(row["overdue"] for row in by_village),
        follow_ups_overdue=late.count(),
        by_village=by_village,
        by_cadre=by_cadre,
    )


def overdue_households(code: str, on: date):
    """The area's households overdue for a visit, for the compliance page's list."""
    policy = policy_for(code)
    return _due_households(code, on, policy).filter(visited=False)
