"""Resident ID numbers (居民身份证号码, GB 11643-1999), pure: no Django.

Validation is python-stdnum's `cn.ric` (length, check digit, birth date, birth place); this
module adds the legacy 15-digit conversion, the reasons in words, masking, and the sex and
birth date read from the number.
"""

import datetime
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError


class IdNumberError(ValueError):
    """`code` names the reason: length, format, checksum, birth_date, region, future."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def upgrade_15(number: str) -> str:
    """A legacy 15-digit number as 18 digits: '19' goes before the 2-digit year, and the
    check digit is computed."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


@lru_cache(maxsize=8192)
def region_known(prefix6: str) -> bool:
    """Whether stdnum's area database has ever had this county code.

    stdnum's own `get_birth_place` also demands that the county existed in the *birth* year,
    but numbers were issued from 1984 on to people born long before, under the code of the
    place where they were registered then: that rule would refuse most people born before
    1983 (the database's first year). So any period counts here.
    """
    results = numdb.get("cn/loc").info(prefix6)
    return any("county" in props for _part, props in results)


@lru_cache(maxsize=65536)
def _date(digits: str) -> datetime.date | None:
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def normalize(raw: str, *, today: datetime.date | None = None) -> str:
    """The valid 18-character form of `raw`, or IdNumberError with the reason."""
    number = raw.strip().upper() if isinstance(raw, str) else ""
    if len(number) == 18 and number[:17].isdigit():
        # The common case, checked without stdnum's general clean-up (a million rows).
        if number[17] != ric.calc_check_digit(number):
            raise IdNumberError("checksum")
        born = _date(number[6:14])
        if born is None or born.year < 1890:
            raise IdNumberError("birth_date")
        if born > (today or datetime.date.today()):
            raise IdNumberError("future")
        if not region_known(number[:6]):
            raise IdNumberError("region")
        return number
    number = ric.compact(str(raw or ""))
    if len(number) == 15:
        if not number.isdigit():
            raise IdNumberError("format")
        number = upgrade_15(number)
    if len(number) != 18:
        raise IdNumberError("length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("format")
    if number[17] != ric.calc_check_digit(number):
        raise IdNumberError("checksum")
    try:
        born = ric.get_birth_date(number)
    except ValidationError:
        raise IdNumberError("birth_date") from None
    if born > (today or datetime.date.today()) or born.year < 1890:
        raise IdNumberError("future" if born.year >= 1890 else "birth_date")
    if not region_known(number[:6]):
        raise IdNumberError("region")
    return number


def birth_date_of(number: str) -> datetime.date:
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_of(number: str) -> str:
    """'M' or 'F': the order code (17th digit) is odd for men, even for women."""
    return "M" if int(number[16]) % 2 else "F"


def mask(number: str) -> str:
    """4501**********123X: the region's first four digits and the last four stay."""
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def make(region6: str, born: datetime.date, order: int) -> str:
    """A valid number for synthetic data: region, birth date, 3-digit order code."""
    body = f"{region6}{born:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")
