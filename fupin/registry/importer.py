"""Registry import: check the whole file, then write all of it or nothing.

Two phases, so that a file with any error writes nothing:
1. `check_file` streams the file once, a chunk of rows at a time: it parses the cells
   (fupin.registry.cells), checks each row and each household's rows against each other, and
   loads the parsed rows into temporary tables (fupin.registry.staging), where set-based
   queries check what needs the whole file or the database (ID numbers repeated or in other
   households, villages and groups, stored heads). It returns an ImportPlan: the staged
   rows, or the errors, each with row, column, value and reason.
2. `write_plan` upserts from the staged rows by household number, ID number and (household,
   year) in one transaction, writing only rows that differ from what is stored — so
   importing the same file twice changes nothing — with a history row for every change.

Memory stays flat whatever the file's size: Python keeps one chunk of rows and, per
household, its first row's values (to compare the household's other rows with).

A large file is read and parsed in a second process while this one stages what it sends
(see `_parsed_aside`): the two halves of the check cost about the same, and the machine has
more than one core.
"""

import datetime
import gc
import hashlib
import multiprocessing
import signal
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fupin.areacodes import Level
from fupin.core.import_errors import RowErrors
from fupin.core.models import Area
from fupin.core.reading import ImportFileError, read_table
from fupin.registry import choices as c
from fupin.registry.cells import CellError, ColumnParser
from fupin.registry.errors import RowError
from fupin.registry.models import Household, Member, YearlyIncome
from fupin.registry.staging import (
    HOUSEHOLD_FIELDS,
    INCOME_FIELDS,
    MEMBER_FIELDS,
    Staging,
    refresh_statistics,
    vacuum,
)
from fupin.registry.template import (
    BY_KEY,
    COLUMNS,
    HOUSEHOLD_COLUMNS,
    INCOME_COLUMNS,
    MEMBER_COLUMNS,
)

CHUNK = 5000  # rows parsed and staged at a time


@dataclass
class ImportPlan:
    """A checked file. Without errors, its rows wait in `staging` for `write_plan` (on this
    database connection); `discard` drops them when the plan will not be written."""

    staging: Staging | None
    errors: list[RowError]
    rows: int
    digest: str
    households: int = 0
    persons: int = 0

    def discard(self) -> None:
        if self.staging is not None:
            self.staging.drop()
            self.staging = None


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
    table = read_table(path)
    staging = Staging()
    try:
        positions = column_index(table.header)
        missing = [col.header for col in COLUMNS if col.required and col.key not in positions]
        if missing:
            raise ImportFileError("missing_columns", columns="、".join(missing))
        staging.create()
        parsed = _parsed(table, positions, today)
        if _aside(path):
            parsed = _parsed_aside(parsed)
            table.close()  # the other process reads it
        with path.open("rb") as handle:  # (while the other process parses, if there is one)
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        # Read to the end, past the last item (the _Parsed), so that the source finishes
        # here: the parsing process is joined, the garbage collector back on.
        for item in parsed:
            if isinstance(item, _Parsed):
                summary = item
                continue
            with transaction.atomic():  # a transaction a chunk, not one a row
                staging.load(staging.households, staging.household_columns(), item.households)
                staging.load(
                    staging.members, staging.member_columns(), zip(*item.members, strict=True)
                )
            if progress and item.rows % (CHUNK * 10) < CHUNK:
                progress(item.rows)
        staging.index()
        errors = summary.errors
        if not errors.full:
            errors.extend(_whole_file_errors(staging, user))
        errors.sort(key=lambda e: (e.row, e.column))
    except BaseException:
        staging.drop()
        raise
    finally:
        table.close()
    plan = ImportPlan(
        staging,
        errors,
        summary.rows,
        digest,
        households=summary.households,
        persons=summary.rows,
    )
    if plan.errors:
        plan.discard()  # nothing will be written
    return plan


@dataclass
class _Chunk:
    """Parsed rows of a chunk of the file, as the staging tables take them."""

    households: list[tuple]  # rows
    members: list[list]  # columns
    rows: int  # rows read so far


@dataclass
class _Parsed:
    """The end of the file: the errors found in its rows, and its size."""

    errors: list[RowError]
    households: int
    rows: int


def _parsed(table, positions, today) -> Iterator[_Chunk | _Parsed]:
    """The file's chunks, parsed and checked row by row, then a _Parsed."""
    # Nothing the check makes refers back to itself; the collector's passes over the
    # growing set of households would cost a third of the check at a million rows.
    collecting = gc.isenabled()
    gc.disable()
    try:
        checker = _FileChecker(positions, len(table.header), today)
        rows = iter(table.rows)
        while chunk := list(islice(rows, CHUNK)):
            households, members = checker.add(chunk)
            yield _Chunk(households, members, checker.rows)
            if checker.errors.full:
                break  # nothing will be written: the rest of the file is not read
        else:
            checker.check_heads()
        yield _Parsed(checker.errors, len(checker.households), checker.rows)
    finally:
        if collecting:
            gc.enable()


def _aside(path: Path) -> bool:
    """Whether to parse the file in a second process: a large file, a machine with more
    than one core, and a process that may fork (a daemonic one may not have children)."""
    return (
        path.stat().st_size >= settings.FUPIN_IMPORT_ASIDE_BYTES
        and (multiprocessing.cpu_count() or 1) > 1
        and "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


@dataclass
class _Failed:
    """What the parsing process sends when it cannot go on."""

    code: str | None  # an ImportFileError's code; None: a crash
    params: dict


def _parsed_aside(items: Iterator) -> Iterator[_Chunk | _Parsed]:
    """`items`, produced in a forked process and sent here through a pipe, so that reading
    and parsing (about 60% of the check) run on one core while this process stages what
    it receives on another. The child touches no database connection and leaves by
    os._exit (multiprocessing's way), so the connections it inherits are not disturbed."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_send, args=(items, sender), daemon=True)
    child.start()  # now, not at the first item: the caller lets go of the file next
    sender.close()
    return _received(receiver, child)


def _received(receiver, child) -> Iterator[_Chunk | _Parsed]:
    try:
        while True:
            try:
                item = receiver.recv()
            except EOFError:
                raise RuntimeError("the import's parsing process ended early") from None
            if isinstance(item, _Failed):
                if item.code is None:
                    raise RuntimeError(f"the import's parsing process failed:\n{item.params}")
                raise ImportFileError(item.code, **item.params)
            yield item
            if isinstance(item, _Parsed):
                return
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _send(items: Iterator, sender) -> None:
    """In the parsing process: send every item, or why it stopped."""
    # Handlers inherited from the parent (the task worker's graceful shutdown) would keep
    # this process alive when the parent terminates it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        for item in items:
            sender.send(item)
    except ImportFileError as error:
        sender.send(_Failed(error.code, error.params))
    except BaseException:
        sender.send(_Failed(None, {"traceback": traceback.format_exc()}))
    finally:
        sender.close()


class _Refused:
    """A cell that did not parse, in a household's values: equal to the same text only."""

    __slots__ = ("raw",)

    def __init__(self, raw: str):
        self.raw = raw

    def __eq__(self, other):
        return isinstance(other, _Refused) and other.raw == self.raw

    def __hash__(self):
        return hash(self.raw)


class _Household:
    """What the check keeps of a household while it reads the file."""

    __slots__ = ("first_row", "values", "heads", "present_head", "unknown_relation")

    def __init__(self, first_row: int, values: tuple):
        self.first_row = first_row
        self.values = values  # the household and income cells of its first row, parsed
        self.heads: list[int] = []  # rows whose relation is head
        self.present_head = False
        self.unknown_relation = False


# The staging table's household columns, by template key (see staging.Staging).
_STAGED_HOUSEHOLD = [
    "household_no",
    "village_code",
    *(col.key for col in HOUSEHOLD_COLUMNS[3:]),
    "group",
]
_STAGED_INCOME = [col.key for col in INCOME_COLUMNS]
_MEMBER_KEYS = [col.key for col in MEMBER_COLUMNS]
# Rows are staged as tuples: their order must be the staging tables' (checked once, here).
if (
    [BY_KEY[key].model_field for key in _STAGED_HOUSEHOLD] != [*HOUSEHOLD_FIELDS, "group"]
    or [BY_KEY[key].model_field for key in _STAGED_INCOME] != INCOME_FIELDS
    or [BY_KEY[key].model_field for key in _MEMBER_KEYS] != MEMBER_FIELDS[:-2]
):
    raise RuntimeError("the import template and the staging tables disagree on columns")
_HOUSEHOLD_RULE_KEYS = ("status", "cancel_reason", "year_registered", "year_exited")


class _FileChecker:
    """Parses and checks a file's rows a chunk at a time, keeping what later rows are
    compared with; no database (it may run in another process)."""

    def __init__(self, positions: dict[str, int], width: int, today):
        self.width = width
        self.errors: list[RowError] = RowErrors()
        self.households: dict[str, _Household] = {}
        self.rows = 0
        # An absent column reads the empty cell added at `width`.
        self.household_part = [
            (col, ColumnParser(col, today)) for col in (*HOUSEHOLD_COLUMNS, *INCOME_COLUMNS)
        ]
        self.household_count = len(HOUSEHOLD_COLUMNS)
        self.household_positions = [
            positions.get(col.key, width) for col, _p in self.household_part
        ]
        self.member_part = [
            (col, ColumnParser(col, today), positions.get(col.key, width)) for col in MEMBER_COLUMNS
        ]
        self.household_no_at = positions["household_no"]
        self.previous: tuple = (None, None, None)  # household number, cells, _Household

    def add(self, chunk: list[tuple[int, list[str]]]) -> tuple[list[tuple], list[list]]:
        """Parse and check a chunk of rows: its households' rows and its members' columns
        to stage (columns, not rows: they cross between processes at half the cost)."""
        width = self.width
        numbers = [number for number, _cells in chunk]
        rows = [cells for _number, cells in chunk]
        if any(len(cells) != width for cells in rows):
            rows = [(cells + [""] * width)[:width] for cells in rows]
        self.rows += len(rows)
        columns = list(zip(*rows, strict=True))
        columns.append(("",) * len(rows))  # what an absent column reads
        household_nos = [number.strip() for number in columns[self.household_no_at]]
        members = self._members(numbers, columns)
        households = self._households(numbers, columns, household_nos, members)
        return households, [numbers, [number or None for number in household_nos], *members]

    def _members(self, numbers, columns) -> list[list]:
        """The member columns of the chunk, parsed, then sex and birth date from the ID."""
        errors = self.errors
        parsed = []
        for column, parser, position in self.member_part:
            values, refused = parser.parse_many(columns[position])
            for index, raw, error in refused:
                errors.append(RowError(numbers[index], column.key, raw, error.code, error.params))
            parsed.append(values)
        status = parsed[_MEMBER_KEYS.index("member_status")]
        departed = parsed[_MEMBER_KEYS.index("departed_on")]
        for index, (state, date) in enumerate(zip(status, departed, strict=True)):
            if state != c.MemberStatus.PRESENT or date is not None:
                _check_member(numbers[index], {"member_status": state, "departed_on": date}, errors)
        ids = parsed[_MEMBER_KEYS.index("id_number")]
        parsed.append([("F", "M")[int(n[16]) % 2] if n else None for n in ids])
        # As ISO text, which both databases read into a date column: no date objects.
        parsed.append([f"{n[6:10]}-{n[10:12]}-{n[12:14]}" if n else None for n in ids])
        return parsed

    def _households(self, numbers, columns, household_nos, members) -> list[tuple]:
        """Each row's household: the first row of each is parsed, checked and returned for
        staging; later rows must agree with it. Heads are counted on the way."""
        known = self.households
        # Each row's household and income cells (the household number as stripped).
        cells_of = list(
            zip(household_nos, *(columns[at] for at in self.household_positions[1:]), strict=True)
        )
        relation = members[_MEMBER_KEYS.index("relation")]
        status = members[_MEMBER_KEYS.index("member_status")]
        head, present = c.Relation.HEAD, c.MemberStatus.PRESENT
        first: list[int] = []  # the rows (indexes in the chunk) that begin a household
        records: list[_Household] = []
        later: list[tuple[int, _Household]] = []  # rows to compare with their first row
        previous_no, previous_cells, record = self.previous
        for index, household_no in enumerate(household_nos):
            if household_no and household_no == previous_no:
                cells = cells_of[index]
                if cells != previous_cells:
                    later.append((index, record))
                    previous_cells = cells
            else:
                record = known.get(household_no) if household_no else None
                if record is None:
                    record = _Household(numbers[index], ())
                    first.append(index)
                    records.append(record)
                    if household_no:
                        known[household_no] = record
                else:
                    later.append((index, record))
                previous_no, previous_cells = household_no, cells_of[index]
            if household_no:
                role = relation[index]
                if role == head:
                    record.heads.append(numbers[index])
                    if status[index] == present:
                        record.present_head = True
                elif role is None:
                    record.unknown_relation = True
        self.previous = (previous_no, previous_cells, record)
        staged = self._first_rows(numbers, columns, household_nos, first, records)
        for index, record in later:
            self._compare(numbers[index], cells_of[index], record)
        return staged

    def _first_rows(self, numbers, columns, household_nos, first, records) -> list[tuple]:
        """Parse and check the households' first rows, column by column; their values go
        to `records` (to compare later rows with) and come back as rows to stage."""
        errors = self.errors
        first_numbers = [numbers[index] for index in first]
        parsed = {}
        marked = {}  # (household, position) → _Refused, for comparing later rows
        for position, ((column, parser), at) in enumerate(
            zip(self.household_part, self.household_positions, strict=True)
        ):
            cells = columns[at]
            values, refused = parser.parse_many([cells[index] for index in first])
            for k, raw, error in refused:
                errors.append(RowError(first_numbers[k], column.key, raw, error.code, error.params))
                marked[(k, position)] = _Refused(raw)
            parsed[column.key] = values
        for k, values in enumerate(zip(*parsed.values(), strict=True)):
            records[k].values = values
        for (k, position), refused in marked.items():
            values = list(records[k].values)
            values[position] = refused
            records[k].values = tuple(values)
        for k, values in enumerate(
            zip(
                *(parsed[key] for key in _HOUSEHOLD_RULE_KEYS),
                strict=True,
            )
        ):
            _check_household(
                first_numbers[k], dict(zip(_HOUSEHOLD_RULE_KEYS, values, strict=True)), errors
            )
        years = parsed["income_year"]
        if None in years:
            income_cells = [columns[at] for at in self.household_positions[self.household_count :]]
            for k, year in enumerate(years):
                if year is None:
                    index = first[k]
                    if not income_cells[0][index].strip() and any(
                        cells[index].strip() for cells in income_cells[1:]
                    ):
                        errors.append(
                            RowError(first_numbers[k], "income_year", "", "income_year_required")
                        )
            for key in _STAGED_INCOME:  # no year: no income to write
                parsed[key] = [
                    v if y is not None else None for v, y in zip(parsed[key], years, strict=True)
                ]
        return list(
            zip(
                first_numbers,
                [household_nos[index] or None for index in first],  # as the members name it
                *(parsed[key] for key in _STAGED_HOUSEHOLD[1:]),
                *(parsed[key] for key in _STAGED_INCOME),
                strict=True,
            )
        )

    def _parse(self, cells) -> list:
        """A later row's household part, parsed (_Refused where a cell does not parse)."""
        values = []
        for (_column, parser), cell in zip(self.household_part, cells, strict=True):
            try:
                values.append(parser.parse(cell))
            except CellError:
                values.append(_Refused(cell.strip()))
        return values

    def _compare(self, number, cells, record: _Household) -> None:
        values = self._parse(cells)
        count = self.household_count
        for position in range(count):
            if values[position] != record.values[position]:
                column = self.household_part[position][0]
                self.errors.append(
                    RowError(
                        number,
                        column.key,
                        cells[position].strip(),
                        "household_conflict",
                        {"first_row": record.first_row, "column": column.header},
                    )
                )
                break
        if values[count:] != list(record.values[count:]):
            self.errors.append(
                RowError(
                    number,
                    "income_year",
                    cells[count].strip(),
                    "income_conflict",
                    {"first_row": record.first_row},
                )
            )

    def check_heads(self) -> None:
        """One head for each household of the file, once every row is read; a present one,
        but in a cancelled household (all its members may have died or left)."""
        errors = self.errors
        status_at = [column.key for column, _parser in self.household_part].index("status")
        for household_no, record in self.households.items():
            if len(record.heads) > 1:
                errors.append(
                    RowError(
                        record.heads[1],
                        "relation",
                        "",
                        "two_heads",
                        {"household_no": household_no, "rows": "、".join(map(str, record.heads))},
                    )
                )
            elif (
                not record.present_head
                and not record.unknown_relation
                and record.values[status_at] != c.Status.CANCELLED
            ):
                errors.append(
                    RowError(
                        record.first_row, "relation", "", "no_head", {"household_no": household_no}
                    )
                )


def _whole_file_errors(staging: Staging, user) -> list[RowError]:
    """What needs every row, or the database: repeated ID numbers, villages and groups,
    households and people the registry holds elsewhere, and stored heads. What the registry
    holds outside the user's area is neither changed nor described: only its existence is
    told, as the reason the row is refused."""
    errors = []
    for row, id_number, first_row in staging.repeated_ids():
        errors.append(
            RowError(row, "id_number", id_number, "duplicate_id", {"first_row": first_row})
        )
    refused_villages = _check_villages(staging, user, errors)
    for row, name, village in staging.unknown_groups():
        if village not in refused_villages:
            errors.append(RowError(row, "group", name, "unknown_group"))
    elsewhere = staging.households_stored_elsewhere()
    others = staging.ids_in_other_households()
    visible = _villages_of_user(user, {v for *_r, v in elsewhere} | {v for *_r, v in others})
    refused_households = set()
    for row, household_no, village in elsewhere:
        if village not in visible:  # (a move between villages of the user's area is allowed)
            errors.append(RowError(row, "household_no", household_no, "household_outside_area"))
            refused_households.add(household_no)
    for row, id_number, other, village in others:
        if village in visible:
            errors.append(
                RowError(row, "id_number", id_number, "id_in_other_household", {"other": other})
            )
        else:
            errors.append(RowError(row, "id_number", id_number, "id_outside_area"))
    for row, household_no, name in staging.stored_heads_not_in_file():
        if household_no in refused_households:
            continue  # (its head's name is not the user's to read)
        errors.append(
            RowError(
                row,
                "relation",
                "",
                "head_not_in_file",
                {"household_no": household_no, "name": name},
            )
        )
    return errors


def _villages_of_user(user, codes: set[str]) -> set[str]:
    """Those of the village `codes` inside the user's area."""
    if not codes:
        return set()
    return set(Area.objects.for_user(user).filter(code__in=codes).values_list("code", flat=True))


def _check_villages(staging: Staging, user, errors: list[RowError]) -> set[str]:
    """Refuse households in unknown villages or villages outside the user's area;
    returns those villages."""
    codes = staging.village_codes()
    villages = set(
        Area.objects.filter(code__in=codes, level=Level.VILLAGE).values_list("code", flat=True)
    )
    allowed = set(
        Area.objects.for_user(user).filter(code__in=villages).values_list("code", flat=True)
    )
    refused = codes - allowed
    for row, code in staging.households_in_villages(refused):
        code_ = "unknown_village" if code not in villages else "village_outside_area"
        errors.append(RowError(row, "village_code", code, code_))
    return refused


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


# --- phase 2: write -------------------------------------------------------------------------


def write_plan(plan: ImportPlan, *, user, progress=None) -> ImportSummary:
    """Write a checked plan in one transaction: all of it, or nothing."""
    if plan.errors:
        raise ImportRefused(plan.errors)
    if plan.staging is None:
        raise ValueError("This plan was already written or discarded.")
    summary = ImportSummary()
    when = timezone.now()
    stamp = {"when": when, "user_id": getattr(user, "pk", None)}
    stamp["reason"] = f"import {plan.digest[:12]}"
    try:
        with transaction.atomic():
            staging = plan.staging
            staging.lock()
            summary.households_created, summary.households_updated = staging.write_households(
                **stamp
            )
            if progress:
                progress("households")
            summary.members_created, summary.members_updated = staging.write_members(**stamp)
            if progress:
                progress("members")
            summary.incomes_created, summary.incomes_updated = staging.write_incomes(**stamp)
            analysed = refresh_statistics(
                {
                    Household: summary.households_created + summary.households_updated,
                    Member: summary.members_created + summary.members_updated,
                    YearlyIncome: summary.incomes_created + summary.incomes_updated,
                }
            )
    finally:
        plan.discard()
    vacuum(analysed)
    return summary
