"""Resident ID numbers (居民身份证号码, GB 11643-1999), pure: no Django.

Validation is python-stdnum's `cn.ric` (length, check digit, birth date, birth place); this
module adds the legacy 15-digit conversion, the reasons in words, masking, and the sex and
birth date read from the number.
"""

import datetime
from functools import lru_cache

import numpy as np
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


# GB 11643's weights are 2^(17-i) mod 11; the check character is (1 - weighted sum) mod 11,
# with 10 written X (the same arithmetic as stdnum's calc_check_digit).
_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_CHECK_CHARS = np.frombuffer(b"0123456789X", dtype=np.uint8)
_DAYS = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def canonical_mask(numbers: list[str], *, today: datetime.date | None = None) -> list[bool]:
    """For each of `numbers`, whether it is a valid number already in its 18-character form,
    so that `normalize` would return it unchanged — checked for a whole column at once.

    An import checks a million numbers; one vectorised pass costs what a few thousand calls
    of `normalize` do. False only means "ask `normalize`", which gives the reason or the
    converted form (15 digits, a lower-case x, spaces).
    """
    count = len(numbers)
    mask = np.zeros(count, dtype=bool)
    index = [i for i, number in enumerate(numbers) if len(number) == 18 and number.isascii()]
    if not index:
        return mask.tolist()
    data = "".join([numbers[i] for i in index]).encode("ascii")
    chars = np.frombuffer(data, dtype=np.uint8).reshape(-1, 18)
    digits = chars[:, :17].astype(np.int64) - 48
    ok = ((digits >= 0) & (digits <= 9)).all(axis=1)
    digits[~ok] = 0
    ok &= chars[:, 17] == _CHECK_CHARS[(1 - digits @ _WEIGHTS) % 11]
    year = digits[:, 6:10] @ np.array([1000, 100, 10, 1])
    month = digits[:, 10] * 10 + digits[:, 11]
    day = digits[:, 12] * 10 + digits[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days = _DAYS[np.clip(month, 0, 12)] - ((month == 2) & ~leap)
    today = today or datetime.date.today()
    ok &= (year >= 1890) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days)
    ok &= year * 10000 + month * 100 + day <= today.year * 10000 + today.month * 100 + today.day
    regions = digits[:, :6] @ np.array([100000, 10000, 1000, 100, 10, 1])
    known = [code for code in np.unique(regions[ok]).tolist() if region_known(f"{code:06d}")]
    ok &= np.isin(regions, known)
    mask[index] = ok
    return mask.tolist()


def birth_date_of(number: str) -> datetime.date:
    """The birth date of a valid number."""
    return _date(number[6:14])


def sex_of(number: str) -> str:
    """'M' or 'F': the order code (17th digit) is odd for men, even for women."""
    return "M" if int(number[16]) % 2 else "F"


def mask(number: str) -> str:
    """45**************3X: the province and the last two characters stay, nothing else.

    The one mask of every page, export, history and report (docs/security.md, "ID numbers").
    The first four and last four (4501**********123X) left, beside a birth date, only the
    county's two digits unknown, which the check digit cut to about nine candidates. Now the
    county, the birth date (pages show an age to whoever may not reveal the number) and two
    order digits are unknown: tens of thousands of candidates, and no search to try them."""
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def age(born: datetime.date | None, today: datetime.date | None = None) -> int | None:
    """Full years on `today`: what a page shows in place of a birth date to a reader who may
    not see the full ID number (the birth date is eight of its digits)."""
    if born is None:
        return None
    today = today or datetime.date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def make(region6: str, born: datetime.date, order: int) -> str:
    """A valid number for synthetic data: region, birth date, 3-digit order code."""
    body = f"{region6}{born:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")
