"""China's statistical area codes (统计用区划代码), pure: no Django.

A 12-digit code is province (2) + city (2) + county (2) + township (3) + village (3); a higher
level pads the rest with zeros (Nanning city is 450100000000). Fupin extends a village's code
with 3 more digits for its villager groups / natural villages (屯), so a group code has 15.

Every area's subtree is the set of codes that start with its *prefix* (the digits that are not
padding). Because codes hold only digits, "starts with P" is the half-open range
[P, P + ":"), ':' being the character after '9': a range both SQLite and PostgreSQL answer from
an ordinary B-tree index, with no LIKE and no operator class.
"""

import re
from enum import IntEnum

CODE_RE = re.compile(r"^(\d{12}|\d{15})$")
SUBTREE_END = ":"  # the character after "9"


class Level(IntEnum):
    PROVINCE = 1
    CITY = 2
    COUNTY = 3
    TOWNSHIP = 4
    VILLAGE = 5
    GROUP = 6


PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.GROUP: 15,
}


class AreaCodeError(ValueError):
    pass


def level_of(code: str) -> Level:
    """The level a well-formed code stands for, read from its zero padding."""
    if not CODE_RE.match(code or ""):
        raise AreaCodeError(f"{code!r} is not a 12-digit area code (or 15 for a group).")
    if len(code) == 15:
        if code[12:] == "000":
            raise AreaCodeError(f"{code!r}: a group number cannot be 000.")
        return Level.GROUP
    if code[:2] == "00":
        raise AreaCodeError(f"{code!r}: the province digits cannot be 00.")
    for level in (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP):
        if set(code[PREFIX_LENGTH[level] :]) == {"0"}:
            return level
    return Level.VILLAGE


def prefix_of(code: str) -> str:
    """The digits every code in this area's subtree starts with."""
    return code[: PREFIX_LENGTH[level_of(code)]]


def subtree_bounds(code: str) -> tuple[str, str]:
    """[low, high) such that low <= c < high exactly for the codes in code's subtree."""
    prefix = prefix_of(code)
    return prefix, prefix + SUBTREE_END


def parent_code(code: str) -> str | None:
    """The code of the area directly above, or None for a province."""
    level = level_of(code)
    if level == Level.PROVINCE:
        return None
    if level == Level.GROUP:
        return code[:12]
    keep = PREFIX_LENGTH[Level(level - 1)]
    return code[:keep].ljust(12, "0")


def is_within(code: str, ancestor: str) -> bool:
    low, high = subtree_bounds(ancestor)
    return low <= code < high
