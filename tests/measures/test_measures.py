"""Tests for fupin.measures: published worked examples, hand-checked cases and properties.

Where the numbers come from is stated in each test's docstring. "By hand" means the arithmetic
is written out in the docstring and can be redone on paper; nothing here was produced by
running the code under test.
"""

from __future__ import annotations

import ast
import dataclasses
import math
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fupin import measures
from fupin.measures import MPIResult, atkinson, fgt, gini, mpi, sen, theil_l, theil_t, watts

# UNDP global MPI: health (nutrition, child mortality) and education (years of schooling,
# school attendance) indicators weigh 1/6 each; six living-standard indicators 1/18 each.
GLOBAL_MPI_WEIGHTS = [1 / 6] * 4 + [1 / 18] * 6
GLOBAL_MPI_FRACTIONS = [Fraction(1, 6)] * 4 + [Fraction(1, 18)] * 6


# ---------------------------------------------------------------------------------------------
# Fixtures: worked examples
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def country_c():
    """Haughton & Khandker (2009), ch. 4 (pp. 70-72), tables "Calculating the Poverty Gap
    Index, Assuming Poverty Line of 125": expenditure per person in "country C" is 100, 110,
    150, 160 and the poverty line is 125. The book reports P1 = 0.08 [= 0.32/4] and
    P2 = 0.0136 [= 0.0544/4].
    """
    return np.array([100.0, 110.0, 150.0, 160.0]), 125.0


@pytest.fixture
def one_to_ten():
    """Incomes 1, 2, ..., 10 (a hand-checkable example, not from a book)."""
    return np.arange(1.0, 11.0)


@pytest.fixture
def alkire_foster_2011():
    """Illustrative example of Alkire & Foster (2011), four persons and four dimensions.

    Achievement matrix y (rows are persons a, b, c, d) and deprivation cutoffs z:

        y = [[13.1, 14, 4, 1],
             [15.2,  7, 5, 0],
             [12.5, 10, 1, 0],
             [20.0, 11, 3, 1]]      z = (13, 12, 3, 1)

    These are the paper's numbers as also reproduced in the examples of the public R package
    ``easyuse`` (perlatex/easyuse); the paper's own text was not at hand while writing this
    test, so the deprivation matrix and every figure derived from it below are worked out by
    hand from y and z rather than copied. A person is deprived when y_ij < z_j:

        g0 = [[0, 0, 0, 0],         counts c = (0, 2, 4, 1)
              [0, 1, 0, 1],
              [1, 1, 1, 1],
              [0, 1, 0, 0]]
    """
    achievements = np.array([[13.1, 14, 4, 1], [15.2, 7, 5, 0], [12.5, 10, 1, 0], [20.0, 11, 3, 1]])
    cutoffs = np.array([13, 12, 3, 1])
    deprivations = (achievements < cutoffs).astype(int)
    assert deprivations.tolist() == [[0, 0, 0, 0], [0, 1, 0, 1], [1, 1, 1, 1], [0, 1, 0, 0]]
    return deprivations


def assert_headline(result: MPIResult, *, H: float, A: float, M0: float) -> None:
    """Compare H, A and M0 of an MPI result with hand-computed values."""
    np.testing.assert_allclose([result.H, result.A, result.M0], [H, A, M0], rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# Unidimensional poverty: worked examples
# ---------------------------------------------------------------------------------------------


def test_fgt_handbook_country_c(country_c):
    """Haughton & Khandker (2009), ch. 4, country C, z = 125 (see the fixture).

    P0 = 2/4 = 0.5 (100 and 110 are below 125).
    P1 = (25/125 + 15/125) / 4 = (0.20 + 0.12) / 4 = 0.08, as printed in the book.
    P2 = (0.20**2 + 0.12**2) / 4 = (0.04 + 0.0144) / 4 = 0.0136, as printed in the book.
    """
    incomes, line = country_c
    assert fgt(incomes, line) == pytest.approx(0.5)
    assert fgt(incomes, line, alpha=1) == pytest.approx(0.08)
    assert fgt(incomes, line, alpha=2) == pytest.approx(0.0136)


def test_watts_handbook_country_c(country_c):
    """Watts index on the Handbook's country C data (ch. 4), computed by hand here:

    W = (ln(125/100) + ln(125/110)) / 4 = (0.2231436 + 0.1278334) / 4 = 0.0877442.
    """
    incomes, line = country_c
    assert watts(incomes, line) == pytest.approx((math.log(1.25) + math.log(125 / 110)) / 4)
    assert watts(incomes, line) == pytest.approx(0.0877442, abs=1e-7)


def test_sen_handbook_country_c(country_c):
    """Sen index, Handbook form P_S = P0 * (1 - (1 - G_p) * mu_p / z), on country C by hand.

    Poor: 100 and 110, so P0 = 1/2 and mu_p = 105.
    Gini among the poor: sum_ij |y_i - y_j| / (2 n^2 mu) = (10 + 10) / (2 * 4 * 105) = 1/42.
    P_S = 1/2 * (1 - (41/42) * (105/125)) = 1/2 * (1 - 4305/5250) = 1/2 * 0.18 = 0.09.
    Check with the other form: P0 * G_p + P1 * (1 - G_p) = 0.5/42 + 0.08 * 41/42
    = (0.5 + 3.28) / 42 = 0.09.
    """
    incomes, line = country_c
    assert gini([100, 110]) == pytest.approx(1 / 42)
    assert sen(incomes, line) == pytest.approx(0.09)


def test_fgt_one_to_ten(one_to_ten):
    """Incomes 1..10, line 5, by hand. 5 itself is not poor (strictly below the line).

    P0 = 4/10 = 0.4 (incomes 1, 2, 3, 4).
    P1 = (4 + 3 + 2 + 1) / (5 * 10) = 10/50 = 0.2.
    P2 = (16 + 9 + 4 + 1) / (25 * 10) = 30/250 = 0.12.
    P3 = (64 + 27 + 8 + 1) / (125 * 10) = 100/1250 = 0.08.
    """
    assert fgt(one_to_ten, 5) == pytest.approx(0.4)
    assert fgt(one_to_ten, 5, alpha=1) == pytest.approx(0.2)
    assert fgt(one_to_ten, 5, alpha=2) == pytest.approx(0.12)
    assert fgt(one_to_ten, 5, alpha=3) == pytest.approx(0.08)


def test_fgt_fractional_alpha():
    """alpha = 0.5, incomes (0, 75, 100), line 100, by hand: (1 + sqrt(0.25) + 0) / 3 = 0.5."""
    assert fgt([0, 75, 100], 100, alpha=0.5) == pytest.approx(0.5)


def test_income_at_the_line_is_not_poor():
    """Poor means strictly below the line (Handbook ch. 4, indicator I(y_i < z))."""
    at_line = [5.0, 5.0, 5.0]
    for alpha in (0, 1, 2, 0.5):
        assert fgt(at_line, 5.0, alpha=alpha) == 0.0
    assert watts(at_line, 5.0) == 0.0
    assert sen(at_line, 5.0) == 0.0
    assert fgt([4.999999, 5.0], 5.0) == 0.5


def test_household_sizes_weight_people_not_households():
    """Two households, incomes 50 (5 people) and 200 (1 person), line 100, by hand.

    P0 = 5/6 of people are poor; P1 = 5 * 0.5 / 6 = 5/12; Watts = 5 * ln 2 / 6.
    Unweighted (per household) the headcount would be 1/2.
    """
    incomes, sizes = [50.0, 200.0], [5, 1]
    assert fgt(incomes, 100, weights=sizes) == pytest.approx(5 / 6)
    assert fgt(incomes, 100, alpha=1, weights=sizes) == pytest.approx(5 / 12)
    assert watts(incomes, 100, weights=sizes) == pytest.approx(5 * math.log(2) / 6)
    assert fgt(incomes, 100) == pytest.approx(0.5)


def test_sen_all_poor_have_zero_income():
    """Nobody has income: G_p is taken as 0 and P_S = P0 = P1 = 1."""
    assert sen([0.0, 0.0], 10) == pytest.approx(1.0)


# ---------------------------------------------------------------------------------------------
# Inequality: worked examples
# ---------------------------------------------------------------------------------------------


def test_gini_one_to_ten(one_to_ten):
    """Incomes 1..10, by hand: G = 2 * sum(i * y_i) / (n * sum(y)) - (n + 1) / n
    = 2 * 385 / (10 * 55) - 11/10 = 1.4 - 1.1 = 0.3.
    """
    assert gini(one_to_ten) == pytest.approx(0.3)


def test_inequality_one_one_four():
    """Incomes (1, 1, 4), mean 2, by hand.

    Gini: sum_ij |y_i - y_j| = 2 * (0 + 3 + 3) = 12; G = 12 / (2 * 9 * 2) = 1/3.
    Theil T: (1/3) * (2 * 0.5 ln 0.5 + 2 ln 2) = (1/3) * (-ln 2 + 2 ln 2) = ln(2)/3.
    Theil L: (1/3) * (ln 2 + ln 2 + ln 0.5) = ln(2)/3.
    Atkinson:
      epsilon 0   -> 0 (the mean itself);
      epsilon 1/2 -> y_ede/mu = ((1/3)(2 sqrt(1/2) + sqrt 2))^2 = ((1/3) 2 sqrt 2)^2 = 8/9,
                     so A = 1/9;
      epsilon 1   -> geometric mean 4^(1/3), A = 1 - 4^(1/3)/2 = 1 - 2^(-1/3);
      epsilon 2   -> harmonic mean 3 / (1 + 1 + 1/4) = 4/3, A = 1 - (4/3)/2 = 1/3.
    """
    incomes = [1.0, 1.0, 4.0]
    assert gini(incomes) == pytest.approx(1 / 3)
    assert theil_t(incomes) == pytest.approx(math.log(2) / 3)
    assert theil_l(incomes) == pytest.approx(math.log(2) / 3)
    assert atkinson(incomes, 0) == pytest.approx(0.0, abs=1e-15)
    assert atkinson(incomes, 0.5) == pytest.approx(1 / 9)
    assert atkinson(incomes, 1) == pytest.approx(1 - 2 ** (-1 / 3))
    assert atkinson(incomes, 2) == pytest.approx(1 / 3)


def test_inequality_one_person_has_everything():
    """Incomes (0, 10), by hand: G = (10 + 10) / (2 * 4 * 5) = 1/2; Theil T = ln 2 (its
    maximum, ln n); with n people and one holding everything G = 1 - 1/n.
    """
    assert gini([0.0, 10.0]) == pytest.approx(0.5)
    assert theil_t([0.0, 10.0]) == pytest.approx(math.log(2))
    assert gini([0.0] * 9 + [1.0]) == pytest.approx(0.9)
    assert theil_t([0.0] * 9 + [1.0]) == pytest.approx(math.log(10))


def test_weighted_gini_example():
    """Incomes (1, 2) with weights (3, 1), i.e. the sample (1, 1, 1, 2), by hand:
    sum_ij |y_i - y_j| = 2 * 3 * 1 = 6, mean 5/4, G = 6 / (2 * 16 * 5/4) = 3/20.
    """
    assert gini([1.0, 2.0], weights=[3, 1]) == pytest.approx(0.15)
    assert gini([1.0, 1.0, 1.0, 2.0]) == pytest.approx(0.15)


def test_equal_incomes_have_no_inequality():
    incomes = [7.3] * 6
    assert gini(incomes) == 0.0
    assert theil_t(incomes) == pytest.approx(0.0, abs=1e-15)
    assert theil_l(incomes) == pytest.approx(0.0, abs=1e-15)
    for epsilon in (0, 0.5, 1, 2, 5):
        assert atkinson(incomes, epsilon) == pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------------------------------------
# Alkire-Foster MPI: worked examples
# ---------------------------------------------------------------------------------------------


def test_mpi_alkire_foster_2011_k2(alkire_foster_2011):
    """Alkire & Foster (2011) example, equal weights 1/4, k = 2 of 4 dimensions (k = 1/2).

    Poor: b (c = 2) and c (c = 4). H = 2/4 = 1/2; A = (2/4 + 4/4) / 2 = 3/4;
    M0 = H * A = 3/8 = 6/16 (6 censored deprivations out of 16 entries).
    Censored headcounts (poor and deprived): dim 1 {c} 1/4, dim 2 {b, c} 1/2, dim 3 {c} 1/4,
    dim 4 {b, c} 1/2. Contributions w_j CH_j / M0 = (1/16, 1/8, 1/16, 1/8) / (3/8)
    = (1/6, 1/3, 1/6, 1/3).
    Vulnerable (1/5 <= c < 1/2): d with 1/4, so 1/4. Severe (c >= 1/2): b and c, 1/2.
    """
    result = mpi(alkire_foster_2011, [0.25] * 4, k=0.5)
    assert_headline(result, H=0.5, A=0.75, M0=0.375)
    np.testing.assert_allclose(result.censored_headcounts, [0.25, 0.5, 0.25, 0.5])
    np.testing.assert_allclose(result.contributions, [1 / 6, 1 / 3, 1 / 6, 1 / 3])
    assert result.vulnerable == pytest.approx(0.25)
    assert result.severe == pytest.approx(0.5)
    np.testing.assert_allclose(result.scores, [0.0, 0.5, 1.0, 0.25])


def test_mpi_alkire_foster_2011_union_and_intersection(alkire_foster_2011):
    """Same example at the extreme cutoffs, by hand.

    Union (k = 1/4: deprived in any dimension): b, c, d poor; H = 3/4, A = (2 + 4 + 1) / 12
    = 7/12, M0 = 7/16, which is the plain share of 1s in g0 (7 of 16), as it must be.
    Intersection (k = 1: deprived in all): only c; H = 1/4, A = 1, M0 = 1/4.
    """
    union = mpi(alkire_foster_2011, [0.25] * 4, k=0.25)
    assert_headline(union, H=3 / 4, A=7 / 12, M0=7 / 16)
    assert math.isclose(union.M0, alkire_foster_2011.mean())
    intersection = mpi(alkire_foster_2011, [0.25] * 4, k=1)
    assert_headline(intersection, H=0.25, A=1.0, M0=0.25)


def test_mpi_alkire_foster_2011_with_household_sizes(alkire_foster_2011):
    """The same four units as households of sizes (2, 1, 3, 4), 10 people, k = 1/2, by hand.

    Poor: b (1 person, c = 1/2) and c (3 people, c = 1). H = 4/10 = 0.4;
    A = (1 * 1/2 + 3 * 1) / 4 = 7/8; M0 = 0.4 * 7/8 = 0.35.
    Censored headcounts: dims 1 and 3 {c} 3/10, dims 2 and 4 {b, c} 4/10.
    Contributions: 1/4 * (0.3, 0.4, 0.3, 0.4) / 0.35 = (3/14, 2/7, 3/14, 2/7).
    Vulnerable: d, 4 of 10 people = 0.4. Severe: b and c, 0.4.
    """
    result = mpi(alkire_foster_2011, [0.25] * 4, k=0.5, sizes=[2, 1, 3, 4])
    assert_headline(result, H=0.4, A=7 / 8, M0=0.35)
    np.testing.assert_allclose(result.censored_headcounts, [0.3, 0.4, 0.3, 0.4])
    np.testing.assert_allclose(result.contributions, [3 / 14, 2 / 7, 3 / 14, 2 / 7])
    assert result.vulnerable == pytest.approx(0.4)
    assert result.severe == pytest.approx(0.4)


def test_mpi_nobody_poor():
    result = mpi([[0, 0], [1, 0]], [0.5, 0.5], k=1)
    assert (result.H, result.A, result.M0) == (0.0, 0.0, 0.0)
    np.testing.assert_array_equal(result.contributions, [0.0, 0.0])
    np.testing.assert_array_equal(result.censored_headcounts, [0.0, 0.0])
    assert result.severe == pytest.approx(0.5)


def test_mpi_result_is_frozen(alkire_foster_2011):
    result = mpi(alkire_foster_2011, [0.25] * 4, k=0.5)
    assert isinstance(result, MPIResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.H = 0.0
    with pytest.raises(ValueError, match="read-only"):
        result.scores[0] = 1.0


# ---------------------------------------------------------------------------------------------
# Alkire-Foster MPI: exact cutoffs
# ---------------------------------------------------------------------------------------------


def test_global_mpi_score_of_exactly_one_third_is_poor():
    """UNDP global-MPI weights (1/6 x 4, 1/18 x 6), k = 1/3, by hand:

    row 0: one 1/6 indicator + three 1/18 = 3/18 + 3/18 = 1/3  -> poor (boundary)
    row 1: six 1/18 indicators            = 6/18 = 1/3          -> poor (boundary)
    row 2: one 1/6 + one 1/18             = 4/18 = 2/9          -> vulnerable (>= 1/5)
    row 3: three 1/18                     = 1/6 < 1/5           -> neither
    row 4: three 1/6                      = 1/2                 -> poor and severe
    """
    rows = [
        [1, 0, 0, 0, 1, 1, 1, 0, 0, 0],
        [0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
        [0, 1, 0, 0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1, 0, 1, 0, 1, 0],
        [1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
    ]
    result = mpi(rows, GLOBAL_MPI_WEIGHTS, k=1 / 3)
    # A = (1/3 + 1/3 + 1/2) / 3 = 7/18; M0 = 3/5 * 7/18 = 7/30.
    assert_headline(result, H=3 / 5, A=7 / 18, M0=7 / 30)
    assert result.vulnerable == pytest.approx(1 / 5)
    assert result.severe == pytest.approx(1 / 5)
    np.testing.assert_allclose(result.scores, [1 / 3, 1 / 3, 2 / 9, 1 / 6, 1 / 2])


@pytest.mark.parametrize(
    ("n_indicators", "n_deprived", "k", "field"),
    [
        # Python's float sum of six 1/12 is 0.49999999999999994 < 1/2.
        (12, 6, 0.5, "H"),
        (12, 6, 1 / 3, "severe"),
        # Ten 0.1 sum to 0.9999999999999999 < 1: deprived in everything must be poor at k = 1.
        (10, 10, 1.0, "H"),
        # Eleven 1/33 sum to 0.33333333333333326 < 1/3.
        (33, 11, 1 / 3, "H"),
        # Six 1/30 sum to 0.19999999999999998 < 1/5: the vulnerable band starts at 1/5.
        (30, 6, 1 / 3, "vulnerable"),
    ],
)
def test_mpi_cutoffs_are_exact_where_float_sums_fall_short(n_indicators, n_deprived, k, field):
    """Equal weights 1/d; a unit deprived in m indicators has score exactly m/d, which equals
    the cutoff. The guard assertion proves each case is a real floating-point trap: summing
    the float weights lands below the float cutoff.
    """
    weight = 1 / n_indicators
    threshold = {"H": k, "severe": 0.5, "vulnerable": 0.2}[field]
    assert sum([weight] * n_deprived) < threshold  # the trap is real
    row = [1] * n_deprived + [0] * (n_indicators - n_deprived)
    result = mpi([row], [weight] * n_indicators, k=k)
    assert getattr(result, field) == 1.0


def test_mpi_vulnerable_with_five_indicators_of_one_fifth():
    """Five indicators of 1/5, k = 1/3: one deprivation = 1/5 (vulnerable, boundary); two =
    2/5 (poor, not vulnerable); none = 0 (neither).
    """
    result = mpi([[1, 0, 0, 0, 0], [1, 1, 0, 0, 0], [0, 0, 0, 0, 0]], [0.2] * 5, k=1 / 3)
    assert result.vulnerable == pytest.approx(1 / 3)
    assert math.isclose(result.H, 1 / 3)


def test_mpi_accepts_fractions_and_float_weights_within_tolerance():
    """Weights of 0.3333333333 (sum 0.9999999999, within 1e-9) stand for 1/3 each."""
    rows = [[1, 0, 0], [1, 1, 0]]
    as_floats = mpi(rows, [0.3333333333] * 3, k=1 / 3)
    as_fractions = mpi(rows, [Fraction(1, 3)] * 3, k=Fraction(1, 3))
    assert as_floats.H == as_fractions.H == 1.0
    np.testing.assert_allclose(as_floats.scores, [1 / 3, 2 / 3])


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fgt([], 1), "empty"),
        (lambda: fgt([[1, 2]], 1), "one-dimensional"),
        (lambda: fgt([1, float("nan")], 1), "finite"),
        (lambda: fgt([1, 2], 1, weights=[1, -1]), "non-negative"),
        (lambda: fgt([1, 2], 1, weights=[1]), "2 units"),
        (lambda: fgt([1, 2], 1, weights=[0, 0]), "all be zero"),
        (lambda: fgt([1, 2], 0), "line"),
        (lambda: fgt([1, 2], -5), "line"),
        (lambda: fgt([1, 2], 1, alpha=-1), "alpha"),
        (lambda: watts([0, 2], 1), "> 0"),
        (lambda: watts([-1, 2], 1), "> 0"),
        (lambda: sen([-1, 2], 1), "non-negative"),
        (lambda: gini([-1, 2]), "non-negative"),
        (lambda: gini([0, 0]), "mean"),
        (lambda: gini([1, 2], weights=[1, 2, 3]), "3 entries"),
        (lambda: theil_t([-1, 2]), "non-negative"),
        (lambda: theil_l([0, 2]), "positive"),
        (lambda: atkinson([1, 2], -0.5), "epsilon"),
        (lambda: atkinson([0, 2], 1), "positive"),
        (lambda: atkinson([0, 2], 2), "positive"),
    ],
)
def test_income_measures_reject_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"deprivations": np.zeros((0, 2))}, "at least one"),
        ({"deprivations": [1, 0]}, "units x indicators"),
        ({"deprivations": [[1, 2]]}, "only 0 and 1"),
        ({"deprivations": [[1, 0.5]]}, "only 0 and 1"),
        ({"deprivations": [[1, float("nan")]]}, "only 0 and 1"),
        ({"weights": [0.5, 0.6]}, "sum to 1"),
        ({"weights": [1.5, -0.5]}, "non-negative"),
        ({"weights": [1.0]}, "one entry per indicator"),
        ({"k": 0}, r"\(0, 1\]"),
        ({"k": 1.5}, r"\(0, 1\]"),
        ({"k": -0.1}, r"\(0, 1\]"),
        ({"sizes": [1, -1]}, "sizes must be non-negative"),
        ({"sizes": [1, 2, 3]}, "sizes has 3 entries"),
    ],
)
def test_mpi_rejects_bad_input(kwargs, message):
    arguments = {"deprivations": [[1, 0], [0, 0]], "weights": [0.5, 0.5], "k": 0.5}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        mpi(**arguments)


def test_module_imports_only_stdlib_and_numpy():
    """fupin.measures must stay importable without Django."""
    tree = ast.parse(Path(measures.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"numpy"}


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

# Realistic money amounts: zero, or between 0.001 and a million (no subnormal floats, whose
# products with population shares underflow to 0).
positive_amounts = st.floats(min_value=1e-3, max_value=1e6)
amounts = st.one_of(st.just(0.0), positive_amounts)
income_lists = st.lists(amounts, min_size=1, max_size=30)
positive_income_lists = st.lists(positive_amounts, min_size=1, max_size=30)
lines = st.floats(min_value=1.0, max_value=1e6)
scales = st.floats(min_value=1e-3, max_value=1e3)


@st.composite
def weighted_incomes(draw, elements=amounts):
    """Incomes with integer weights (0 allowed, not all 0), and the expanded sample."""
    incomes = draw(st.lists(elements, min_size=1, max_size=15))
    weights = draw(st.lists(st.integers(0, 4), min_size=len(incomes), max_size=len(incomes)))
    assume(sum(weights) > 0)
    return incomes, weights, np.repeat(incomes, weights)


@given(income_lists, lines)
def test_fgt_indices_are_ordered(incomes, line):
    """For non-negative incomes every poverty gap ratio is in (0, 1], so P0 >= P1 >= P2."""
    p0, p1, p2 = (fgt(incomes, line, alpha=alpha) for alpha in (0, 1, 2))
    assert 1.0 >= p0 >= p1 - 1e-12
    assert p1 >= p2 - 1e-12
    assert p2 >= 0.0


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30), lines)
def test_headcount_is_share_strictly_below_line(incomes, line):
    assert fgt(incomes, line) == pytest.approx(np.mean(np.array(incomes) < line))


@given(income_lists, lines)
def test_sen_between_gap_and_headcount_and_matches_handbook_form(incomes, line):
    """P_S = P0 G_p + P1 (1 - G_p) lies between P1 and P0; check against the Handbook form
    P0 (1 - (1 - G_p) mu_p / z) computed independently here.
    """
    value = sen(incomes, line)
    p0, p1 = fgt(incomes, line), fgt(incomes, line, alpha=1)
    assert p1 - 1e-12 <= value <= p0 + 1e-12
    poor = [y for y in incomes if y < line]
    if poor and sum(poor) > 0:
        g_p, mu_p = gini(poor), float(np.mean(poor))
        expected = p0 * (1 - (1 - g_p) * mu_p / line)
        assert value == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(positive_income_lists, lines)
def test_watts_at_least_poverty_gap(incomes, line):
    """ln(z / y) >= 1 - y / z, so Watts >= P1."""
    assert watts(incomes, line) >= fgt(incomes, line, alpha=1) - 1e-12


@given(weighted_incomes(), lines, st.sampled_from([0, 0.5, 1, 2, 3]))
def test_weighted_poverty_equals_expanded_sample(sample, line, alpha):
    incomes, weights, expanded = sample
    assert fgt(incomes, line, alpha=alpha, weights=weights) == pytest.approx(
        fgt(expanded, line, alpha=alpha), rel=1e-9, abs=1e-12
    )
    assert sen(incomes, line, weights=weights) == pytest.approx(
        sen(expanded, line), rel=1e-9, abs=1e-12
    )


@given(weighted_incomes(positive_amounts), lines)
def test_weighted_watts_equals_expanded_sample(sample, line):
    incomes, weights, expanded = sample
    assert watts(incomes, line, weights=weights) == pytest.approx(
        watts(expanded, line), rel=1e-9, abs=1e-12
    )


@given(weighted_incomes())
def test_weighted_gini_and_theil_t_equal_expanded_sample(sample):
    incomes, weights, expanded = sample
    assume(expanded.sum() > 0)
    assert gini(incomes, weights=weights) == pytest.approx(gini(expanded), rel=1e-9, abs=1e-12)
    assert theil_t(incomes, weights=weights) == pytest.approx(
        theil_t(expanded), rel=1e-9, abs=1e-12
    )


@given(weighted_incomes(positive_amounts), st.sampled_from([0, 0.5, 1, 2]))
def test_weighted_theil_l_and_atkinson_equal_expanded_sample(sample, epsilon):
    incomes, weights, expanded = sample
    assert theil_l(incomes, weights=weights) == pytest.approx(
        theil_l(expanded), rel=1e-9, abs=1e-12
    )
    assert atkinson(incomes, epsilon, weights=weights) == pytest.approx(
        atkinson(expanded, epsilon), rel=1e-9, abs=1e-12
    )


@given(income_lists)
def test_gini_in_unit_interval(incomes):
    assume(sum(incomes) > 0)
    assert 0.0 <= gini(incomes) < 1.0


@given(positive_amounts, st.integers(1, 30))
def test_gini_zero_for_equal_incomes(income, n):
    assert gini([income] * n) == 0.0


@given(positive_income_lists, scales)
def test_inequality_is_scale_invariant(incomes, factor):
    scaled = [y * factor for y in incomes]
    for measure in (gini, theil_t, theil_l):
        assert measure(scaled) == pytest.approx(measure(incomes), rel=1e-7, abs=1e-9)
    for epsilon in (0.5, 1, 2):
        assert atkinson(scaled, epsilon) == pytest.approx(
            atkinson(incomes, epsilon), rel=1e-7, abs=1e-9
        )


@given(positive_income_lists)
def test_atkinson_one_is_one_minus_exp_minus_theil_l(incomes):
    """A_1 = 1 - geometric mean / mean = 1 - exp(-L), since L = ln(mean / geometric mean)."""
    assert atkinson(incomes, 1) == pytest.approx(1 - math.exp(-theil_l(incomes)), abs=1e-12)


@st.composite
def deprivation_problems(draw):
    """A 0/1 matrix, equal weights 1/d, a rational cutoff k and integer household sizes."""
    d = draw(st.integers(1, 40))
    n = draw(st.integers(1, 12))
    rows = draw(
        st.lists(st.lists(st.integers(0, 1), min_size=d, max_size=d), min_size=n, max_size=n)
    )
    denominator = draw(st.integers(1, 12))
    k = Fraction(draw(st.integers(1, denominator)), denominator)
    sizes = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    assume(sum(sizes) > 0)
    return np.array(rows), [1 / d] * d, k, sizes


@settings(max_examples=200)
@given(deprivation_problems())
def test_mpi_identification_matches_exact_fractions(problem):
    """Poor iff count / d >= k, decided in exact rational arithmetic here."""
    rows, weights, k, _ = problem
    d = rows.shape[1]
    expected_poor = [Fraction(int(row.sum()), d) >= k for row in rows]
    result = mpi(rows, weights, k=float(k))
    assert math.isclose(result.H, np.mean(expected_poor), abs_tol=1e-15)
    assert mpi(rows, weights, k=k).H == result.H


@settings(max_examples=200)
@given(st.lists(st.lists(st.integers(0, 1), min_size=10, max_size=10), min_size=1, max_size=20))
def test_global_mpi_bands_match_exact_fractions(rows):
    scores = [sum(w * g for w, g in zip(GLOBAL_MPI_FRACTIONS, row, strict=True)) for row in rows]
    result = mpi(rows, GLOBAL_MPI_WEIGHTS, k=1 / 3)
    third, fifth, half = Fraction(1, 3), Fraction(1, 5), Fraction(1, 2)
    assert math.isclose(result.H, np.mean([s >= third for s in scores]), abs_tol=1e-15)
    assert result.vulnerable == pytest.approx(np.mean([fifth <= s < third for s in scores]))
    assert result.severe == pytest.approx(np.mean([s >= half for s in scores]))
    np.testing.assert_allclose(result.scores, [float(s) for s in scores])


@given(deprivation_problems())
def test_mpi_identities(problem):
    """M0 == H * A; contributions sum to 1 when M0 > 0; M0 = sum_j w_j CH_j."""
    rows, weights, k, sizes = problem
    result = mpi(rows, weights, k=k, sizes=sizes)
    assert result.M0 == result.H * result.A
    assert math.isclose(result.M0, np.dot(weights, result.censored_headcounts), abs_tol=1e-12)
    if result.M0 > 0:
        assert result.contributions.sum() == pytest.approx(1.0)
        assert float(k) - 1e-12 <= result.A <= 1.0 + 1e-12
    else:
        assert not result.contributions.any()


@given(deprivation_problems())
def test_mpi_sizes_equal_expanded_sample(problem):
    rows, weights, k, sizes = problem
    weighted = mpi(rows, weights, k=k, sizes=sizes)
    expanded = mpi(np.repeat(rows, sizes, axis=0), weights, k=k)
    for field in ("H", "A", "M0", "vulnerable", "severe"):
        assert getattr(weighted, field) == pytest.approx(getattr(expanded, field), abs=1e-12)
    np.testing.assert_allclose(
        weighted.censored_headcounts, expanded.censored_headcounts, atol=1e-12
    )
    np.testing.assert_allclose(weighted.contributions, expanded.contributions, atol=1e-9)
