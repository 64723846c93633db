"""Poverty and inequality measures for Fupin.

Pure computation: this module imports only the standard library and NumPy, never Django, so it
can be used from views, management commands, reports and notebooks alike.

Income-based poverty (unidimensional), following Haughton & Khandker, *Handbook on Poverty and
Inequality* (World Bank, 2009), ch. 4:

* :func:`fgt` -- Foster-Greer-Thorbecke family: headcount P0, gap P1, squared gap P2, any
  alpha >= 0 (Foster, Greer & Thorbecke, *Econometrica* 52(3), 1984, 761-766).
* :func:`watts` -- Watts index.
* :func:`sen` -- Sen index in the Handbook's form.

Inequality, following the same Handbook, ch. 6:

* :func:`gini`, :func:`theil_t` (GE(1)), :func:`theil_l` (GE(0), mean log deviation) and
  :func:`atkinson`.

Multidimensional poverty:

* :func:`mpi` -- Alkire-Foster adjusted headcount ratio M0 (Alkire & Foster, "Counting and
  multidimensional poverty measurement", *Journal of Public Economics* 95 (2011) 476-487),
  with the vulnerability and severity bands of the UNDP Human Development Report technical
  notes on the global MPI (10 indicators in 3 equally weighted dimensions, poverty cutoff
  k = 1/3, vulnerable 1/5 <= c < 1/3, severe c >= 1/2).

Conventions shared by every function:

* ``incomes`` is any 1-D array-like of finite floats (income or consumption per capita).
* ``weights`` (``sizes`` in :func:`mpi`) are optional non-negative population weights, e.g.
  household sizes, so a household of five counts as five people. ``None`` means one person
  per unit. With integer weights every measure equals the same measure computed on the
  sample in which each unit is repeated ``weight`` times.
* A unit is poor when its income is *strictly* below the poverty line: income exactly at the
  line is not poor (Handbook, ch. 4, the indicator I(y_i < z)).
* Every invalid input raises :class:`ValueError` with a message that names the argument.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

__all__ = [
    "MPIResult",
    "atkinson",
    "fgt",
    "gini",
    "mpi",
    "sen",
    "theil_l",
    "theil_t",
    "watts",
]

# limit_denominator bound for turning float indicator weights and cutoffs into exact fractions:
# 1/6, 1/18, 1/3 and any weight a person would write by hand are recovered exactly.
_MAX_DENOMINATOR = 10**6
# Tolerance for "indicator weights sum to 1", on the floats the caller passed.
_WEIGHT_SUM_TOLERANCE = 1e-9
# UNDP global-MPI bands, kept as fractions so that they are compared exactly as well.
_VULNERABLE_FROM = Fraction(1, 5)
_SEVERE_FROM = Fraction(1, 2)
_INT64_MAX = int(np.iinfo(np.int64).max)


# ---------------------------------------------------------------------------------------------
# Shared input validation
# ---------------------------------------------------------------------------------------------


def _population_weights(weights, n: int, name: str = "weights") -> np.ndarray:
    """Validate per-unit population weights for ``n`` units; ``None`` means 1 each.

    This is the single place where population weights are checked. Every measure is then a
    weighted average (see :func:`_average`), which is what makes integer weights equivalent to
    repeating units.
    """
    if weights is None:
        return np.ones(n)
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {w.shape}")
    if w.shape[0] != n:
        raise ValueError(f"{name} has {w.shape[0]} entries but there are {n} units")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{name} must be finite numbers")
    if np.any(w < 0):
        raise ValueError(f"{name} must be non-negative")
    if not np.any(w > 0):
        raise ValueError(f"{name} must not all be zero")
    return w


def _average(w: np.ndarray, values: np.ndarray):
    """Population average sum_i w_i values_i / sum_i w_i (per column for a 2-D ``values``).

    Dividing once at the end, rather than pre-normalising the weights, keeps counts exact:
    with unit or integer weights a share such as 9/9 comes out as exactly 1. The total is the
    same dot product with ones, so a subset's share can never round above the whole.
    """
    return (w @ values) / (w @ np.ones_like(w))


def _prepare(incomes, weights) -> tuple[np.ndarray, np.ndarray]:
    """Validate ``incomes`` and ``weights``; return (incomes, weights) as float arrays.

    Units of weight 0 are dropped: they are absent from the expanded sample, so they must not
    trip a domain check (e.g. a zero income in a log-based measure) either.
    """
    y = np.asarray(incomes, dtype=float)
    if y.ndim != 1:
        raise ValueError(f"incomes must be one-dimensional, got shape {y.shape}")
    if y.shape[0] == 0:
        raise ValueError("incomes must not be empty")
    if not np.all(np.isfinite(y)):
        raise ValueError("incomes must be finite numbers (no NaN or infinity)")
    w = _population_weights(weights, y.shape[0])
    present = w > 0
    return y[present], w[present]


def _check_line(line) -> float:
    z = float(line)
    if not math.isfinite(z) or z <= 0:
        raise ValueError(f"line must be a positive finite number, got {line!r}")
    return z


def _check_for_inequality(y: np.ndarray, w: np.ndarray, *, positive: bool = False) -> float:
    """Check the domain of an inequality measure and return the weighted mean income.

    Inequality indices are relative (scale-invariant) measures, so they need a positive mean;
    the log-based ones additionally need every income to be > 0.
    """
    if positive and np.any(y <= 0):
        raise ValueError("incomes must all be positive for this measure (it takes logarithms)")
    if np.any(y < 0):
        raise ValueError("incomes must be non-negative for inequality measures")
    mean = float(_average(w, y))
    if mean <= 0:
        raise ValueError("mean income must be positive for inequality measures")
    return mean


# ---------------------------------------------------------------------------------------------
# Unidimensional poverty
# ---------------------------------------------------------------------------------------------


def fgt(incomes, line, alpha=0, weights=None) -> float:
    """Foster-Greer-Thorbecke poverty index P_alpha.

    P_alpha = sum_i w_i * I(y_i < z) * ((z - y_i) / z) ** alpha / sum_i w_i.
    ``alpha = 0`` is the headcount ratio P0, ``alpha = 1`` the poverty gap index P1 and
    ``alpha = 2`` the squared poverty gap (severity) index P2; any ``alpha >= 0`` is accepted.
    Incomes may be negative (the gap then exceeds the line).

    References: Haughton & Khandker (2009), ch. 4 (headcount, poverty gap and squared poverty
    gap indexes); Foster, Greer & Thorbecke (1984).
    """
    y, w = _prepare(incomes, weights)
    z = _check_line(line)
    a = float(alpha)
    if not math.isfinite(a) or a < 0:
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}")
    poor = y < z
    # Clip before the power so non-poor units never raise a negative base to a fractional
    # power; the mask then applies I(y < z), which also keeps 0 ** 0 out of P0.
    gap = np.clip((z - y) / z, 0.0, None)
    return float(_average(w, np.where(poor, gap**a, 0.0)))


def watts(incomes, line, weights=None) -> float:
    """Watts index: W = sum_i w_i * I(y_i < z) * ln(z / y_i) / sum_i w_i.

    The non-poor contribute 0. The index is undefined for a poor unit with income <= 0, so
    that raises :class:`ValueError`.

    Reference: Haughton & Khandker (2009), ch. 4, "The Watts index".
    """
    y, w = _prepare(incomes, weights)
    z = _check_line(line)
    poor = y < z
    if np.any(y[poor] <= 0):
        raise ValueError(
            "watts: every poor income must be > 0 (ln(line / income) is undefined otherwise)"
        )
    log_ratio = np.zeros_like(y)
    log_ratio[poor] = np.log(z / y[poor])
    return float(_average(w, log_ratio))


def sen(incomes, line, weights=None) -> float:
    """Sen poverty index in the form used by Haughton & Khandker (2009), ch. 4.

    P_S = P0 * (1 - (1 - G_p) * mu_p / z), where G_p is the Gini coefficient among the poor
    and mu_p their mean income. Equivalently P_S = P0 * G_p + P1 * (1 - G_p), because
    P1 = P0 * (1 - mu_p / z):

        P0 * G_p + P1 * (1 - G_p) = P0 * G_p + P0 * (1 - mu_p / z) * (1 - G_p)
                                  = P0 * [G_p + (1 - G_p) - (1 - G_p) * mu_p / z]
                                  = P0 * [1 - (1 - G_p) * mu_p / z].

    The second form is the one computed. This is the large-population form (no q / (q + 1)
    correction as in Sen, *Econometrica* 44(2), 1976, 219-231). It is 0 when nobody is poor.
    Poor incomes must be non-negative (the Gini among the poor needs it); if all poor have
    income 0, G_p is taken as 0 and P_S = P0.
    """
    y, w = _prepare(incomes, weights)
    z = _check_line(line)
    poor = y < z
    if not np.any(poor):
        return 0.0
    if np.any(y[poor] < 0):
        raise ValueError("sen: poor incomes must be non-negative")
    headcount = float(_average(w, poor))
    gap_index = fgt(y, z, alpha=1, weights=w)
    gini_poor = _gini(y[poor], w[poor]) if np.any(y[poor] > 0) else 0.0
    return headcount * gini_poor + gap_index * (1.0 - gini_poor)


# ---------------------------------------------------------------------------------------------
# Inequality
# ---------------------------------------------------------------------------------------------


def _gini(y: np.ndarray, w: np.ndarray) -> float:
    """Gini of a validated distribution: sum_ij w_i w_j |y_i - y_j| / (2 W^2 mu)."""
    # Group equal incomes first: pairs of equal incomes contribute exactly 0, so equal
    # incomes give exactly 0 rather than rounding noise, and duplicates need no tie rule.
    values, index = np.unique(y, return_inverse=True)
    mass = np.bincount(index.ravel(), weights=w, minlength=values.shape[0])
    cumulative = np.cumsum(mass)
    below = cumulative - mass
    above = cumulative[-1] - cumulative
    # sum_ij w_i w_j |y_i - y_j| = 2 sum_i w_i y_i (W(y < y_i) - W(y > y_i)), and
    # 2 W^2 mu = 2 W sum_i w_i y_i.
    weighted_income = mass * values
    numerator = float(weighted_income @ (below - above))
    gini = numerator / (float(cumulative[-1]) * float(weighted_income.sum()))
    # The pair sum is non-negative; clamp the rounding of nearly equal incomes.
    return max(gini, 0.0)


def gini(incomes, weights=None) -> float:
    """Gini coefficient, G = sum_i sum_j p_i p_j |y_i - y_j| / (2 * mu), p the population shares.

    The population (not small-sample corrected) form, so that with integer weights it equals
    the unweighted Gini of the expanded sample; for incomes 1, ..., 10 it is 0.3. Incomes must
    be non-negative with a positive mean; the result lies in [0, 1).

    Reference: Haughton & Khandker (2009), ch. 6.
    """
    y, w = _prepare(incomes, weights)
    _check_for_inequality(y, w)
    return _gini(y, w)


def theil_t(incomes, weights=None) -> float:
    """Theil T index, generalised entropy GE(1): sum_i p_i (y_i / mu) ln(y_i / mu).

    Incomes must be non-negative with a positive mean; a zero income contributes 0 (the limit
    of s ln s as s -> 0).

    Reference: Haughton & Khandker (2009), ch. 6 (generalised entropy measures).
    """
    y, w = _prepare(incomes, weights)
    mean = _check_for_inequality(y, w)
    s = y / mean
    positive = s > 0
    terms = np.zeros_like(s)
    terms[positive] = s[positive] * np.log(s[positive])
    return float(_average(w, terms))


def theil_l(incomes, weights=None) -> float:
    """Theil L index (mean log deviation), generalised entropy GE(0): sum_i p_i ln(mu / y_i).

    Every income must be positive.

    Reference: Haughton & Khandker (2009), ch. 6 (generalised entropy measures).
    """
    y, w = _prepare(incomes, weights)
    mean = _check_for_inequality(y, w, positive=True)
    return float(_average(w, np.log(mean / y)))


def atkinson(incomes, epsilon, weights=None) -> float:
    """Atkinson index A_epsilon = 1 - y_ede / mu, with inequality aversion ``epsilon >= 0``.

    The equally distributed equivalent income is y_ede = (sum_i p_i y_i^(1 - epsilon))^(1 /
    (1 - epsilon)), and for ``epsilon == 1`` the geometric mean exp(sum_i p_i ln y_i). For
    ``epsilon >= 1`` every income must be positive; otherwise non-negative.

    References: Haughton & Khandker (2009), ch. 6; Atkinson, "On the measurement of
    inequality", *Journal of Economic Theory* 2 (1970).
    """
    e = float(epsilon)
    if not math.isfinite(e) or e < 0:
        raise ValueError(f"epsilon must be a finite number >= 0, got {epsilon!r}")
    y, w = _prepare(incomes, weights)
    mean = _check_for_inequality(y, w, positive=e >= 1)
    # Working with y / mu keeps the powers near 1 and makes scale invariance exact in form.
    s = y / mean
    if e == 1:
        ede_ratio = math.exp(float(_average(w, np.log(s))))
    else:
        ede_ratio = float(_average(w, s ** (1.0 - e))) ** (1.0 / (1.0 - e))
    return 1.0 - ede_ratio


# ---------------------------------------------------------------------------------------------
# Multidimensional poverty (Alkire-Foster)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MPIResult:
    """Alkire-Foster results; shares are of the population (units weighted by ``sizes``).

    Attributes:
        H: multidimensional headcount ratio, share of people with score >= k.
        A: average intensity, mean score among the poor (0 when nobody is poor).
        M0: adjusted headcount ratio, H * A.
        censored_headcounts: per indicator, share of people who are poor and deprived in it.
        contributions: per indicator, w_j * CH_j / M0; sums to 1 (all zeros when M0 == 0).
        vulnerable: share of people with 1/5 <= score < k (UNDP "vulnerable to poverty").
        severe: share of people with score >= 1/2 (UNDP "in severe poverty").
        scores: per-unit weighted deprivation score c_i, as floats.

    The arrays are read-only; the dataclass compares by identity because NumPy arrays have no
    single truth value for ``==``.
    """

    H: float
    A: float
    M0: float
    censored_headcounts: np.ndarray
    contributions: np.ndarray
    vulnerable: float
    severe: float
    scores: np.ndarray


def _as_fraction(value, name: str) -> Fraction:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    # Fraction(float) is the float's exact binary value (1/3 -> 6004799503160661/2**54);
    # limit_denominator recovers the rational the caller meant.
    exact = value if isinstance(value, Fraction) else Fraction(number)
    return exact.limit_denominator(_MAX_DENOMINATOR)


def _check_deprivations(deprivations) -> np.ndarray:
    g = np.asarray(deprivations)
    if g.ndim != 2:
        raise ValueError(f"deprivations must be a units x indicators matrix, got shape {g.shape}")
    if g.shape[0] == 0 or g.shape[1] == 0:
        raise ValueError("deprivations must have at least one unit and one indicator")
    if not np.all((g == 0) | (g == 1)):
        raise ValueError("deprivations must contain only 0 and 1")
    return g.astype(np.int64)


def _indicator_weights(weights, d: int) -> list[Fraction]:
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.shape[0] != d:
        raise ValueError(f"weights must have one entry per indicator ({d}), got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite numbers")
    if np.any(w < 0):
        raise ValueError("weights must be non-negative")
    total = math.fsum(w.tolist())
    if abs(total - 1.0) > _WEIGHT_SUM_TOLERANCE:
        raise ValueError(f"weights must sum to 1 (tolerance 1e-9), got {total!r}")
    # Keep a Fraction the caller passed exact; snap floats to the rational they stand for.
    originals = weights.tolist() if isinstance(weights, np.ndarray) else list(weights)
    return [_as_fraction(x, "weights") for x in originals]


def _integer_scale(fractions: list[Fraction]) -> int:
    """Common denominator D: every fraction times D is an integer."""
    return math.lcm(*(f.denominator for f in fractions))


def mpi(deprivations, weights, k, sizes=None) -> MPIResult:
    """Alkire-Foster multidimensional poverty: identification with cutoff k, then M0.

    ``deprivations`` is a units x indicators 0/1 matrix (g0 in Alkire & Foster 2011),
    ``weights`` the indicator weights w_j >= 0 summing to 1, ``k`` the poverty cutoff in
    (0, 1] and ``sizes`` optional persons per unit. Unit i's score is c_i = sum_j w_j g0_ij
    and it is poor when c_i >= k (the dual-cutoff identification rho_k of Alkire & Foster
    2011, with general indicator weights).

    Exactness: scores land exactly on the cutoffs by design (with the UNDP global-MPI weights,
    1/6 for each of the four health and education indicators and 1/18 for each of the six
    living-standard ones, 1/6 + 3 * 1/18 = 6 * 1/18 = 1/3), while a floating-point sum of
    weights can fall one rounding error short of the cutoff it equals: six weights of 1/12
    add up to 0.49999999999999994 and ten of 0.1 to 0.9999999999999999, which would wrongly
    make a unit non-poor or not severe. So weights, k and the UNDP bands 1/5 and 1/2 are
    converted to fractions (``limit_denominator(10**6)``), scaled by their common denominator
    D to int64, and every comparison is between integers: D * c_i >= D * k. Float scores are
    only reported, never compared. Weights are thus used as the fractions they snap to.

    Results (see :class:`MPIResult`): H, A = mean c_i among the poor, M0 = H * A (Alkire &
    Foster 2011), censored headcount ratios and percentage contributions of each
    indicator (UNDP technical notes), the shares vulnerable (1/5 <= c_i < k) and severely
    poor (c_i >= 1/2). Shares count people: each unit weighs ``sizes[i]``.
    """
    g = _check_deprivations(deprivations)
    n, d = g.shape
    people = _population_weights(sizes, n, name="sizes")
    w = _indicator_weights(weights, d)
    if not 0 < float(k) <= 1:
        raise ValueError(f"k must be in (0, 1], got {k!r}")
    cutoff = _as_fraction(k, "k")
    if cutoff == 0:
        raise ValueError(f"k is too small to be represented exactly, got {k!r}")

    scale = _integer_scale([*w, cutoff, _VULNERABLE_FROM, _SEVERE_FROM])
    int_weights = [int(x * scale) for x in w]
    # A score is at most sum_j w_j * D; it and D must fit in int64 for the NumPy arithmetic.
    if max(scale, sum(int_weights)) > _INT64_MAX:
        raise ValueError("weights have denominators too diverse for exact integer scores")
    int_scores = g @ np.array(int_weights, dtype=np.int64)

    poor = int_scores >= int(cutoff * scale)
    vulnerable = (int_scores >= int(_VULNERABLE_FROM * scale)) & ~poor
    severe = int_scores >= int(_SEVERE_FROM * scale)

    scores = int_scores / scale
    used_weights = np.array(int_weights, dtype=float) / scale
    headcount = float(_average(people, poor))
    intensity = float(_average(people[poor], scores[poor])) if headcount > 0 else 0.0
    adjusted = headcount * intensity
    censored = _average(people, poor[:, np.newaxis] * g)
    # Contributions are undefined without poverty; report zeros rather than NaN.
    contributions = used_weights * censored / adjusted if adjusted > 0 else np.zeros(d)
    for array in (censored, contributions, scores):
        array.setflags(write=False)
    return MPIResult(
        H=headcount,
        A=intensity,
        M0=adjusted,
        censored_headcounts=censored,
        contributions=contributions,
        vulnerable=float(_average(people, vulnerable)),
        severe=float(_average(people, severe)),
        scores=scores,
    )
