"""Loading a county's areas from the official lists: the National Bureau of Statistics'
division list (统计用区划代码) and a list of villager groups / natural villages (屯).

Two kinds of file, told apart by their columns:

- divisions: `统计用区划代码`, `名称`, optionally `城乡分类代码` (English `code`, `name`,
  `urban_rural`): one area a row, its level read from the code, its parent the area above
  it, in the database or earlier in the file;
- groups: `村代码`, `村民小组`, optionally `小组代码` (`village_code`, `group`, `group_code`):
  a group of a village already loaded; Fupin gives it the 15-digit code village + 3 digits
  (the given group number, else the group of that name already stored, else the next free).

All or nothing: every row is checked first (`check_areas`), and only a file without errors is
written (`write_areas`), in one transaction. Re-importing the same file changes nothing; a
renamed area keeps its code and its history. An import only creates and renames: it never
deletes an area, so one that holds households, plans or users is never lost by a list that
leaves it out.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from fupin import areacodes
from fupin.core.import_errors import RowError, register_messages
from fupin.core.models import Area
from fupin.core.reading import ImportFileError, read_table

MESSAGES = {
    "bad_area_code": _("Not an area code: 12 digits (a group: its village's 12 and 3 more)."),
    "area_missing_parent": _(
        "The area above it (%(parent)s) is neither in Fupin nor earlier in the file."
    ),
    "area_duplicate": _("This code is already in row %(row)s."),
    "area_no_name": _("The area has no name."),
    "bad_urban_rural": _("The urban-rural code is 3 digits, e.g. 220 for a village."),
    "unknown_village": _("No village with this code is in Fupin: import the division list first."),
    "not_a_village": _("This code is not a village's."),
    "bad_group_code": _("A group number is 3 digits from 001, or the group's 15-digit code."),
    "group_duplicate": _("This group is already in row %(row)s."),
    "group_code_taken": _("This group number is already used by %(name)s."),
    "area_outside": _("This area is outside yours: only an administrator of it may change it."),
}
register_messages(MESSAGES)

DIVISION_COLUMNS = {
    "code": ("统计用区划代码", "区划代码", "code"),
    "name": ("名称", "name"),
    # Read and checked; Fupin does not store it (no page uses it yet).
    "urban_rural": ("城乡分类代码", "urban_rural"),
}
GROUP_COLUMNS = {
    "village_code": ("村代码", "village_code"),
    "group": ("村民小组", "自然村", "group"),
    "group_code": ("小组代码", "group_code"),
}
TITLES = {
    "code": "统计用区划代码",
    "name": "名称",
    "urban_rural": "城乡分类代码",
    "village_code": "村代码",
    "group": "村民小组",
    "group_code": "小组代码",
    "": "",
}
URBAN_RURAL = re.compile(r"^[0-9]{3}$")
NAME_MAX = Area._meta.get_field("name").max_length


@dataclass
class AreaRow:
    code: str
    name: str
    urban_rural: str = ""
    row: int = 0  # the row of the file it came from


@dataclass
class AreaPlan:
    kind: str  # "divisions" or "groups"
    rows: int = 0
    areas: list[AreaRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: list[AreaRow] = field(default_factory=list)
    renamed: list[AreaRow] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return len(self.areas) - len(self.created) - len(self.renamed)


def column_title(key: str) -> str:
    return TITLES.get(key, key)


def _positions(header: list[str], columns: dict) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        for key, names in columns.items():
            if title.strip().lower() in {n.lower() for n in names} and key not in found:
                found[key] = index
    return found


def check_areas(
    path: Path, *, within: str | None = None, progress: Callable | None = None
) -> AreaPlan:
    """Read and check every row; nothing is written. `within`: the importing user's area —
    rows outside it are refused, unless they are an area above it that the file leaves
    unchanged (a county's list usually starts with its province and city)."""
    table = read_table(Path(path))
    try:
        divisions = _positions(table.header, DIVISION_COLUMNS)
        groups = _positions(table.header, GROUP_COLUMNS)
        if {"village_code", "group"} <= set(groups):
            plan = AreaPlan("groups")
            _check_groups(table.rows, groups, plan, progress)
        elif {"code", "name"} <= set(divisions):
            plan = AreaPlan("divisions")
            _check_divisions(table.rows, divisions, plan, progress)
        else:
            raise ImportFileError(
                "missing_columns", columns="统计用区划代码, 名称 / 村代码, 村民小组"
            )
    finally:
        table.close()
    if not plan.rows:
        raise ImportFileError("no_rows")
    _compare(plan)
    if within:
        _keep_within(plan, within)
    return plan


def _keep_within(plan: AreaPlan, within: str) -> None:
    changed = {row.code for row in plan.created} | {row.code for row in plan.renamed}
    outside = [
        row
        for row in plan.areas
        if not areacodes.is_within(row.code, within) and row.code in changed
    ]
    for row in outside:
        column = "code" if plan.kind == "divisions" else "village_code"
        plan.errors.append(RowError(row.row, column, row.code, "area_outside"))


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _name_errors(number: int, column: str, name: str) -> list[RowError]:
    if not name:
        return [RowError(number, column, name, "area_no_name")]
    if len(name) > NAME_MAX:
        return [RowError(number, column, name, "too_long", {"max": NAME_MAX})]
    return []


def _check_divisions(rows, at: dict, plan: AreaPlan, progress) -> None:
    seen: dict[str, int] = {}
    pending: list[tuple[int, str, str]] = []
    for number, cells in rows:
        plan.rows += 1
        code, name = _cell(cells, at["code"]), _cell(cells, at["name"])
        urban_rural = _cell(cells, at.get("urban_rural"))
        try:
            level = areacodes.level_of(code)
        except areacodes.AreaCodeError:
            level = None
        if level is None or level == areacodes.Level.GROUP:
            plan.errors.append(RowError(number, "code", code, "bad_area_code"))
            continue
        if code in seen:
            plan.errors.append(
                RowError(number, "code", code, "area_duplicate", {"row": seen[code]})
            )
            continue
        seen[code] = number
        errors = _name_errors(number, "name", name)
        if urban_rural and not URBAN_RURAL.match(urban_rural):
            errors.append(RowError(number, "urban_rural", urban_rural, "bad_urban_rural"))
        plan.errors.extend(errors)
        parent = areacodes.parent_code(code)
        if parent:
            pending.append((number, code, parent))
        if not errors:
            plan.areas.append(AreaRow(code, name, urban_rural, number))
        if progress and plan.rows % 1000 == 0:
            progress(plan.rows)
    # A parent must be stored already or come earlier in the file.
    stored = set(
        Area.objects.filter(code__in={parent for _n, _c, parent in pending}).values_list(
            "code", flat=True
        )
    )
    for number, code, parent in pending:
        if parent not in stored and not (parent in seen and seen[parent] < number):
            plan.errors.append(
                RowError(number, "code", code, "area_missing_parent", {"parent": parent})
            )


def _check_groups(rows, at: dict, plan: AreaPlan, progress) -> None:
    raw = []
    for number, cells in rows:
        plan.rows += 1
        raw.append(
            (
                number,
                _cell(cells, at["village_code"]),
                _cell(cells, at["group"]),
                _cell(cells, at.get("group_code")),
            )
        )
    villages = dict(Area.objects.filter(code__in={r[1] for r in raw}).values_list("code", "level"))
    stored = {}  # (village, name) -> code, and code -> name, of the groups already in Fupin
    names_of = {}
    for code, name, parent in Area.objects.filter(
        parent__in=list(villages), level=areacodes.Level.GROUP
    ).values_list("code", "name", "parent"):
        stored[(parent, name)] = code
        names_of[code] = name
    seen: dict[tuple, int] = {}
    taken: dict[str, tuple[int, str]] = {}
    unnumbered = []
    for number, village, name, given in raw:
        if villages.get(village) is None:
            plan.errors.append(RowError(number, "village_code", village, "unknown_village"))
            continue
        if villages[village] != areacodes.Level.VILLAGE:
            plan.errors.append(RowError(number, "village_code", village, "not_a_village"))
            continue
        errors = _name_errors(number, "group", name)
        if errors:
            plan.errors.extend(errors)
            continue
        if (village, name) in seen:
            plan.errors.append(
                RowError(number, "group", name, "group_duplicate", {"row": seen[(village, name)]})
            )
            continue
        seen[(village, name)] = number
        code = _group_code(village, given)
        if given and code is None:
            plan.errors.append(RowError(number, "group_code", given, "bad_group_code"))
            continue
        code = code or stored.get((village, name))
        if code is None:
            unnumbered.append((number, village, name))
            continue
        # A stored group given under another name is renamed (it keeps its code); two rows
        # of the file cannot share one code.
        if code in taken:
            other = taken[code][1]
            plan.errors.append(
                RowError(number, "group_code", given or code, "group_code_taken", {"name": other})
            )
            continue
        taken[code] = (number, name)
        plan.areas.append(AreaRow(code, name, row=number))
    # Groups without a number get the next free one of their village, in file order.
    used = set(taken) | set(names_of)
    for number, village, name in unnumbered:
        code = next(f"{village}{n:03d}" for n in range(1, 1000) if f"{village}{n:03d}" not in used)
        used.add(code)
        plan.areas.append(AreaRow(code, name, row=number))


def _group_code(village: str, given: str) -> str | None:
    if not given:
        return None
    if re.fullmatch(r"[0-9]{1,3}", given) and int(given) > 0:
        return f"{village}{int(given):03d}"
    if re.fullmatch(r"[0-9]{15}", given) and given.startswith(village) and given[12:] != "000":
        return given
    return None


def _compare(plan: AreaPlan) -> None:
    existing = dict(
        Area.objects.filter(code__in=[a.code for a in plan.areas]).values_list("code", "name")
    )
    for row in plan.areas:
        if row.code not in existing:
            plan.created.append(row)
        elif existing[row.code] != row.name:
            plan.renamed.append(row)


@transaction.atomic
def write_areas(plan: AreaPlan, *, user=None) -> AreaPlan:
    """Create the new areas (parents first) and rename the renamed; history kept for both."""
    if plan.errors:
        raise ValueError("a plan with errors is not written")
    new = sorted(plan.created, key=lambda row: areacodes.level_of(row.code))
    bulk_create_with_history(
        [
            Area(
                code=row.code,
                name=row.name,
                level=int(areacodes.level_of(row.code)),
                parent_id=areacodes.parent_code(row.code),
            )
            for row in new
        ],
        Area,
        batch_size=2000,
        default_user=user,
        default_change_reason="import-areas",
    )
    renamed = {row.code: row.name for row in plan.renamed}
    areas = list(Area.objects.filter(code__in=list(renamed)))
    for area in areas:
        area.name = renamed[area.code]
    if areas:
        bulk_update_with_history(
            areas,
            Area,
            ["name"],
            batch_size=2000,
            default_user=user,
            default_change_reason="import-areas",
        )
    return plan
