"""Exclusion lists from other departments (vehicle owners, state-paid staff, business owners,
commercial-housing buyers), imported by resident ID number.

`check_exclusions` reads a .csv or .xlsx file whole and returns a plan: the entries, merged
by (list, ID number), or the errors of every bad row. `write_exclusions` writes a plan
without errors in one transaction, set-based: one query reads what is stored of the lists in
the file, then one statement inserts, one updates and a few delete, with their history rows
('+', '~', '-') copied by INSERT … SELECT as in the registry import (`staging.py`) — nothing
is queried a row at a time: a list of 100,000 entries is written in a few seconds.

A department's list is a snapshot: with `replace`, entries of the file's lists that the file
no longer names are deleted. Without it, entries are only added and updated.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.text import capfirst

from fupin.core.import_errors import RowErrors
from fupin.core.reading import ImportFileError, read_table
from fupin.core.text import code_point, control_character
from fupin.idnumbers import IdNumberError, normalize
from fupin.registry.errors import RowError
from fupin.registry.models import ExclusionEntry, ExclusionImport

Kind = ExclusionEntry.Kind

# The columns: English key or Chinese header, in either case of the key.
HEADERS = {"kind": "名单类别", "id_number": "身份证号码", "source": "来源部门", "detail": "说明"}
MAX_LENGTH = {key: ExclusionEntry._meta.get_field(key).max_length for key in ("source", "detail")}
BATCH = 1000  # rows per bulk statement (SQLite allows 32,766 parameters in one)


@dataclass
class ExclusionPlan:
    rows: int = 0
    # (kind, ID number) -> (source, detail): rows naming the same person twice are one entry
    entries: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # the lists the file is about: its rows' kinds, or the kind chosen for the whole file
    kinds: set[str] = field(default_factory=set)
    errors: list[RowError] = field(default_factory=RowErrors)

    def by_kind(self) -> Counter:
        return Counter(kind for kind, _number in self.entries)


@dataclass
class ExclusionSummary:
    rows: int = 0
    entries: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    # kind -> {"entries": …, "created": …, "updated": …, "deleted": …}
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)


def column_title(key: str) -> str:
    """A column as the reader of a report knows it: its Chinese header, or the field's
    English name when English is the active language."""
    if not key:
        return ""
    if (translation.get_language() or "").startswith("en"):
        return capfirst(ExclusionEntry._meta.get_field(key).verbose_name)
    return HEADERS[key]


def kind_label(kind: str) -> str:
    return str(Kind(kind).label)


def _kind_lookup() -> dict[str, str]:
    """Each list by its value, Chinese label and English label, in lower case."""
    table = {}
    for value, label in Kind.choices:
        table[value] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                table[str(label).strip().lower()] = value
    return table


def _positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        for key, chinese in HEADERS.items():
            if name.strip().lower() == key or name.strip() == chinese:
                positions.setdefault(key, index)
    return positions


def check_exclusions(
    path: Path,
    *,
    kind: str | None = None,
    source: str = "",
    today: datetime.date | None = None,
    progress=None,
) -> ExclusionPlan:
    """Read and check a list file. A file that cannot be read at all raises ImportFileError;
    bad rows come back as the plan's errors (and then the plan has no entries)."""
    if kind and kind not in Kind.values:
        raise ValueError(f"unknown exclusion list {kind!r}")
    table = read_table(path)
    positions = _positions(table.header)
    if "id_number" not in positions:
        raise ImportFileError("missing_columns", columns=HEADERS["id_number"])
    if "kind" not in positions and not kind:
        raise ImportFileError("kind_missing")
    lookup = _kind_lookup()
    allowed = "、".join(str(label) for label in Kind.labels)
    chosen = kind_label(kind) if kind else ""
    default_source = source.strip()
    today = today or datetime.date.today()
    plan = ExclusionPlan(kinds={kind} if kind else set())
    entries, errors = plan.entries, plan.errors
    id_at, kind_at = positions["id_number"], positions.get("kind")
    source_at, detail_at = positions.get("source"), positions.get("detail")

    def cell(cells, index):
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for number, cells in table.rows:
        if errors.full:
            break  # nothing will be written: the rest of the file is not read
        plan.rows += 1
        if progress and plan.rows % 5000 == 0:
            progress(plan.rows)
        row_kind = kind
        raw_kind = cell(cells, kind_at)
        if raw_kind:
            row_kind = lookup.get(raw_kind.lower())
            if row_kind is None:
                errors.append(
                    RowError(number, "kind", raw_kind, "unknown_kind", {"allowed": allowed})
                )
            elif kind and row_kind != kind:
                errors.append(
                    RowError(number, "kind", raw_kind, "kind_conflict", {"chosen": chosen})
                )
        elif not kind:
            errors.append(RowError(number, "kind", "", "required"))
        raw_id = cell(cells, id_at)
        id_number = ""
        if not raw_id:
            errors.append(RowError(number, "id_number", "", "required"))
        else:
            try:
                id_number = normalize(raw_id, today=today)
            except IdNumberError as error:
                errors.append(RowError(number, "id_number", raw_id, f"id_{error.code}"))
        values = {
            "source": cell(cells, source_at) or default_source,
            "detail": cell(cells, detail_at),
        }
        for key, value in values.items():
            if char := control_character(value):
                errors.append(
                    RowError(number, key, value, "control_character", {"char": code_point(char)})
                )
            elif len(value) > MAX_LENGTH[key]:
                errors.append(RowError(number, key, value, "too_long", {"max": MAX_LENGTH[key]}))
        if errors:
            continue  # once a row is bad nothing will be written: only errors are collected
        key = (row_kind, id_number)
        stored = entries.get(key)
        if stored is None:
            entries[key] = (values["source"], values["detail"])
            plan.kinds.add(row_kind)
        else:  # the same person twice on one list: one entry, blanks filled from later rows
            entries[key] = (stored[0] or values["source"], stored[1] or values["detail"])
    if errors:
        entries.clear()
    return plan


def write_exclusions(
    plan: ExclusionPlan, *, user=None, replace: bool = False, file_name: str = ""
) -> ExclusionSummary:
    """Write a checked plan: insert the new entries, update the changed ones and, with
    `replace`, delete the entries of the plan's lists that it no longer names."""
    if plan.errors:
        raise ValueError("a plan with errors cannot be written")
    now = timezone.now()
    reason = f"exclusion list import{' (replace)' if replace else ''}: {file_name}"[:200]
    summary = ExclusionSummary(rows=plan.rows, entries=len(plan.entries))
    created, updated, deleted = Counter(), Counter(), Counter()
    with transaction.atomic():
        # What is stored of the file's lists, in one query: the rest is set arithmetic.
        stored = {
            (kind, number): (pk, source, detail)
            for pk, kind, number, source, detail in ExclusionEntry.objects.filter(
                kind__in=plan.kinds
            )
            .values_list("pk", "kind", "id_number", "source", "detail")
            .iterator(chunk_size=10_000)
        }
        to_create, to_update = [], []
        for (kind, number), (source, detail) in plan.entries.items():
            old = stored.get((kind, number))
            if old is None:
                to_create.append((kind, number, source, detail))
                created[kind] += 1
            elif (old[1], old[2]) != (source, detail):
                to_update.append((source, detail, old[0]))
                updated[kind] += 1
        to_delete = []
        if replace:
            to_delete = [old[0] for key, old in stored.items() if key not in plan.entries]
            deleted.update(kind for kind, number in stored if (kind, number) not in plan.entries)
        _write(to_create, to_update, to_delete, when=now, user=user, reason=reason)
        ExclusionImport.objects.bulk_create(
            ExclusionImport(
                kind=kind,
                imported_at=now,
                imported_by=user,
                file_name=file_name[:200],
                entries=plan.by_kind()[kind],
                created=created[kind],
                updated=updated[kind],
                deleted=deleted[kind],
                replace=replace,
            )
            for kind in sorted(plan.kinds)
        )
    summary.created, summary.updated = sum(created.values()), sum(updated.values())
    summary.deleted = sum(deleted.values())
    summary.unchanged = summary.entries - summary.created - summary.updated
    by_kind = plan.by_kind()
    summary.kinds = {
        kind: {
            "entries": by_kind[kind],
            "created": created[kind],
            "updated": updated[kind],
            "deleted": deleted[kind],
        }
        for kind in sorted(plan.kinds)
    }
    return summary


def _write(to_create, to_update, to_delete, *, when, user, reason) -> None:
    """Insert, update and delete entries, each statement run for all its rows at once
    (executemany; Django's bulk_update would build a CASE of every row), and copy each written
    row into the history table by INSERT … SELECT, as simple-history records a save or a
    delete: '+' for the rows inserted (ids above the largest before, stamped with this
    import's time), '~' for those updated, '-' for those deleted, copied just before."""
    q = connection.ops.quote_name
    table = q(ExclusionEntry._meta.db_table)
    history = ExclusionEntry.history.model
    own = {f.column for f in ExclusionEntry._meta.concrete_fields}
    columns = [f.column for f in history._meta.concrete_fields if f.column in own]
    copy = (
        f"INSERT INTO {q(history._meta.db_table)} "  # noqa: S608 - names from the models
        f"({', '.join(map(q, columns))}, history_date, history_change_reason, "
        f"history_type, history_user_id) "
        f"SELECT {', '.join(map(q, columns))}, %s, %s, %s, %s FROM {table} "
    )
    stamp = connection.ops.adapt_datetimefield_value(when)
    user_id = user.pk if user is not None else None
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if to_delete:
            for start in range(0, len(to_delete), BATCH):
                chunk = to_delete[start : start + BATCH]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"{copy} WHERE id IN ({marks}) ORDER BY id",
                    [stamp, reason, "-", user_id, *chunk],
                )
                cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", chunk)  # noqa: S608
        if not (to_create or to_update):
            return
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        (largest,) = cursor.fetchone()
        if to_create:
            insert = f"INSERT INTO {table} (kind, id_number, source, detail, imported_at) "
            if postgres:  # one statement over arrays: executemany is a round trip a row
                cursor.execute(
                    f"{insert} SELECT k, n, s, d, %s FROM unnest(%s::varchar[], %s::varchar[], "  # noqa: S608
                    f"%s::varchar[], %s::varchar[]) AS u(k, n, s, d)",
                    [stamp, *map(list, zip(*to_create, strict=True))],
                )
            else:
                cursor.executemany(
                    f"{insert} VALUES (%s, %s, %s, %s, %s)", [(*row, stamp) for row in to_create]
                )
            cursor.execute(
                f"{copy} WHERE id > %s AND imported_at = %s ORDER BY id",
                [stamp, reason, "+", user_id, largest, stamp],
            )
        if to_update:
            if postgres:
                cursor.execute(
                    f"UPDATE {table} t SET source = u.s, detail = u.d, imported_at = %s "  # noqa: S608
                    f"FROM unnest(%s::varchar[], %s::varchar[], %s::bigint[]) AS u(s, d, id) "
                    f"WHERE t.id = u.id",
                    [stamp, *map(list, zip(*to_update, strict=True))],
                )
            else:
                cursor.executemany(
                    f"UPDATE {table} SET source = %s, detail = %s, imported_at = %s WHERE id = %s",  # noqa: S608
                    [(source, detail, stamp, pk) for source, detail, pk in to_update],
                )
            cursor.execute(
                f"{copy} WHERE id <= %s AND imported_at = %s ORDER BY id",
                [stamp, reason, "~", user_id, largest, stamp],
            )


def import_exclusions(
    path: Path,
    *,
    user=None,
    kind: str | None = None,
    source: str = "",
    replace: bool = False,
    file_name: str = "",
) -> tuple[ExclusionPlan, ExclusionSummary | None]:
    """Check and, if there is no error, write: the plan and the summary (None if refused)."""
    plan = check_exclusions(path, kind=kind, source=source)
    if plan.errors:
        return plan, None
    return plan, write_exclusions(
        plan, user=user, replace=replace, file_name=file_name or path.name
    )


def list_overview() -> list[dict]:
    """Per list: its label, how many entries it has, and its last import (or None)."""
    counts = dict(
        ExclusionEntry.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    latest = {}
    for kind in Kind.values:
        latest[kind] = (
            ExclusionImport.objects.filter(kind=kind)
            .select_related("imported_by")
            .order_by("-imported_at", "-pk")
            .first()
        )
    return [
        {"kind": kind, "label": label, "entries": counts.get(kind, 0), "last": latest[kind]}
        for kind, label in Kind.choices
    ]
