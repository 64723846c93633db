"""The import's SQL side: a file's parsed rows in temporary tables, checked and written there.

`check_file` streams the file through Python once, parsing cells, and loads the parsed
households and members into two temporary tables (COPY on PostgreSQL, executemany on
SQLite). What needs the whole file or the database — ID numbers repeated in the file or
already in another household, villages and groups, stored heads — and the write itself are
then set-based statements over those tables, so an import's memory does not grow with the
file, and no Python loop walks a million stored rows.

The write is an upsert that touches only rows that differ from what is stored (so importing
the same file twice changes nothing), with one history row per change copied by
`INSERT … SELECT`, as django-simple-history would have written it for a form's save. The SQL
is the common part of SQLite (3.39+) and PostgreSQL; names come only from model metadata.
"""

import secrets
from collections.abc import Iterable

from django.db import DatabaseError, connection

from fupin.core.models import Area
from fupin.registry import choices as c
from fupin.registry import hooks
from fupin.registry.models import Household, Member, YearlyIncome

# Columns of the staging tables, after `row` (the spreadsheet row) and, for members, the
# household number. Each is typed as the model field it is written to, so that a value
# compares equal to what is stored exactly when it is the same value.
HOUSEHOLD_FIELDS = [
    "household_no",
    "village",
    "address",
    "phone",
    "status",
    "cancel_reason",
    "attribute",
    "year_registered",
    "year_exited",
    "poverty_cause",
    "dibao",
    "five_guarantee",
    "special_support",
    "military_family",
    "housing_grade",
    "housing_renovation",
    "water_quality",
    "water_quantity",
    "water_convenience",
    "water_reliability",
    "electricity",
    "road",
]
INCOME_FIELDS = [
    "year",
    "wage",
    "operating_income",
    "operating_costs",
    "property",
    "transfer_pension",
    "transfer_dibao",
    "transfer_subsidy",
    "transfer_other",
    "excluded_earmarked",
    "excluded_one_off",
]
MEMBER_FIELDS = [
    "relation",
    "name",
    "id_number",
    "ethnicity",
    "education",
    "schooling",
    "health",
    "disability_grade",
    "labour",
    "migrant_months",
    "migrant_place",
    "medical_insurance",
    "serious_illness_insurance",
    "pension_insurance",
    "party_member",
    "veteran",
    "college_student",
    "status",
    "departed_on",
    "sex",
    "birth_date",
]
# Household columns written as they are staged (the group is found from its name).
HOUSEHOLD_WRITTEN = [f for f in HOUSEHOLD_FIELDS if f not in {"household_no", "village"}]


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


def _type(model, name: str) -> str:
    return model._meta.get_field(name).db_type(connection)


def _same(left: str, right: str) -> str:
    return f"{left} IS NOT DISTINCT FROM {right}"


def _literal(value: str) -> str:
    """A choice value written into the SQL: statements that create tables take no
    parameters on every driver. Only our own identifiers pass."""
    assert value.isidentifier(), value
    return f"'{value}'"


class Staging:
    """The temporary tables of one import, on this connection, named for it alone."""

    def __init__(self):
        token = secrets.token_hex(4)
        self.households = f"fupin_import_{token}_h"
        self.members = f"fupin_import_{token}_m"
        self._temporary: list[str] = []

    # --- load -------------------------------------------------------------------------------

    def household_columns(self) -> list[str]:
        return [
            "row",
            *(_column(Household, f) for f in HOUSEHOLD_FIELDS),
            "group_name",
            *INCOME_FIELDS,
        ]

    def member_columns(self) -> list[str]:
        return ["row", "household_no", *MEMBER_FIELDS]

    def create(self) -> None:
        household = [
            ("row", "integer PRIMARY KEY"),
            *((_column(Household, f), _type(Household, f)) for f in HOUSEHOLD_FIELDS),
            ("group_name", _type(Area, "name")),  # a group is found by its name
            *((f, _type(YearlyIncome, f)) for f in INCOME_FIELDS),
        ]
        member = [
            ("row", "integer PRIMARY KEY"),
            ("household_no", _type(Household, "household_no")),
            *((f, _type(Member, f)) for f in MEMBER_FIELDS),
        ]
        with connection.cursor() as cursor:
            for table, columns in ((self.households, household), (self.members, member)):
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {q(table)} "
                    f"({', '.join(f'{q(name)} {kind}' for name, kind in columns)})"
                )
                self._temporary.append(table)

    def load(self, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
        names = ", ".join(map(q, columns))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {q(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {q(table)} ({names}) VALUES ({marks})", rows)

    def index(self) -> None:
        """Indexes for the checks and the write, built once the rows are in (cheaper)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE UNIQUE INDEX {q(self.households + '_no')} "
                f"ON {q(self.households)} ({q('household_no')})"
            )
            cursor.execute(
                f"CREATE INDEX {q(self.members + '_id')} ON {q(self.members)} ({q('id_number')})"
            )
            for table in (self.households, self.members):
                cursor.execute(f"ANALYZE {q(table)}")

    def drop(self) -> None:
        """Drop the tables; quietly if the transaction they were made in is already gone."""
        if connection.needs_rollback or not self._temporary:
            return
        try:
            with connection.cursor() as cursor:
                for table in reversed(self._temporary):
                    cursor.execute(f"DROP TABLE IF EXISTS {q(table)}")
        except DatabaseError:
            pass
        self._temporary = []

    def _select(self, sql: str, params=()) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # --- checks -----------------------------------------------------------------------------

    def repeated_ids(self) -> list[tuple[int, str, int]]:
        """(row, ID number, first row) for every repeat of an ID number within the file."""
        m = q(self.members)
        return self._select(
            f"SELECT s.row, s.id_number, f.first_row FROM {m} s JOIN "
            f"(SELECT id_number, MIN(row) AS first_row FROM {m} WHERE id_number IS NOT NULL "
            f"GROUP BY id_number HAVING COUNT(*) > 1) f ON f.id_number = s.id_number "
            f"WHERE s.row > f.first_row"
        )

    def ids_in_other_households(self) -> list[tuple[int, str, str, str]]:
        """(first row, ID number, other household's number, its village): a person the file
        puts in one household and the registry holds in another."""
        village = q(_column(Household, "village"))
        return self._select(
            f"SELECT MIN(s.row), s.id_number, h.household_no, h.{village} "
            f"FROM {q(self.members)} s "
            f"JOIN {q(Member._meta.db_table)} m ON m.id_number = s.id_number "
            f"JOIN {q(Household._meta.db_table)} h ON h.id = m.household_id "
            f"WHERE h.household_no <> s.household_no "
            f"GROUP BY s.id_number, h.household_no, h.{village}"
        )

    def households_stored_elsewhere(self) -> list[tuple[int, str, str]]:
        """(row, household number, stored village) of the file's households that the
        registry holds in another village than the file gives: the import would move them."""
        village = q(_column(Household, "village"))
        return self._select(
            f"SELECT s.row, s.household_no, h.{village} FROM {q(self.households)} s "
            f"JOIN {q(Household._meta.db_table)} h ON h.household_no = s.household_no "
            f"WHERE h.{village} <> s.{village}"
        )

    def stored_heads_not_in_file(self) -> list[tuple[int, str, str]]:
        """(household's first row, household number, head's name) where the registry's head
        of a household in the file is not among that household's rows, and the file gives
        the household a head (so it would have two)."""
        return self._select(
            f"SELECT sh.row, sh.household_no, m.name FROM {q(self.households)} sh "
            f"JOIN {q(Household._meta.db_table)} h ON h.household_no = sh.household_no "
            f"JOIN {q(Member._meta.db_table)} m ON m.household_id = h.id AND m.relation = %s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {q(self.members)} s "
            f"WHERE s.id_number = m.id_number AND s.household_no = sh.household_no) "
            # Uncorrelated: one pass over the staged members, not one per household.
            f"AND sh.household_no IN (SELECT s.household_no FROM {q(self.members)} s "
            f"WHERE s.relation = %s)",
            [c.Relation.HEAD, c.Relation.HEAD],
        )

    def village_codes(self) -> set[str]:
        village = q(_column(Household, "village"))
        rows = self._select(
            f"SELECT DISTINCT {village} FROM {q(self.households)} WHERE {village} IS NOT NULL"
        )
        return {code for (code,) in rows}

    def households_in_villages(self, codes) -> list[tuple[int, str]]:
        """(row, village code) of the households in the given villages."""
        village = q(_column(Household, "village"))
        found = []
        codes = sorted(codes)
        for start in range(0, len(codes), 500):
            chunk = codes[start : start + 500]
            found += self._select(
                f"SELECT row, {village} FROM {q(self.households)} "
                f"WHERE {village} IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
        return found

    def _group(self, alias: str) -> str:
        """The code of the household's group, found by name among its village's groups."""
        return (
            f"(SELECT MIN(a.code) FROM {q(Area._meta.db_table)} a "
            f"WHERE a.parent_id = {alias}.{q(_column(Household, 'village'))} "
            f"AND a.name = {alias}.group_name)"
        )

    def unknown_groups(self) -> list[tuple[int, str, str]]:
        """(row, group name, village code) of the households whose group is not found."""
        return self._select(
            f"SELECT s.row, s.group_name, s.{q(_column(Household, 'village'))} "
            f"FROM {q(self.households)} s "
            f"WHERE s.group_name <> '' AND {self._group('s')} IS NULL"
        )

    # --- write ------------------------------------------------------------------------------

    def _changes(self, name: str, columns: list[tuple[str, str]], select: str) -> str:
        """A temporary table of the rows to write: `row` (the staged row), `old_id` (None
        for a new row), …, keyed by row so that reading it in the file's order costs no
        sort."""
        table = f"{self.households[:-2]}_{name}"
        definition = ", ".join(f"{q(column)} {kind}" for column, kind in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {q(table)} (row integer PRIMARY KEY, {definition})"
            )
            self._temporary.append(table)
            cursor.execute(
                f"INSERT INTO {q(table)} (row, {', '.join(q(col) for col, _k in columns)}) {select}"
            )
        return table

    def _counts(self, changes: str) -> tuple[int, int]:
        """(created, updated) among the changed rows."""
        ((total, updated),) = self._select(f"SELECT COUNT(*), COUNT(old_id) FROM {q(changes)}")
        return total - updated, updated

    def lock(self) -> None:
        """Keep other writers out of the registry's tables until the import commits, so that
        the rows it creates are exactly those with ids above the ids before it (SQLite's
        write transaction already holds the whole database)."""
        if connection.vendor == "postgresql":
            tables = ", ".join(q(m._meta.db_table) for m in (Household, Member, YearlyIncome))
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")

    def write_households(self, *, when, user_id, reason) -> tuple[int, int]:
        table = q(Household._meta.db_table)
        s = q(self.households)
        village = _column(Household, "village")
        group = _column(Household, "group")
        same = " AND ".join(
            [
                *(_same(f"h.{q(f)}", f"s.{q(f)}") for f in HOUSEHOLD_WRITTEN),
                _same(f"h.{q(village)}", f"s.{q(village)}"),
                _same(f"h.{q(group)}", self._group("s")),
            ]
        )
        changes = self._changes(
            "hc",
            [("old_id", "bigint")],
            f"SELECT s.row, h.id FROM {s} s "
            f"LEFT JOIN {table} h ON h.household_no = s.household_no "
            f"WHERE h.id IS NULL OR NOT ({same})",
        )
        # The villages whose households this changes: each changed row's, and the one a
        # moved household leaves (fieldwork's stored figures of both are computed again).
        touched = self._select(
            f"SELECT s.{q(village)} FROM {q(changes)} c JOIN {s} s ON s.row = c.row "
            f"UNION SELECT h.{q(village)} FROM {q(changes)} c JOIN {table} h ON h.id = c.old_id"
        )
        columns = ["household_no", village, group, *HOUSEHOLD_WRITTEN, "updated_at"]
        values = [
            "s.household_no",
            f"s.{q(village)}",
            self._group("s"),
            *(f"s.{q(f)}" for f in HOUSEHOLD_WRITTEN),
            "%s",
        ]
        created_after = _last_id(Household)
        _upsert(
            table,
            columns,
            values,
            f"{q(changes)} c JOIN {s} s ON s.row = c.row",
            ["household_no"],
            [when],
        )
        _history(Household, changes, created_after, when=when, user_id=user_id, reason=reason)
        hooks.notify_households_changed(code for (code,) in touched)
        return self._counts(changes)

    def write_members(self, *, when, user_id, reason) -> tuple[int, int]:
        table = q(Member._meta.db_table)
        households = q(Household._meta.db_table)
        s = q(self.members)
        same = " AND ".join(
            ["m.household_id = h.id", *(_same(f"m.{q(f)}", f"s.{q(f)}") for f in MEMBER_FIELDS)]
        )
        head = _literal(c.Relation.HEAD)
        # A head who stops being head is written first (pass 0): the database allows one
        # head per household at every moment, and rows are written in order.
        changes = self._changes(
            "mc",
            [("old_id", "bigint"), ("pass", "integer")],
            f"SELECT s.row, m.id, "
            f"CASE WHEN m.relation = {head} AND s.relation <> {head} THEN 0 ELSE 1 END "
            f"FROM {s} s JOIN {households} h ON h.household_no = s.household_no "
            f"LEFT JOIN {table} m ON m.id_number = s.id_number "
            f"WHERE m.id IS NULL OR NOT ({same})",
        )
        source = (
            f"{q(changes)} c JOIN {s} s ON s.row = c.row "
            f"JOIN {households} h ON h.household_no = s.household_no"
        )
        created_after = _last_id(Member)
        for step in (0, 1):
            _upsert(
                table,
                [*MEMBER_FIELDS, "household_id"],
                [*(f"s.{q(f)}" for f in MEMBER_FIELDS), "h.id"],
                f"{source} WHERE c.pass = {step}",
                ["id_number"],
            )
        _history(Member, changes, created_after, when=when, user_id=user_id, reason=reason)
        return self._counts(changes)

    def write_incomes(self, *, when, user_id, reason) -> tuple[int, int]:
        """Each household's income of the file's year, divided among its present members
        as now stored (which includes members the file did not list)."""
        table = q(YearlyIncome._meta.db_table)
        households = q(Household._meta.db_table)
        parts = INCOME_FIELDS[1:]
        present = (
            f"(SELECT COUNT(*) FROM {q(Member._meta.db_table)} pm "
            f"WHERE pm.household_id = h.id AND pm.status = {_literal(c.MemberStatus.PRESENT)})"
        )
        same = " AND ".join(
            ["i.members = x.members", *(_same(f"i.{q(f)}", f"x.{q(f)}") for f in parts)]
        )
        changes = self._changes(
            "ic",
            [
                ("household_id", "bigint"),
                ("year", _type(YearlyIncome, "year")),
                ("members", _type(YearlyIncome, "members")),
                ("old_id", "bigint"),
            ],
            f"SELECT x.row, x.household_id, x.year, x.members, i.id FROM "
            f"(SELECT s.row AS row, h.id AS household_id, s.year AS year, "
            f"{', '.join(f's.{q(f)}' for f in parts)}, "
            f"CASE WHEN {present} > 0 THEN {present} ELSE 1 END AS members "
            f"FROM {q(self.households)} s JOIN {households} h "
            f"ON h.household_no = s.household_no WHERE s.year IS NOT NULL) x "
            f"LEFT JOIN {table} i ON i.household_id = x.household_id AND i.year = x.year "
            f"WHERE i.id IS NULL OR NOT ({same})",
        )
        created_after = _last_id(YearlyIncome)
        _upsert(
            table,
            ["household_id", "year", "members", *parts],
            ["c.household_id", "c.year", "c.members", *(f"s.{q(f)}" for f in parts)],
            f"{q(changes)} c JOIN {q(self.households)} s ON s.row = c.row",
            ["household_id", "year"],
        )
        _history(YearlyIncome, changes, created_after, when=when, user_id=user_id, reason=reason)
        return self._counts(changes)


def _upsert(table, columns, values, source, unique, params=()) -> None:
    """INSERT … SELECT … ON CONFLICT DO UPDATE, the same statement on both databases. Rows
    go in the file's order (`c.row`), so new rows' ids follow it as a form's saves would."""
    updates = [col for col in columns if col not in unique]
    where = "" if " WHERE " in source else " WHERE 1 = 1"  # SQLite needs a WHERE before ON
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(map(q, columns))}) "
            f"SELECT {', '.join(values)} FROM {source}{where} ORDER BY c.row "
            f"ON CONFLICT ({', '.join(map(q, unique))}) DO UPDATE SET "
            + ", ".join(f"{q(col)} = excluded.{q(col)}" for col in updates),
            list(params),
        )


def refresh_statistics(changed: dict) -> list[str]:
    """ANALYZE each table (model → rows the import wrote) that the import changed by a tenth
    or more. The planner would otherwise plan the household list on the table as it was:
    after a first county import PostgreSQL expected 216 households of a status for 69,064,
    and sorted them all (250 ms, 115 ms once analysed); autovacuum would analyse minutes
    later, or never where it is off. SQLite has no automatic ANALYZE at all. Returns the
    tables analysed."""
    analysed = []
    with connection.cursor() as cursor:
        for model, rows in changed.items():
            if not rows:
                continue
            table = q(model._meta.db_table)
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            if rows * 10 >= cursor.fetchone()[0]:
                cursor.execute(f"ANALYZE {table}")
                analysed.append(table)
    return analysed


def vacuum(tables: list[str]) -> None:
    """On PostgreSQL, VACUUM the tables once the import has committed (it cannot run in a
    transaction, so not when the caller holds one): it marks their pages all-visible, which
    lets the list's counts read the indexes alone — at a million persons the unfiltered
    count went from 56 to 23 ms, and the income band's from 132 to 51 ms. Autovacuum would
    do it later, or never where it is off. Half a second after a first county import."""
    if not tables or connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {', '.join(tables)}")


def _last_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {q(model._meta.db_table)}")
        return cursor.fetchone()[0]


def history_columns(model) -> list[str]:
    """The columns a model's history table copies from the model's own table."""
    history = model.history.model
    own = {f.column for f in model._meta.concrete_fields if not f.generated}
    return [f.column for f in history._meta.concrete_fields if f.column in own]


def copy_history(model, where: str, params, *, kind: str, when, user_id, reason: str) -> None:
    """One history row per row of `model` matching `where` (an SQL condition on alias r), as
    the row is now — what simple-history writes for a save, for many rows in one statement.
    Used by the set-based writes outside the import (procedures' batches, status changes)."""
    columns = history_columns(model)
    names = ", ".join(map(q, columns))
    copied = ", ".join(f"r.{q(col)}" for col in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(model.history.model._meta.db_table)} ({names}, history_date, "
            f"history_change_reason, history_type, history_user_id) "
            f"SELECT {copied}, %s, %s, %s, %s FROM {q(model._meta.db_table)} r "
            f"WHERE {where} ORDER BY r.id",
            [connection.ops.adapt_datetimefield_value(when), reason, kind, user_id, *params],
        )


def _history(model, changes: str, created_after: int, *, when, user_id, reason) -> None:
    """One history row per written row, as simple-history records a save: '+' for the rows
    created (ids above `created_after`: one range scan, where looking each up by its key
    would double the cost), '~' for those changed (their old ids)."""
    columns = history_columns(model)
    insert = (
        f"INSERT INTO {q(model.history.model._meta.db_table)} "
        f"({', '.join(map(q, columns))}, history_date, history_change_reason, "
        f"history_type, history_user_id) "
        f"SELECT {', '.join(f'r.{q(col)}' for col in columns)}, %s, %s, %s, %s "
    )
    stamp = [connection.ops.adapt_datetimefield_value(when), reason]
    table = q(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{insert} FROM {table} r WHERE r.id > %s ORDER BY r.id",
            [*stamp, "+", user_id, created_after],
        )
        cursor.execute(
            f"{insert} FROM {q(changes)} c JOIN {table} r ON r.id = c.old_id ORDER BY c.row",
            [*stamp, "~", user_id],
        )
