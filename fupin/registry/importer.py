"""Registry import: parse and check the whole file, then write all of it or nothing.

Two phases, so that a file with any error writes nothing:
1. `check_file` streams the rows once, parses each cell, groups rows by household and checks
   everything that can be checked in the file and against the database (villages in the
   user's area, ID numbers already in other households, heads). It returns an ImportPlan
   with the households to write, or the errors, each with row, column, value and reason.
2. `write_plan` upserts by household number, ID number and (household, year) in one
   transaction, writing only rows that differ from what is stored — so importing the same
   file twice changes nothing — and records history rows for every change.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone, translation

from fupin import idnumbers
from fupin.areacodes import Level
from fupin.core.models import Area
from fupin.registry import choices as c
from fupin.registry.bulk import record_history, upsert
from fupin.registry.errors import message
from fupin.registry.excel import looks_like_formula
from fupin.registry.models import Household, Member, YearlyIncome
from fupin.registry.reading import ImportFileError, read_table
from fupin.registry.template import (
    BLANK_DEFAULTS,
    COLUMNS,
    FALSE_WORDS,
    HOUSEHOLD_COLUMNS,
    INCOME_COLUMNS,
    MEMBER_COLUMNS,
    TRUE_WORDS,
    Column,
)

# Money columns hold 12 digits with 2 decimals: a yuan amount below 10^10.
MAX_AMOUNT = Decimal("10000000000")
MAX_AMOUNT_WORDS = "100亿"
# Columns whose values are nearly all different: parsing them once each is not worth a memo.
NOT_MEMOISED = {"household_no", "name", "id_number", "address", "phone", "departed_on"}
BATCH = 2000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # a column key, or "" for the whole row/household
    value: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return message(self.code, self.params)


@dataclass
class ParsedHousehold:
    first_row: int
    raw: tuple  # the household columns as written, to compare the household's other rows
    values: dict
    income_raw: tuple
    income: dict | None
    members: list = field(default_factory=list)  # (row, values)


@dataclass
class ImportPlan:
    households: dict[str, ParsedHousehold]
    errors: list[RowError]
    rows: int
    digest: str

    persons: int = 0


@dataclass
class ImportSummary:
    households_created: int = 0
    households_updated: int = 0
    members_created: int = 0
    members_updated: int = 0
    incomes_created: int = 0
    incomes_updated: int = 0

    @property
    def changed(self) -> int:
        return sum(vars(self).values())


class ImportRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


# --- cell parsing ---------------------------------------------------------------------------


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(label).lower()] = value
    return lookup


_CHOICE_LOOKUPS: dict = {}


def choice_lookup(choices) -> dict[str, str]:
    if choices not in _CHOICE_LOOKUPS:
        _CHOICE_LOOKUPS[choices] = _choice_lookup(choices)
    return _CHOICE_LOOKUPS[choices]


class CellError(Exception):
    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def parse_cell(column: Column, raw: str, today: datetime.date):
    """The typed value of one cell, or CellError."""
    if raw == "":
        if column.required:
            raise CellError("required")
        return BLANK_DEFAULTS.get(column.key, _blank(column))
    kind = column.kind
    if kind == "text":
        # The same shapes the export neutralises: what is refused here never needs it.
        if looks_like_formula(raw):
            raise CellError("formula_like")
        if column.max_length and len(raw) > column.max_length:
            raise CellError("too_long", max=column.max_length)
        return raw
    if kind == "choice":
        value = choice_lookup(column.choices).get(raw.lower())
        if value is None:
            allowed = "、".join(str(label) for _value, label in column.choices.choices)
            raise CellError("bad_choice", allowed=allowed)
        return value
    if kind == "bool":
        word = raw.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise CellError("bad_bool")
    if kind == "money":
        try:
            amount = Decimal(raw.replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise CellError("not_a_number") from None
        if not amount.is_finite():
            raise CellError("not_a_number")
        if amount < 0:
            raise CellError("negative")
        if amount >= MAX_AMOUNT:
            raise CellError("amount_too_large", max=MAX_AMOUNT_WORDS)
        return amount.quantize(Decimal("0.01"))
    if kind == "int":
        try:
            number = int(raw)
        except ValueError:
            raise CellError("not_a_whole_number") from None
        if column.key in {"year_registered", "year_exited", "income_year"}:
            if not 1949 <= number <= today.year:
                raise CellError("not_a_year", max=today.year)
        elif column.key == "disability_grade" and not 1 <= number <= 4:
            raise CellError("out_of_range", low=1, high=4)
        elif column.key == "migrant_months" and not 0 <= number <= 12:
            raise CellError("out_of_range", low=0, high=12)
        return number
    if kind == "date":
        try:
            return datetime.date.fromisoformat(raw.replace("/", "-")[:10])
        except ValueError:
            raise CellError("bad_date") from None
    if kind == "id_number":
        try:
            return idnumbers.normalize(raw, today=today)
        except idnumbers.IdNumberError as error:
            raise CellError(f"id_{error.code}") from None
    if kind == "area":
        if not (len(raw) == 12 and raw.isdigit()):
            raise CellError("unknown_village")
        return raw
    raise AssertionError(kind)


def _blank(column: Column):
    return {"money": Decimal("0.00"), "bool": False}.get(
        column.kind, None if column.kind in {"int", "date"} else ""
    )


# --- phase 1: check -------------------------------------------------------------------------


def column_index(header: list[str]) -> dict[str, int]:
    """Which position holds each column; keys, Chinese headers and English labels all work."""
    names = {}
    for column in COLUMNS:
        for name in (column.key, column.header, column.label):
            names[name.strip().lower()] = column.key
    found = {}
    for position, cell in enumerate(header):
        key = names.get(cell.strip().lower())
        if key and key not in found:
            found[key] = position
    return found


def check_file(path: Path, *, user, today: datetime.date | None = None, progress=None):
    """Parse and check `path`. ImportFileError for an unreadable file; else an ImportPlan
    whose `errors` say what is wrong (an empty list: the plan can be written)."""
    today = today or datetime.date.today()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    table = read_table(path)
    positions = column_index(table.header)
    missing = [col.header for col in COLUMNS if col.required and col.key not in positions]
    if missing:
        raise ImportFileError("missing_columns", columns="、".join(missing))

    # Cells are picked by position; an absent column reads the empty cell added at `width`.
    width = len(table.header)

    def getter(columns):
        return [(col, positions.get(col.key, width)) for col in columns]

    household_cols = getter(HOUSEHOLD_COLUMNS)
    income_cols = getter(INCOME_COLUMNS)
    member_cols = getter(MEMBER_COLUMNS)
    pick_household = itemgetter(*(i for _c, i in household_cols))
    pick_income = itemgetter(*(i for _c, i in income_cols))
    pick_member = itemgetter(*(i for _c, i in member_cols))
    errors: list[RowError] = []
    households: dict[str, ParsedHousehold] = {}
    first_row_of_id: dict[str, int] = {}
    rows = 0
    # Most columns repeat a handful of values (是/否, codes, years): parse each value once.
    memo: dict[str, dict] = {
        col.key: {} for col in COLUMNS if col.key not in NOT_MEMOISED and col.kind != "money"
    }

    def parse_part(number, raws, cols):
        values = {}
        for (column, _i), raw in zip(cols, raws, strict=True):
            cache = memo.get(column.key)
            if cache is not None and raw in cache:
                outcome = cache[raw]
            else:
                try:
                    outcome = (True, parse_cell(column, raw, today))
                except CellError as error:
                    outcome = (False, error)
                if cache is not None:
                    cache[raw] = outcome
            if outcome[0]:
                values[column.key] = outcome[1]
            else:
                error = outcome[1]
                errors.append(RowError(number, column.key, raw, error.code, error.params))
        return values

    padding = [""]
    for number, cells in table.rows:
        rows += 1
        if progress and rows % 50000 == 0:
            progress(rows)
        if len(cells) != width:
            cells = (cells + [""] * width)[:width]
        cells += padding
        household_raw = pick_household(cells)
        household_no = household_raw[0]
        parsed = households.get(household_no) if household_no else None
        income_raw = pick_income(cells)
        if parsed is None:
            values = parse_part(number, household_raw, household_cols)
            _check_household(number, values, errors)
            income = parse_part(number, income_raw, income_cols)
            if income.get("income_year") is None and any(income_raw[1:]):
                errors.append(RowError(number, "income_year", "", "income_year_required"))
            parsed = ParsedHousehold(
                number,
                household_raw,
                values,
                income_raw,
                income if income.get("income_year") is not None else None,
            )
            if household_no:
                households[household_no] = parsed
        else:
            if household_raw != parsed.raw:
                # Report the first column that differs from the household's first row.
                position = next(
                    i
                    for i, (a, b) in enumerate(zip(household_raw, parsed.raw, strict=True))
                    if a != b
                )
                column = household_cols[position][0]
                errors.append(
                    RowError(
                        number,
                        column.key,
                        household_raw[position],
                        "household_conflict",
                        {"first_row": parsed.first_row, "column": column.header},
                    )
                )
            if income_raw != parsed.income_raw:
                errors.append(
                    RowError(
                        number,
                        "income_year",
                        income_raw[0],
                        "income_conflict",
                        {"first_row": parsed.first_row},
                    )
                )
        member = parse_part(number, pick_member(cells), member_cols)
        _check_member(number, member, errors)
        id_number = member.get("id_number")
        if id_number:
            if id_number in first_row_of_id:
                errors.append(
                    RowError(
                        number,
                        "id_number",
                        id_number,
                        "duplicate_id",
                        {"first_row": first_row_of_id[id_number]},
                    )
                )
            else:
                first_row_of_id[id_number] = number
        parsed.members.append((number, member))

    _check_heads(households, errors)
    _check_areas(households, user, errors)
    _check_against_database(households, errors)
    errors.sort(key=lambda e: (e.row, e.column))
    return ImportPlan(households, errors, rows, digest, persons=rows)


def _check_household(number, values, errors):
    status = values.get("status")
    if status == c.Status.CANCELLED and not values.get("cancel_reason"):
        errors.append(RowError(number, "cancel_reason", "", "cancel_reason_required"))
    if status and status != c.Status.CANCELLED and values.get("cancel_reason"):
        errors.append(
            RowError(number, "cancel_reason", values["cancel_reason"], "cancel_reason_unexpected")
        )
    if status == c.Status.REGISTERED and values.get("year_registered") is None:
        errors.append(RowError(number, "year_registered", "", "year_registered_required"))
    if status == c.Status.EXITED and values.get("year_exited") is None:
        errors.append(RowError(number, "year_exited", "", "year_exited_required"))
    registered, exited = values.get("year_registered"), values.get("year_exited")
    if registered and exited and exited < registered:
        errors.append(RowError(number, "year_exited", str(exited), "exit_before_registration"))


def _check_member(number, values, errors):
    status, departed = values.get("member_status"), values.get("departed_on")
    if status and status != c.MemberStatus.PRESENT and departed is None:
        errors.append(RowError(number, "departed_on", "", "departed_date_required"))
    if status == c.MemberStatus.PRESENT and departed is not None:
        errors.append(RowError(number, "departed_on", str(departed), "departed_date_unexpected"))


def _check_heads(households, errors):
    for household_no, parsed in households.items():
        heads = [row for row, m in parsed.members if m.get("relation") == c.Relation.HEAD]
        present_heads = [
            row
            for row, m in parsed.members
            if m.get("relation") == c.Relation.HEAD
            and m.get("member_status") == c.MemberStatus.PRESENT
        ]
        if len(heads) > 1:
            errors.append(
                RowError(
                    heads[1],
                    "relation",
                    "",
                    "two_heads",
                    {"household_no": household_no, "rows": "、".join(map(str, heads))},
                )
            )
        elif not present_heads and all(m.get("relation") for _r, m in parsed.members):
            errors.append(
                RowError(
                    parsed.first_row, "relation", "", "no_head", {"household_no": household_no}
                )
            )


def _check_areas(households, user, errors):
    codes = {p.values.get("village_code") for p in households.values()} - {None, ""}
    villages = set(
        Area.objects.filter(code__in=codes, level=Level.VILLAGE).values_list("code", flat=True)
    )
    allowed = set(
        Area.objects.for_user(user).filter(code__in=villages).values_list("code", flat=True)
    )
    groups = defaultdict(dict)
    for code, name, parent in Area.objects.filter(parent__in=allowed).values_list(
        "code", "name", "parent_id"
    ):
        groups[parent][name] = code
    for parsed in households.values():
        code = parsed.values.get("village_code")
        if not code:
            continue
        if code not in villages:
            errors.append(RowError(parsed.first_row, "village_code", code, "unknown_village"))
        elif code not in allowed:
            errors.append(RowError(parsed.first_row, "village_code", code, "village_outside_area"))
        else:
            group = parsed.values.get("group")
            if group:
                group_code = groups[code].get(group)
                if group_code is None:
                    errors.append(RowError(parsed.first_row, "group", group, "unknown_group"))
                parsed.values["group_code"] = group_code
            else:
                parsed.values["group_code"] = None


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_against_database(households, errors):
    """ID numbers already in another household, and heads stored but missing from the file.

    The file's (ID number, household number) pairs go into a temporary table and two joins
    answer both questions: two statements, whatever the size of the file.
    """
    row_of, household_of = {}, {}
    for household_no, parsed in households.items():
        for row, member in parsed.members:
            number = member.get("id_number")
            if number and number not in row_of:  # a repeat is already a duplicate_id error
                row_of[number] = row
                household_of[number] = household_no
    pairs = list(household_of.items())
    member_table = Member._meta.db_table
    household_table = Household._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE fupin_import_ids "
            "(id_number varchar(18) PRIMARY KEY, household_no varchar(32) NOT NULL)"
        )
        try:
            for chunk in _chunks(pairs, 20000):
                cursor.executemany("INSERT INTO fupin_import_ids VALUES (%s, %s)", chunk)
            cursor.execute(
                f"SELECT t.id_number, h.household_no FROM fupin_import_ids t "
                f"JOIN {member_table} m ON m.id_number = t.id_number "
                f"JOIN {household_table} h ON h.id = m.household_id "
                f"WHERE h.household_no <> t.household_no"
            )
            for id_number, other in cursor.fetchall():
                errors.append(
                    RowError(
                        row_of[id_number],
                        "id_number",
                        id_number,
                        "id_in_other_household",
                        {"other": other},
                    )
                )
            cursor.execute(
                f"SELECT h.household_no, m.id_number, m.name FROM {household_table} h "
                f"JOIN {member_table} m ON m.household_id = h.id "
                f"WHERE m.relation = 'head' AND h.household_no IN "
                f"(SELECT household_no FROM fupin_import_ids)"
            )
            stored_heads = cursor.fetchall()
        finally:
            cursor.execute("DROP TABLE fupin_import_ids")
    for household_no, id_number, name in stored_heads:
        parsed = households[household_no]
        in_file = {m.get("id_number") for _r, m in parsed.members}
        has_head = any(m.get("relation") == c.Relation.HEAD for _r, m in parsed.members)
        if id_number not in in_file and has_head:
            errors.append(
                RowError(
                    parsed.first_row,
                    "relation",
                    "",
                    "head_not_in_file",
                    {"household_no": household_no, "name": name},
                )
            )


# --- phase 2: write -------------------------------------------------------------------------

HOUSEHOLD_FIELDS = [
    col.model_field for col in HOUSEHOLD_COLUMNS if col.key not in {"village_code", "group"}
]
MEMBER_FIELDS = [col.model_field for col in MEMBER_COLUMNS] + ["sex", "birth_date"]
INCOME_FIELDS = [col.model_field for col in INCOME_COLUMNS] + ["members"]


def _household_values(parsed: ParsedHousehold) -> dict:
    values = {
        col.model_field: parsed.values.get(col.key)
        for col in HOUSEHOLD_COLUMNS
        if col.key not in {"village_code", "group"}
    }
    values["village_id"] = parsed.values["village_code"]
    values["group_id"] = parsed.values.get("group_code")
    for name in (
        "cancel_reason",
        "attribute",
        "poverty_cause",
        "housing_grade",
        "water_quality",
        "water_quantity",
        "water_convenience",
        "water_reliability",
    ):
        values[name] = values[name] or ""
    return values


def _member_values(member: dict, household_id: int) -> dict:
    values = {col.model_field: member.get(col.key) for col in MEMBER_COLUMNS}
    values["labour"] = values["labour"] or ""
    values["education"] = values["education"] or ""
    values["sex"] = idnumbers.sex_of(values["id_number"])
    values["birth_date"] = idnumbers.birth_date_of(values["id_number"])
    values["household_id"] = household_id
    return values


def _differs(stored: dict, wanted: dict) -> bool:
    return any(stored.get(key) != value for key, value in wanted.items())


def _stored(queryset, key: str, wanted: dict, fields) -> dict:
    """What is stored for the wanted keys: {key: {column: value}}.

    The queryset covers the file's villages: one scan of them is much cheaper than
    thousands of key lookups, and whatever it finds beyond the file is ignored.
    """
    return {
        row[key]: row
        for row in queryset.values("id", *fields).iterator(chunk_size=20000)
        if row[key] in wanted
    }


def _ids(queryset, key: str, keys) -> dict:
    keys = set(keys)
    if not keys:
        return {}
    return {
        k: pk for k, pk in queryset.values_list(key, "id").iterator(chunk_size=20000) if k in keys
    }


def _write(model, wanted: dict, stored: dict, key, *, user, reason, order=None, stamp=None):
    """Upsert the wanted rows that differ from what is stored (adding `stamp` to them)."""
    changed = {k: v for k, v in wanted.items() if k not in stored or _differs(stored[k], v)}
    created = [k for k in changed if k not in stored]
    rows = [{**v, **stamp} for v in changed.values()] if stamp else list(changed.values())
    if order:
        rows.sort(key=order)
    upsert(model, rows, [key] if isinstance(key, str) else list(key))
    return changed, created


@transaction.atomic
def write_plan(plan: ImportPlan, *, user, progress=None) -> ImportSummary:
    if plan.errors:
        raise ImportRefused(plan.errors)
    summary = ImportSummary()
    reason = f"import {plan.digest[:12]}"
    now = timezone.now()

    households = {no: _household_values(p) for no, p in plan.households.items()}
    fields = list(next(iter(households.values())))
    villages = {values["village_id"] for values in households.values()}
    in_villages = Household.objects.filter(village__in=villages)
    stored = _stored(in_villages, "household_no", households, fields)
    changed, created = _write(
        Household,
        households,
        stored,
        "household_no",
        user=user,
        reason=reason,
        stamp={"updated_at": now},
    )
    ids = {no: row["id"] for no, row in stored.items()}
    ids.update(_ids(in_villages, "household_no", created))
    _history(
        Household,
        [ids[no] for no in created],
        [ids[no] for no in changed if no in stored],
        user,
        reason,
    )
    summary.households_created = len(created)
    summary.households_updated = len(changed) - len(created)
    if progress:
        progress("households")

    members = {}
    for no, parsed in plan.households.items():
        for _row, member in parsed.members:
            members[member["id_number"]] = _member_values(member, ids[no])
        # The parsed rows are not needed again: letting them go halves the peak memory of a
        # county-sized import (a plan is written once).
        parsed.members = []
    fields = list(next(iter(members.values())))
    # A file's ID number stored anywhere else was refused by check_file: scanning the
    # members of the file's villages finds every one that is stored.
    members_in_villages = Member.objects.filter(household__village__in=villages)
    stored = _stored(members_in_villages, "id_number", members, fields)
    # A head who stops being head goes first: the database allows one head per household
    # at every moment, and statements run in order.
    changed, created = _write(
        Member,
        members,
        stored,
        "id_number",
        user=user,
        reason=reason,
        order=lambda m: (
            0
            if stored.get(m["id_number"], {}).get("relation") == "head" and m["relation"] != "head"
            else 1
        ),
    )
    member_ids = {n: row["id"] for n, row in stored.items()}
    member_ids.update(_ids(members_in_villages, "id_number", created))
    _history(
        Member,
        [member_ids[n] for n in created],
        [member_ids[n] for n in changed if n in stored],
        user,
        reason,
    )
    summary.members_created = len(created)
    summary.members_updated = len(changed) - len(created)
    if progress:
        progress("members")

    incomes = {}
    # An income is divided among the household's present members as now stored, which
    # includes members the file did not list.
    present = dict(
        members_in_villages.filter(status=c.MemberStatus.PRESENT)
        .values("household_id")
        .annotate(n=Count("id"))
        .values_list("household_id", "n")
    )
    for no, parsed in plan.households.items():
        if parsed.income is None:
            continue
        values = {col.model_field: parsed.income[col.key] for col in INCOME_COLUMNS}
        values["members"] = max(present.get(ids[no], 0), 1)
        values["household_id"] = ids[no]
        incomes[(ids[no], values["year"])] = values
    if incomes:
        fields = list(next(iter(incomes.values())))
        years = {year for _h, year in incomes}
        incomes_in_villages = YearlyIncome.objects.filter(
            household__village__in=villages, year__in=years
        )
        stored = {
            (row["household_id"], row["year"]): row
            for row in incomes_in_villages.values("id", *fields).iterator(chunk_size=20000)
        }
        changed, created = _write(
            YearlyIncome, incomes, stored, ("household_id", "year"), user=user, reason=reason
        )
        income_ids = {k: row["id"] for k, row in stored.items()}
        if created:
            for pk, household_id, year in incomes_in_villages.values_list(
                "id", "household_id", "year"
            ).iterator(chunk_size=20000):
                income_ids[(household_id, year)] = pk
        _history(
            YearlyIncome,
            [income_ids[k] for k in created],
            [income_ids[k] for k in changed if k in stored],
            user,
            reason,
        )
        summary.incomes_created = len(created)
        summary.incomes_updated = len(changed) - len(created)
    return summary


def _history(model, created_ids, updated_ids, user, reason):
    record_history(model, created_ids, history_type="+", user=user, reason=reason)
    record_history(model, updated_ids, history_type="~", user=user, reason=reason)
