import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin import idnumbers
from fupin.idnumbers import IdNumberError

TODAY = datetime.date(2026, 11, 28)


def test_a_valid_number_is_returned_unchanged():
    assert idnumbers.normalize("360426199101010071", today=TODAY) == "360426199101010071"


def test_lower_case_x_and_spaces_are_tidied():
    number = idnumbers.make("450122", datetime.date(1980, 5, 1), 123)
    assert number.endswith("X")
    assert idnumbers.normalize(" " + number.lower() + " ", today=TODAY) == number


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("360426199101010072", "checksum"),
        ("36042619910101007", "length"),
        ("3604261991010100A1", "format"),
        ("360426199102300079", "birth_date"),  # 30 February, with a correct check digit
        ("999999199101010079", "region"),
        ("360426202801010078", "future"),
    ],
)
def test_invalid_numbers_say_why(raw, code):
    if code in {"birth_date", "region", "future"}:
        raw = raw[:17] + idnumbers.ric.calc_check_digit(raw)  # only the named part is wrong
    with pytest.raises(IdNumberError) as error:
        idnumbers.normalize(raw, today=TODAY)
    assert error.value.code == code


def test_fifteen_digit_numbers_become_eighteen():
    assert idnumbers.normalize("450122800501123", today=TODAY) == "45012219800501123X"


def test_sex_birth_date_and_mask():
    number = "45012219800501123X"
    assert idnumbers.sex_of(number) == "M"
    assert idnumbers.birth_date_of(number) == datetime.date(1980, 5, 1)
    assert idnumbers.mask(number) == "45**************3X"


@given(
    born=st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY),
    order=st.integers(min_value=0, max_value=999),
)
def test_made_numbers_validate_and_read_back(born, order):
    number = idnumbers.make("450122", born, order)
    assert idnumbers.normalize(number, today=TODAY) == number
    assert idnumbers.birth_date_of(number) == born
    assert idnumbers.sex_of(number) == ("M" if order % 2 else "F")


# --- the vectorised check the importer uses for whole columns ---------------------------------

# Numbers near every boundary normalize() knows: a real region or not, 29 February in leap and
# other years, the year 1890, today and tomorrow, a wrong check digit, 15 digits, a lower x.
_regions = st.sampled_from(["450122", "360426", "110101", "999999", "450100", "000000"])
_births = st.dates(min_value=datetime.date(1885, 1, 1), max_value=datetime.date(2027, 12, 31))


@st.composite
def near_valid_numbers(draw):
    body = f"{draw(_regions)}{draw(_births):%Y%m%d}{draw(st.integers(0, 999)):03d}"
    number = body + idnumbers.ric.calc_check_digit(body + "0")
    mangle = draw(st.sampled_from(["none", "check", "lower", "day", "short", "space", "wide"]))
    if mangle == "check":
        number = number[:17] + ("0" if number[17] != "0" else "1")
    elif mangle == "lower":
        number = number.lower()
    elif mangle == "day":  # 30 or 31 of a month that may not have it, or month 13
        number = number[:10] + draw(st.sampled_from(["0230", "0229", "0431", "1301", "0000"]))
        number += number[14:17] if len(number) < 17 else ""
        number = (number + "0000000")[:17]
        number += idnumbers.ric.calc_check_digit(number + "0")
    elif mangle == "short":
        number = number[:6] + number[8:17]
    elif mangle == "space":
        number = " " + number
    elif mangle == "wide":
        number = number[:5] + "１" + number[6:]
    return number


@given(st.lists(st.one_of(near_valid_numbers(), st.text(max_size=20)), max_size=30))
def test_the_column_check_accepts_only_what_normalize_returns_unchanged(numbers):
    mask = idnumbers.canonical_mask(numbers, today=TODAY)
    assert len(mask) == len(numbers)
    for number, canonical in zip(numbers, mask, strict=True):
        try:
            unchanged = idnumbers.normalize(number, today=TODAY) == number
        except IdNumberError:
            unchanged = False
        assert canonical == unchanged, number


def test_the_column_check_passes_valid_numbers_and_today_but_not_tomorrow():
    today = idnumbers.make("450122", TODAY, 12)
    tomorrow = idnumbers.make("450122", TODAY + datetime.timedelta(days=1), 12)
    leap = idnumbers.make("360426", datetime.date(2000, 2, 29), 7)
    assert idnumbers.canonical_mask([today, tomorrow, leap, ""], today=TODAY) == [
        True,
        False,
        True,
        False,
    ]
