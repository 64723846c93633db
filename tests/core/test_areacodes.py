import pytest
from hypothesis import given
from hypothesis import strategies as st

from fupin import areacodes
from fupin.areacodes import AreaCodeError, Level


@pytest.mark.parametrize(
    ("code", "level", "prefix", "parent"),
    [
        ("450000000000", Level.PROVINCE, "45", None),
        ("450100000000", Level.CITY, "4501", "450000000000"),
        ("450103000000", Level.COUNTY, "450103", "450100000000"),
        ("450103001000", Level.TOWNSHIP, "450103001", "450103000000"),
        ("450103001201", Level.VILLAGE, "450103001201", "450103001000"),
        ("450103001201007", Level.GROUP, "450103001201007", "450103001201"),
    ],
)
def test_levels_prefixes_and_parents(code, level, prefix, parent):
    assert areacodes.level_of(code) == level
    assert areacodes.prefix_of(code) == prefix
    assert areacodes.parent_code(code) == parent


@pytest.mark.parametrize(
    "code", ["", "4501", "45010300120A", "000000000000", "450103001201000", "4501030012011"]
)
def test_malformed_codes_are_refused(code):
    with pytest.raises(AreaCodeError):
        areacodes.level_of(code)


def test_subtree_is_exactly_the_codes_with_the_prefix():
    assert areacodes.is_within("450103001201", "450103000000")
    assert areacodes.is_within("450103001201007", "450103001201")
    assert not areacodes.is_within("450104001201", "450103000000")
    # 4501039... is still inside 450103; 450104 is not, though it sorts right after.
    assert areacodes.is_within("450103999999", "450103000000")


digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@given(code=digits, ancestor=digits)
def test_range_test_agrees_with_startswith(code, ancestor):
    try:
        prefix = areacodes.prefix_of(ancestor)
    except AreaCodeError:
        return
    assert areacodes.is_within(code, ancestor) == code.startswith(prefix)
