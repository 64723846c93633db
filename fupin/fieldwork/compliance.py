"""Visit compliance: which households the policy says must be visited, which of them are
overdue, and which follow-ups are past due — for an area, by village and by cadre.

A household is overdue on `on` when no visit dated in (on − interval, on] exists for it,
the interval being its status's in the policy of its village (`policies_for`).

An area's figures are the sum of its villages' (`compliance`). A village's are computed
set-based — one grouped query over its households and their visits (`_compute`), never a
loop over households — and kept, per day, as a `ComplianceFigures` row, so that a county's
page reads its 300 villages' rows instead of 250,000 households and 3,000,000 visits. A row
is used only while it is fresh:

- every writer of a village's visits, pairings, follow-ups or households raises the village's
  version (`forget`: the fieldwork services, and the registry's writers through
  `registry.hooks.households_changed`) in its own transaction. A reader reads the versions
  before it computes and stores them with its figures; figures computed from what a reader saw
  before a change so carry an older version than the change commits, and are computed again;
- a row whose policy is not the village's policy now is stale (a policy was edited);
- a row computed before a household of the village last changed (`updated_at`) is stale: one
  index probe a village tells, a safeguard for a household written past the registry's
  services.

Stale or missing villages are computed again, together, when read, and stored; `refresh`
(`fupin refresh-compliance`, a nightly timer in docs/deploy.md) computes a whole area's day
ahead of its first reader.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import DatabaseError, transaction
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone

from fupin import areacodes
from fupin.core.models import Area
from fupin.core.scoping import area_q
from fupin.fieldwork.models import (
    ComplianceFigures,
    ComplianceVersion,
    FollowUp,
    Visit,
    VisitPolicy,
)
from fupin.registry.models import Household

CHUNK = 500  # villages a statement names at once (SQLite's 999 parameters, with room)
KEEP_DAYS = 31  # `refresh` removes the stored figures of days further back


def policies_for(codes) -> dict[str, dict[str, int]]:
    """{area code: {household status: interval in days}} for each of `codes`: per status,
    the policy set on the nearest area at or above it, else the one set for every area.
    One query, whatever the number of areas (a county's villages share their parents')."""
    own: dict[str | None, dict[str, int]] = defaultdict(dict)
    for area, status, days in VisitPolicy.objects.values_list("area", "status", "interval_days"):
        own[area][status] = days
    found: dict[str | None, dict[str, int]] = {None: own[None]}

    def policy(code: str | None) -> dict[str, int]:
        if code not in found:
            found[code] = {**policy(areacodes.parent_code(code)), **own.get(code, {})}
        return found[code]

    return {code: dict(sorted(policy(code).items())) for code in codes}


def policy_for(code: str) -> dict[str, int]:
    """The policy of one area (see `policies_for`)."""
    return policies_for([code])[code]


def _visited(visits, on: date, policy: dict[str, int]) -> Q:
    """A household visited within its status's interval: an EXISTS per interval, on the
    area's visits of that window (which PostgreSQL hashes once for a county — the (date,
    village, household) index read alone — and probes by (household, date) for a village)."""
    recent = Q()
    for days in sorted(set(policy.values())):
        window = visits.filter(
            household=OuterRef("pk"), date__gt=on - timedelta(days=days), date__lte=on
        )
        statuses = [status for status, interval in policy.items() if interval == days]
        recent |= Q(status__in=statuses) & Exists(window)
    return recent


def _by_policy(villages, policies) -> list[tuple[dict[str, int], list[str]]]:
    """The villages grouped by their policy (one group, in the usual county)."""
    groups = defaultdict(list)
    for village in villages:
        groups[tuple(policies[village].items())].append(village)
    return [(dict(key), members) for key, members in groups.items()]


def _scopes(code: str, villages: list[str], whole: bool):
    """(households, visits, follow-ups) querysets of `villages`, CHUNK villages at a time;
    the area's own range when they are all of it (the plan the indexes are made for)."""
    if whole:
        yield (
            Household.objects.in_area(code),
            Visit.objects.in_area(code),
            FollowUp.objects.in_area(code),
        )
        return
    for start in range(0, len(villages), CHUNK):
        part = villages[start : start + CHUNK]
        yield (
            Household.objects.filter(village__in=part),
            Visit.objects.filter(village__in=part),
            FollowUp.objects.filter(village__in=part),
        )


def _compute(code: str, villages: list[str], on: date, policies, versions, whole: bool):
    """The figures of `villages` (of the area `code`; all of it when `whole`) on `on`, from
    their households and visits: per group of villages with one policy, one grouped query by
    village and current cadre (the current pairing a LEFT JOIN: at most one a household, by
    a unique index) counting the households due and those not visited within their
    interval; and one for the follow-ups past due (an index of the open ones)."""
    computed_at = timezone.now()  # before reading: a change committed later makes it stale
    due: dict[str, dict] = {village: defaultdict(lambda: [0, 0]) for village in villages}
    groups = _by_policy(villages, policies)
    for policy, members in groups:
        if not policy:
            continue
        for households, visits, _follow_ups in _scopes(code, members, whole and len(groups) == 1):
            current = FilteredRelation("pairings", condition=Q(pairings__ended_on__isnull=True))
            rows = (
                households.filter(status__in=list(policy))
                .annotate(current=current)
                .values_list("village", "current__cadre")
                .annotate(n=Count("pk"), late=Count("pk", filter=~_visited(visits, on, policy)))
                .order_by()
            )
            for village, cadre, n, late in rows:
                if village not in due:  # not a village-level area: the registry allows none
                    continue
                due[village][cadre][0] += n
                due[village][cadre][1] += late
    follow_ups: dict[str, int] = {}
    for _households, _visits, scope in _scopes(code, villages, whole):
        follow_ups.update(
            scope.overdue(on)
            .values("village")
            .annotate(n=Count("pk"))
            .values_list("village", "n")
            .order_by()
        )
    return [
        ComplianceFigures(
            village_id=village,
            on=on,
            computed_at=computed_at,
            version=versions[village],
            policy=policies[village],
            households_due=sum(n for n, _late in due[village].values()),
            overdue=sum(late for _n, late in due[village].values()),
            follow_ups_overdue=follow_ups.get(village, 0),
            by_cadre=[[cadre, *due[village][cadre]] for cadre in _nulls_last(due[village])],
        )
        for village in villages
    ]


def _store(code: str, rows: list[ComplianceFigures], on: date, whole: bool) -> None:
    """Keep the figures just computed, replacing the villages' rows of that day. Storing is
    only a saving: when it fails (a reader that stored the same villages meanwhile, a SQLite
    file locked by a writer) these figures are served all the same, and computed again by
    the next reader."""
    try:
        with transaction.atomic():
            if whole:
                ComplianceFigures.objects.in_area(code).filter(on=on).delete()
            else:
                villages = [row.village_id for row in rows]
                for start in range(0, len(villages), CHUNK):
                    ComplianceFigures.objects.filter(
                        on=on, village__in=villages[start : start + CHUNK]
                    ).delete()
            ComplianceFigures.objects.bulk_create(rows, batch_size=CHUNK)
    except DatabaseError:
        pass


def _villages(code: str):
    """The area's villages (the areas households live in)."""
    return Area.objects.filter(area_q("code", code), level=areacodes.Level.VILLAGE).order_by("code")


def _villages_changed(code: str) -> dict[str, datetime | None]:
    """{village code: when a household of it last changed} for the area's villages: one
    probe of an index (village, updated_at) a village."""
    latest = (
        Household.objects.filter(village=OuterRef("pk"))
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    return dict(_villages(code).annotate(changed=Subquery(latest)).values_list("code", "changed"))


def _fresh(row, policy: dict | None, version: int, changed: datetime | None) -> bool:
    return (
        row is not None
        and row.version == version
        and row.policy == policy
        and (changed is None or changed < row.computed_at)
    )


def _versions(code: str, villages: list[str]) -> dict[str, int]:
    """{village: version} of the area's villages, read before their figures are computed (a
    village never changed yet gets its row first, so that a writer always raises one)."""
    versions = dict(ComplianceVersion.objects.in_area(code).values_list("village", "version"))
    missing = [village for village in villages if village not in versions]
    if missing:
        ComplianceVersion.objects.bulk_create(
            [ComplianceVersion(village_id=village) for village in missing],
            batch_size=CHUNK,
            ignore_conflicts=True,
        )
        versions = dict(ComplianceVersion.objects.in_area(code).values_list("village", "version"))
    return versions


def village_figures(code: str, on: date, *, recompute: bool = False) -> list[ComplianceFigures]:
    """The figures of each village of the area `code` on `on`: the stored ones still fresh,
    the others (all, with `recompute`) computed now, together, and stored."""
    changed = _villages_changed(code)
    villages = list(changed)
    versions = _versions(code, villages)
    policies = policies_for(villages)
    stored = {}
    if not recompute:
        stored = {
            row.village_id: row
            for row in ComplianceFigures.objects.in_area(code).filter(on=on)
            if _fresh(
                row,
                policies.get(row.village_id),
                versions.get(row.village_id),
                changed.get(row.village_id),
            )
        }
    stale = [village for village in villages if village not in stored]
    if stale:
        whole = len(stale) == len(villages)
        computed = _compute(code, stale, on, policies, versions, whole)
        # A day to come is computed, not stored: its figures change as it comes nearer, and
        # nobody would remove them (`refresh` removes the past days beyond KEEP_DAYS).
        if on <= timezone.localdate():
            _store(code, computed, on, whole)
        stored.update((row.village_id, row) for row in computed)
    return [stored[village] for village in villages]


def forget(*villages: str) -> None:
    """A change to these villages' visits, pairings, follow-ups or households: raise their
    versions, in the writer's transaction, so that their stored figures — of every day, a
    follow-up's status counting on each day after it was due — are computed again. The row of
    a village not read yet is made first: the increment is one UPDATE, never lost."""
    villages = sorted(set(villages))
    for start in range(0, len(villages), CHUNK):
        part = villages[start : start + CHUNK]
        ComplianceVersion.objects.bulk_create(
            [ComplianceVersion(village_id=village) for village in part], ignore_conflicts=True
        )
        ComplianceVersion.objects.filter(village__in=part).update(version=F("version") + 1)


def refresh(code: str, on: date) -> int:
    """Compute and store the figures of every village of the area on `on` (the nightly
    timer, and after a change made outside Fupin's services), and remove the area's stored
    figures of days more than KEEP_DAYS before it (a reader of such a day has them computed
    again); returns the number of villages."""
    ComplianceFigures.objects.in_area(code).filter(on__lt=on - timedelta(days=KEEP_DAYS)).delete()
    return len(village_figures(code, on, recompute=True))


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
    computed_at: datetime | None = None  # of the oldest village's figures

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
            "computed_at": _iso(self.computed_at),
        }


def _iso(moment: datetime | None) -> str | None:
    """UTC, written as the API writes it (…Z), so that the command's JSON is the API's."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def compliance(code: str, on: date) -> Compliance:
    """The figures of the area `code` on the day `on` (its visits up to that day): its
    villages' figures (`village_figures`) added up, by village and by cadre (a cadre who
    serves several villages from the township summed over them)."""
    rows = village_figures(code, on)
    cadres: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        for cadre, n, late in row.by_cadre:
            cadres[cadre][0] += n
            cadres[cadre][1] += late
    by_village = [
        {
            "village": row.village_id,
            "households_due": row.households_due,
            "overdue": row.overdue,
            "follow_ups_overdue": row.follow_ups_overdue,
        }
        for row in rows
        if row.households_due or row.follow_ups_overdue
    ]
    return Compliance(
        area=code,
        on=on,
        policy=policy_for(code),
        households_due=sum(row["households_due"] for row in by_village),
        overdue=sum(row["overdue"] for row in by_village),
        follow_ups_overdue=sum(row["follow_ups_overdue"] for row in by_village),
        by_village=by_village,
        by_cadre=[
            {"cadre": cadre, "households_due": cadres[cadre][0], "overdue": cadres[cadre][1]}
            for cadre in _nulls_last(cadres)
        ],
        computed_at=min((row.computed_at for row in rows), default=None),
    )


def _nulls_last(cadres) -> list[int | None]:
    """The cadre ids in order, None (the households paired to no cadre) last."""
    ordered: list[int | None] = sorted(cadre for cadre in cadres if cadre is not None)
    return ordered + [None] if None in cadres else ordered


def overdue_households(code: str, on: date):
    """The area's households overdue for a visit, each by its village's policy, for the
    compliance page's list; each annotated `last_visit`, its latest visit on or before `on`
    (None: never visited). That is one index probe a household (visit_household_date),
    which suits a page of them: the figures' hashed window of all the area's visits would
    cost a county 300 ms to list 200."""
    villages = list(_villages(code).values_list("code", flat=True))
    groups = _by_policy(villages, policies_for(villages))
    latest = (
        Visit.objects.filter(household=OuterRef("pk"), date__lte=on)
        .order_by("-date")
        .values("date")[:1]
    )
    overdue = Q(pk__in=[])
    for policy, members in groups:
        where = Q() if len(groups) == 1 else Q(village__in=members)
        for status, days in policy.items():
            not_since = Q(last_visit__isnull=True) | Q(last_visit__lte=on - timedelta(days=days))
            overdue |= where & Q(status=status) & not_since
    return Household.objects.in_area(code).annotate(last_visit=Subquery(latest)).filter(overdue)
