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
    assert idnumbers.mask(number) == "4501**********123X"


@given(
    born=st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY),
    order=st.integers(min_value=0, max_value=999),
)
def test_made_numbers_validate_and_read_back(born, order):
    number = idnumbers.make("450122", born, order)
    assert idnumbers.normalize(number, today=TODAY) == number
    assert idnumbers.birth_date_of(number) == born
    assert idnumbers.sex_of(number) == ("M" if order % 2 else "F")
