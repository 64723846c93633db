"""Reads of the registry that are more than a filter: the household list's search."""

from django.db import connections
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q

from fupin import idnumbers
from fupin.areacodes import SUBTREE_END
from fupin.core.roles import Capability
from fupin.registry.models import Household, Member

# At most this many households are found by the beginning of a household number ("4501").
SEARCH_LIMIT = 1000

# A name prefix is searched as a range on the plain name index, name >= p AND name < p + END:
# LIKE 'p%' uses such an index on neither database (SQLite's LIKE ignores ASCII case;
# PostgreSQL's needs the C collation or a pattern-ops index). END must sort above every
# character in the database's order: in code point order (SQLite; PostgreSQL's C, POSIX,
# C.UTF-8 and builtin collations) the last code point, U+10FFFF (U+FFFF would miss the CJK
# extension characters of some names); in ICU's, U+FFFF, which CLDR sorts above all for this
# use. A libc collation such as zh_CN.UTF-8 or en_US.UTF-8 ignores both: LIKE alone there.
_LAST_CODE_POINT, _ICU_TOP = chr(0x10FFFF), chr(0xFFFF)
_prefix_ends: dict[tuple, str | None] = {}
_DATABASE_COLLATION = (
    "SELECT datlocprovider, datcollate FROM pg_database WHERE datname = current_database()"
)
_DATABASE_COLLATION_14 = (  # before PostgreSQL 15, every database's collation is libc's
    "SELECT 'c', datcollate FROM pg_database WHERE datname = current_database()"
)


def _prefix_end(using: str) -> str | None:
    """END for this database, or None where no character is known to sort above all."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        return _LAST_CODE_POINT
    if connection.vendor != "postgresql":
        return None
    settings = connection.settings_dict
    key = (using, settings["NAME"], settings["HOST"], settings["PORT"])
    if key not in _prefix_ends:  # once per database and process
        with connection.cursor() as cursor:
            cursor.execute(
                _DATABASE_COLLATION if connection.pg_version >= 150000 else _DATABASE_COLLATION_14
            )
            provider, collate = cursor.fetchone()
        _prefix_ends[key] = prefix_end_for(provider, collate)
    return _prefix_ends[key]


def prefix_end_for(provider: str, collate: str) -> str | None:
    """The bound for a PostgreSQL database's collation (pg_database's provider and collate)."""
    if provider == "i":
        return _ICU_TOP
    if provider == "b" or collate.lower() in {"c", "posix", "c.utf8", "c.utf-8"}:
        return _LAST_CODE_POINT
    return None


def name_begins(members, prefix: str):
    """The members whose name begins with `prefix`, as written: the range finds them on the
    name index, LIKE keeps exactly those (the range of a linguistic order may hold others)."""
    members = members.filter(name__startswith=prefix)
    end = _prefix_end(members.db)
    if end is not None:
        members = members.filter(name__gte=prefix, name__lt=prefix + end)
    return members


def household_list(user, filters: dict):
    """The households this user may see, filtered and sorted as the list page asks.

    Every filter is written so that an index answers it at a million persons: search by ID
    number (exact) or name (its beginning) goes through the member indexes, household numbers
    through theirs (exact, or a range for digits), the income band by joining the year's
    income row on its (year, per-capita) index.
    """
    households = Household.objects.for_user(user).select_related("village", "group")
    q = (filters.get("q") or "").strip()
    # An exact ID-number search confirms a guess: only for who may see the number anyway.
    by_id = user.can(Capability.REVEAL_ID_NUMBERS)
    if q:
        numbers = Household.objects.for_user(user)
        if q.isdigit():  # the beginning of a household number: the households it begins
            numbers = numbers.filter(household_no__gte=q, household_no__lt=q + SUBTREE_END)
            numbers = Household.objects.filter(
                pk__in=numbers.order_by().values("pk")[:SEARCH_LIMIT]
            )
        else:
            numbers = numbers.filter(household_no=q)
        # One subquery, no list of ids through Python (a surname may match tens of
        # thousands).
        if connections[households.db].vendor == "postgresql" and not numbers.exists():
            # PostgreSQL plans a correlated EXISTS either way round: from the name index for a
            # rare name, or along the household numbers, stopping at the page's 50, for a
            # common surname. At a million persons a one-character surname took 48 ms to
            # count and 21 ms for the page, against 44 and 90 ms for the IN below, which it
            # answers by hashing the 22,924 households first; a full name ~1 ms either way.
            people = _people(Member.objects.all(), q, by_id)
            households = households.filter(Exists(people.filter(household_id=OuterRef("pk"))))
        else:
            # SQLite runs an EXISTS once a household (0.8 s at a million for a rare name):
            # an IN, which it answers from the name index. The people are taken in the
            # user's area so that the planner may start from the area instead (a village's
            # few hundred households) where that is fewer rows.
            people = _people(Member.objects.for_user(user), q, by_id)
            households = households.filter(
                pk__in=people.order_by()
                .values("household_id")
                .union(numbers.order_by().values("pk"))
            )
    if filters.get("village"):
        households = households.filter(village_id=filters["village"])
    for name in ("status", "attribute"):
        if filters.get(name):
            households = households.filter(**{name: filters[name]})
    if filters.get("group"):
        households = households.filter(group_id=filters["group"])
    if filters.get("cause"):
        households = households.filter(poverty_cause=filters["cause"])
    if filters.get("category"):
        households = households.filter(**{filters["category"]: True})
    year = filters.get("income_year")
    if year:
        # A LEFT JOIN on the year's income row (its (household, year) index): households
        # without an income that year stay in the list, sorted last; the band filters on the
        # same joined row.
        households = households.annotate(
            year_income=FilteredRelation("incomes", condition=Q(incomes__year=year)),
            per_capita=F("year_income__per_capita_net_income"),
        )
        if filters.get("income_min") is not None:
            households = households.filter(per_capita__gte=filters["income_min"])
        if filters.get("income_max") is not None:
            households = households.filter(per_capita__lt=filters["income_max"])
    sort = filters.get("sort") or "household_no"
    if "per_capita" in sort and not year:
        sort = "household_no"
    if sort == "household_no":
        # The API's order: the (village, household number) index gives any area's page in
        # order (the last township's first page: 153 ms of SQL by household number, 0.15 ms).
        # Unique already, so no pk after it (which would only add an incremental sort).
        return households.in_list_order()
    if sort == "per_capita":
        order = F("per_capita").asc(nulls_last=True)
    elif sort == "-per_capita":
        order = F("per_capita").desc(nulls_last=True)
    else:
        order = sort
    return households.order_by(order, "pk")


def _people(members, q: str, by_id_number: bool):
    """The members a search finds: by ID number (exact; a legacy 15-digit one as the 18
    digits it is stored as), else by the name's beginning.

    An ID number is searched only `by_id_number`, for a role with the reveal right: for the
    others an exact search would confirm a full number guessed from its mask and the age in
    a few tries, unaudited (docs/security.md, "ID numbers"). Theirs finds nobody by it."""
    upper = q.upper()
    if len(upper) == 15 and upper.isdigit():
        upper = idnumbers.upgrade_15(upper)
    if upper[:17].isdigit() and len(upper) >= 15:
        return members.filter(id_number=upper) if by_id_number else members.none()
    return name_begins(members, q)


def latest_income_year(user) -> int | None:
    from fupin.registry.models import YearlyIncome

    return (
        YearlyIncome.objects.for_user(user).order_by("-year").values_list("year", flat=True).first()
    )
