"""The set-based assessment: every household of an area at once, in NumPy.

One SQL query per registry table loads the columns the rules need (coded in SQL as small
integers), the rules of fupin.assessment.rules are applied to whole arrays (member facts are
summed per household with ``np.bincount``), the reasons are assembled as JSON text with NumPy's
string ufuncs, and the per-area figures come from fupin.measures on contiguous slices of the
households sorted by village code. There is no Python loop per household: loops run over
provinces, areas and reason kinds only. ``fupin.assessment.reference`` is the plain
per-household version the tests hold this one to.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from django.db import connection
from numpy.dtypes import StringDType

from fupin import areacodes, measures
from fupin.assessment import rules as r

STATUS_CODES = (r.REGISTERED, r.NOT_REGISTERED, r.EXITED, r.MONITORED)
WATER_LEVELS = ("unsafe", "basic", "safe")  # index = WATER_RANK
S = StringDType()
_MEMBER_KEY = 1 << 40  # reason sort key: kind * _MEMBER_KEY + member id


def _sql_scope(code: str | None) -> tuple[str, str]:
    return areacodes.subtree_bounds(code) if code else ("", areacodes.SUBTREE_END)


# Rows come back as one comma-separated text per column (group_concat / string_agg) that
# NumPy parses in C: a million members then cost no Python object each.
def _agg(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"string_agg(({expression})::text, ',')"
    return f"group_concat({expression})"


def _flag(condition: str) -> str:
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def _birth(column: str) -> str:
    """YYYYMMDD (SQLite stores 'YYYY-MM-DD': the dashes are removed in Python)."""
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYYMMDD')"
    return column


def _fen(column: str) -> str:
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def _codes(column: str, values) -> str:
    cases = " ".join(f"WHEN '{value}' THEN {i}" for i, value in enumerate(values))
    return f"CASE {column} {cases} ELSE -1 END"


# The SQL below is assembled from this module's constants only (codes, column names); every
# value from outside (area bounds, years) is passed as a query parameter.
_ASSESSED = ", ".join(f"'{status}'" for status in STATUS_CODES)
_SIX_YEARS = ", ".join(f"'{level}'" for level in r.SIX_YEARS_EDUCATION)
# Member facts packed in one small integer: bit 0 medical insurance, 1 serious-illness
# insurance, 2 six years of schooling, 3-4 schooling (1 out of school, 2 exempt).
_OUT = _flag(f"m.schooling = '{r.OUT_OF_SCHOOL}'")
_EXEMPT = _flag(f"m.schooling = '{r.OUT_EXEMPT}'")
_MEMBER_BITS = (
    f"{_flag('m.medical_insurance')} + 2 * {_flag('m.serious_illness_insurance')}"
    f" + 4 * {_flag(f'm.education IN ({_SIX_YEARS})')} + 8 * {_OUT} + 16 * {_EXEMPT}"
)


def _household_sql(where: str) -> str:
    columns = [
        "h.id",
        "h.village_id",
        _codes("h.status", STATUS_CODES),
        "COALESCE(h.year_registered, -1)",
        _codes("h.housing_grade", r.HOUSING_GRADES),
        _flag("h.housing_renovation IN ('renovated', 'relocated')"),
        *(_codes(f"h.water_{aspect}", WATER_LEVELS) for aspect in r.WATER_ASPECTS),
        _flag("h.electricity"),
    ]
    return (
        f"SELECT {', '.join(_agg(c) for c in columns)} FROM registry_household h"  # noqa: S608
        f" WHERE h.status IN ({_ASSESSED}){where}"
    )


def _member_sql(where: str) -> str:
    columns = ["m.household_id", "m.id", _birth("m.birth_date"), _MEMBER_BITS]
    return (
        f"SELECT {', '.join(_agg(c) for c in columns)} FROM registry_member m"  # noqa: S608
        f" WHERE m.status = 'present'{where}"
    )


def _names(member_ids: list[int]) -> dict[int, str]:
    """The names of the given members (the children whose reasons name them), by key."""
    names = {}
    with connection.cursor() as cursor:
        for start in range(0, len(member_ids), 5000):
            chunk = member_ids[start : start + 5000]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT id, name FROM registry_member WHERE id IN ({marks})", chunk)  # noqa: S608
            names.update(cursor.fetchall())
    return names


def _income_sql(where: str) -> str:
    columns = ["i.household_id", "i.year", _fen("i.per_capita_net_income")]
    return (
        f"SELECT {', '.join(_agg(c) for c in columns)} FROM registry_yearlyincome i"  # noqa: S608
        f" WHERE i.year IN (%s, %s){where}"
    )


def _event_sql(where: str) -> str:
    columns = ["e.household_id", _flag("e.kind = 'medical'"), _fen("e.amount")]
    return (
        f"SELECT {', '.join(_agg(c) for c in columns)} FROM assessment_householdevent e"  # noqa: S608
        f" WHERE e.year = %s{where}"
    )


def _parse(texts, width: int, dates: tuple[int, ...] = ()) -> np.ndarray:
    """One aggregated row of `width` texts -> a width x n int64 array; the columns in
    `dates` are 'YYYY-MM-DD' texts read as YYYYMMDD."""
    if not texts or texts[0] is None:
        return np.zeros((width, 0), dtype=np.int64)
    return np.vstack(
        [
            np.fromstring(t.replace("-", "") if i in dates else t, dtype=np.int64, sep=",")
            for i, t in enumerate(texts)
        ]
    )


# Above this share of all households, reading whole tables and keeping the area's rows in
# NumPy beats an indexed filter in SQL (which reads row by row).
WHOLE_TABLE_SHARE = 0.5


@dataclass
class Columns:
    """The registry facts of every assessed household in an area, as arrays.

    Households are in id order; member, income and event rows carry the index of their
    household (``*_hh``).
    """

    year: int
    ids: np.ndarray
    village: np.ndarray
    status: np.ndarray
    year_registered: np.ndarray
    grade: np.ndarray
    renovated: np.ndarray
    water: np.ndarray  # n x 4, WATER_RANK or -1
    electricity: np.ndarray
    income: np.ndarray
    has_income: np.ndarray
    previous: np.ndarray
    has_previous: np.ndarray
    medical_fen: np.ndarray
    medical_events: np.ndarray
    disasters: np.ndarray
    m_hh: np.ndarray
    m_id: np.ndarray
    m_birth: np.ndarray
    m_school: np.ndarray
    m_edu6: np.ndarray
    m_med: np.ndarray
    m_serious: np.ndarray
    names: dict = field(default_factory=dict)  # member id -> name, of the children named

    @property
    def n(self) -> int:
        return len(self.ids)

    def digest(self) -> hashlib._Hash:
        """A hash of every input column, independent of the order rows came from SQL."""
        h = hashlib.sha256(str(self.year).encode())
        for name in [
            "ids",
            "village",
            "status",
            "year_registered",
            "grade",
            "renovated",
            "water",
            "electricity",
            "income",
            "has_income",
            "previous",
            "has_previous",
            "medical_fen",
            "medical_events",
            "disasters",
        ]:
            h.update(np.ascontiguousarray(getattr(self, name)).tobytes())
        order = np.argsort(self.m_id, kind="stable")
        for name in ["m_hh", "m_id", "m_birth", "m_school", "m_edu6", "m_med", "m_serious"]:
            h.update(np.ascontiguousarray(getattr(self, name)[order]).tobytes())
        h.update(json.dumps(sorted(self.names.items()), ensure_ascii=False).encode())
        return h


def load_columns(code: str | None, year: int) -> Columns:
    """Read the area's registry, one query per table. The names of the few members a reason
    names are read by key once they are known (`_names`)."""
    low, high = _sql_scope(code)
    in_area = "h.village_id >= %s AND h.village_id < %s"
    with connection.cursor() as cursor:
        count = f"SELECT COUNT(*), SUM({_flag(in_area)}) FROM registry_household h"  # noqa: S608
        cursor.execute(count, (low, high))
        total, inside = cursor.fetchone()
        whole = not total or (inside or 0) >= WHOLE_TABLE_SHARE * total
        if whole:
            where, scope = "", ()
            hh_where = ""
        else:
            subquery = f"(SELECT h.id FROM registry_household h WHERE {in_area})"  # noqa: S608
            where, scope = f" AND {{t}}.household_id IN {subquery}", (low, high)
            hh_where = f" AND {in_area}"
        cursor.execute(_household_sql(hh_where), scope)
        hh = _parse(cursor.fetchone(), 11)
        cursor.execute(_member_sql(where.format(t="m")), scope)
        mem = _parse(cursor.fetchone(), 4, dates=(2,))
        cursor.execute(_income_sql(where.format(t="i")), (year, year - 1, *scope))
        inc = _parse(cursor.fetchone(), 3)
        cursor.execute(_event_sql(where.format(t="e")), (year, *scope))
        ev = _parse(cursor.fetchone(), 3)

    if whole and code:  # keep the area's households, then the rows that belong to them
        first, last = int(low.ljust(12, "0")), int(low.ljust(12, "0")) + 10 ** (12 - len(low))
        hh = hh[:, (hh[1] >= first) & (hh[1] < last)]
    hh = hh[:, np.argsort(hh[0], kind="stable")]
    ids = hh[0]
    n = len(ids)

    def index_of(household_ids):
        at = np.searchsorted(ids, household_ids)
        found = at < n
        found[found] = ids[at[found]] == household_ids[found]
        return at, found

    m_at, m_in = index_of(mem[0])
    mem, m_at = mem[:, m_in], m_at[m_in]
    bits = mem[3]
    income, has_income = np.zeros(n, np.int64), np.zeros(n, bool)
    previous, has_previous = np.zeros(n, np.int64), np.zeros(n, bool)
    i_at, i_in = index_of(inc[0])
    for target, present, which in ((income, has_income, year), (previous, has_previous, year - 1)):
        rows = i_in & (inc[1] == which)
        target[i_at[rows]], present[i_at[rows]] = inc[2, rows], True
    e_at, e_in = index_of(ev[0])
    medical, disaster = e_in & (ev[1] == 1), e_in & (ev[1] == 0)
    return Columns(
        year=year,
        ids=ids,
        village=hh[1],
        status=hh[2].astype(np.int8),
        year_registered=hh[3],
        grade=hh[4].astype(np.int8),
        renovated=hh[5].astype(bool),
        water=hh[6:10].T.astype(np.int8),
        electricity=hh[10].astype(bool),
        income=income,
        has_income=has_income,
        previous=previous,
        has_previous=has_previous,
        medical_fen=np.bincount(e_at[medical], ev[2, medical], minlength=n).astype(np.int64),
        medical_events=np.bincount(e_at[medical], minlength=n),
        disasters=np.bincount(e_at[disaster], minlength=n),
        m_hh=m_at,
        m_id=mem[1],
        m_birth=mem[2],
        m_school=((bits >> 3) & 3).astype(np.int8),
        m_edu6=(bits & 4) != 0,
        m_med=(bits & 1) != 0,
        m_serious=(bits & 2) != 0,
    )


@dataclass
class Results:
    outcome: np.ndarray  # index into rules.OUTCOMES
    tests: np.ndarray
    reasons: np.ndarray  # JSON text per household (object array)
    persons: np.ndarray
    deprivations: dict  # indicator code -> bool array
    line: np.ndarray  # poverty line per household, fen


def _per_household_rules(cols: Columns, standards) -> dict[str, np.ndarray]:
    """Each province's rules spread onto its households (a loop over provinces only)."""
    provinces, inverse = np.unique(cols.village // 10**10, return_inverse=True)
    table = [standards.rules_for(f"{p:02d}") for p in provinces]

    def spread(get, dtype=np.int64):
        if not table:  # no household: every per-household array is empty
            return np.zeros((0, len(r.WATER_ASPECTS)), dtype=dtype)
        values = np.array([get(rule) for rule in table], dtype=dtype)
        return values.reshape(len(table), -1)[inverse]

    return {
        "line": spread(lambda x: x.line_fen)[:, 0],
        "threshold": spread(lambda x: x.threshold_fen)[:, 0],
        "age_from": spread(lambda x: x.school_age_from)[:, 0],
        "age_to": spread(lambda x: x.school_age_to)[:, 0],
        "reference": spread(lambda x: x.age_reference[0] * 100 + x.age_reference[1])[:, 0],
        "serious": spread(lambda x: x.require_serious_illness_insurance, bool)[:, 0],
        "safe_grades": spread(
            lambda x: [g in x.safe_housing_grades for g in r.HOUSING_GRADES], bool
        ),
        "water_min": spread(lambda x: list(x.water_min)),
        "same_year": spread(lambda x: x.no_exit_in_registration_year, bool)[:, 0],
        "fall_units": spread(lambda x: x.income_fall_units)[:, 0],
        "medical_fen": spread(lambda x: x.medical_expense_fen)[:, 0],
        "disasters": spread(lambda x: x.flag_disasters, bool)[:, 0],
        "guarantees": spread(lambda x: x.flag_guarantees, bool)[:, 0],
    }


def _text(values) -> np.ndarray:
    return np.asarray(values).astype(np.int64).astype(S)


def _fragment(*parts) -> np.ndarray:
    """Concatenate constant strings and string arrays, element-wise."""
    out = np.asarray(parts[0], dtype=S)
    for part in parts[1:]:
        out = np.strings.add(out, part if isinstance(part, str) else np.asarray(part, dtype=S))
    return out


class _Reasons:
    """Reason fragments of all households, put in rules' order and joined per household."""

    def __init__(self, n: int):
        self.n = n
        self.at, self.keys, self.texts = [], [], []

    def add(self, kind: int, where: np.ndarray, text, sub=None):
        where = np.flatnonzero(where) if where.dtype == bool else where
        if not len(where):
            return
        key = np.full(len(where), kind * _MEMBER_KEY, dtype=np.int64)
        if sub is not None:
            key += sub
        text = np.broadcast_to(np.asarray(text, dtype=S), (len(where),))
        self.at.append(where)
        self.keys.append(key)
        self.texts.append(text)

    def joined(self) -> np.ndarray:
        out = np.full(self.n, "[]", dtype=object)
        if not self.at:
            return out
        at, keys = np.concatenate(self.at), np.concatenate(self.keys)
        texts = np.concatenate(self.texts)
        order = np.lexsort((keys, at))
        at, texts = at[order], np.strings.add(texts[order], ",")
        starts = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
        joined = np.add.reduceat(texts.astype(object), starts).astype(S)
        out[at[starts]] = np.strings.add(np.strings.add("[", np.strings.rstrip(joined, ",")), "]")
        return out


def assess(cols: Columns, standards) -> Results:
    """Every household's outcome, tests, reasons and deprivations, at once."""
    n, year = cols.n, cols.year
    p = _per_household_rules(cols, standards)
    mh = cols.m_hh
    reasons = _Reasons(n)
    tests = np.zeros(n, np.int64)

    def count(mask):
        return np.bincount(mh[mask], minlength=n)

    # Income.
    income_fail = cols.has_income & (cols.income < p["line"])
    tests |= np.where(income_fail, r.INCOME_FAIL, 0) | np.where(
        ~cols.has_income, r.INCOME_UNKNOWN, 0
    )
    reasons.add(0, ~cols.has_income, f'["no_income_record",{{"year":{year}}}]')
    reasons.add(
        0,
        income_fail,
        _fragment(
            '["income_below_line",{"income":',
            _text(cols.income[income_fail]),
            ',"line":',
            _text(p["line"][income_fail]),
            "}]",
        ),
    )
    # Compulsory education: members' ages on the reference day, both ends of the range inclusive.
    age = year - cols.m_birth // 10000 - ((cols.m_birth % 10000) > p["reference"][mh])
    in_age = (age >= p["age_from"][mh]) & (age <= p["age_to"][mh])
    out = (cols.m_school == 1) & in_age
    tests |= np.where(count(out) > 0, r.EDUCATION_FAIL, 0)
    kids = np.flatnonzero(out)
    if len(kids):
        cols.names = _names(cols.m_id[kids].tolist())
        names = [json.dumps(cols.names[i], ensure_ascii=False) for i in cols.m_id[kids].tolist()]
        reasons.add(
            1,
            mh[kids],
            _fragment('["child_out_of_school",{"name":', names, ',"age":', _text(age[kids]), "}]"),
            sub=cols.m_id[kids],
        )
    # Basic medical care.
    uninsured = count(~cols.m_med)
    without = np.where(p["serious"], count(~cols.m_serious), 0)
    tests |= np.where((uninsured > 0) | (without > 0), r.MEDICAL_FAIL, 0)
    for kind, counts, code in (
        (2, uninsured, "no_medical_insurance"),
        (3, without, "no_serious_illness_insurance"),
    ):
        has = counts > 0
        reasons.add(kind, has, _fragment(f'["{code}",{{"count":', _text(counts[has]), "}]"))
    # Safe housing.
    appraised = cols.grade >= 0
    safe = p["safe_grades"][np.arange(n), np.maximum(cols.grade, 0)] | cols.renovated
    housing_fail = appraised & ~safe
    tests |= np.where(~appraised, r.HOUSING_UNKNOWN, 0) | np.where(housing_fail, r.HOUSING_FAIL, 0)
    reasons.add(4, ~appraised, '["house_not_appraised",{}]')
    grades = np.array(r.HOUSING_GRADES, dtype=S)
    reasons.add(
        4,
        housing_fail,
        _fragment('["house_unsafe",{"grade":"', grades[cols.grade[housing_fail]], '"}]'),
    )
    # Safe drinking water, aspect by aspect.
    levels = np.array(WATER_LEVELS, dtype=S)
    for a, aspect in enumerate(r.WATER_ASPECTS):
        level = cols.water[:, a]
        unknown, below = level < 0, (level >= 0) & (level < p["water_min"][:, a])
        tests |= np.where(unknown, r.WATER_UNKNOWN, 0) | np.where(below, r.WATER_FAIL, 0)
        reasons.add(5 + a, unknown, f'["water_not_assessed",{{"aspect":"{aspect}"}}]')
        reasons.add(
            5 + a,
            below,
            _fragment(
                f'["water_below_standard",{{"aspect":"{aspect}","level":"',
                levels[level[below]],
                '"}]',
            ),
        )
    # Registered households: the same-year rule, then exit.
    registered = cols.status == 0
    same_year = registered & p["same_year"] & (cols.year_registered == year)
    tests |= np.where(same_year, r.SAME_YEAR, 0)
    reasons.add(9, same_year, f'["registered_this_year",{{"year":{year}}}]')
    # Exited and monitored households: monitoring flags.
    watched = cols.status >= 2
    below_threshold = watched & cols.has_income & (cols.income < p["threshold"])
    fell = (
        watched
        & cols.has_income
        & cols.has_previous
        & (cols.previous > 0)
        & ((cols.previous - cols.income) * r.SHARE_SCALE > p["fall_units"] * cols.previous)
    )
    medical = watched & (cols.medical_events > 0) & (cols.medical_fen >= p["medical_fen"])
    disaster = watched & p["disasters"] & (cols.disasters > 0)
    guarantees = watched & p["guarantees"] & ((tests & r.GUARANTEE_FAILS) != 0)
    for mask, bit in (
        (below_threshold, r.FLAG_BELOW_THRESHOLD),
        (fell, r.FLAG_INCOME_FALL),
        (medical, r.FLAG_MEDICAL_EXPENSE),
        (disaster, r.FLAG_DISASTER),
        (guarantees, r.FLAG_GUARANTEES),
    ):
        tests |= np.where(mask, bit, 0)
    reasons.add(
        10,
        below_threshold,
        _fragment(
            '["income_below_threshold",{"income":',
            _text(cols.income[below_threshold]),
            ',"threshold":',
            _text(p["threshold"][below_threshold]),
            "}]",
        ),
    )
    reasons.add(
        11,
        fell,
        _fragment(
            '["income_fell",{"previous":',
            _text(cols.previous[fell]),
            ',"income":',
            _text(cols.income[fell]),
            "}]",
        ),
    )
    reasons.add(
        12,
        medical,
        _fragment('["large_medical_expense",{"amount":', _text(cols.medical_fen[medical]), "}]"),
    )
    reasons.add(
        13, disaster, _fragment('["disaster",{"count":', _text(cols.disasters[disaster]), "}]")
    )

    outcome = np.select(
        [registered, cols.status == 1],
        [
            np.where((tests & r.EXIT_BLOCKING) != 0, 1, 0),
            np.where((tests & r.INCOME_FAIL) != 0, 2, 3),
        ],
        np.where((tests & r.FLAGS) != 0, 4, 5),
    ).astype(np.int8)

    older = age >= r.SCHOOLING_INDICATOR_AGE
    deprivations = {
        "income": (tests & r.INCOME_FAIL) != 0,
        "education": (tests & r.EDUCATION_FAIL) != 0,
        "medical": (tests & r.MEDICAL_FAIL) != 0,
        "housing": housing_fail,
        "water": (tests & r.WATER_FAIL) != 0,
        "years_of_schooling": (count(older) > 0) & (count(older & cols.m_edu6) == 0),
        "school_attendance": count((cols.m_school > 0) & in_age) > 0,
        "drinking_water": (cols.water[:, 0] == 0) | (cols.water[:, 2] == 0),
        "electricity": ~cols.electricity,
        "housing_global": housing_fail,
    }
    return Results(
        outcome=outcome,
        tests=tests,
        reasons=reasons.joined(),
        persons=np.bincount(mh, minlength=n),
        deprivations=deprivations,
        line=p["line"],
    )


# --- areas ----------------------------------------------------------------------------------------


def _rounded(value, digits: int = 6):
    return None if value is None else round(float(value), digits)


class _Leaves:
    """fupin.measures applied to each village's households, ready to be combined.

    FGT indices and the Alkire-Foster H, M0, censored headcounts and the vulnerable and severe
    shares are population-weighted means, so an area's value is the mean of its villages'
    values weighted by their populations (subgroup decomposability: Foster, Greer & Thorbecke
    1984; Alkire & Foster 2011, section 4.2). Each village is measured once and every area
    above combines the results, so each household enters fupin.measures once per measure.
    The Gini coefficient does not decompose; it is computed on each area's own households.
    """

    def __init__(self, cols: Columns, res: Results, order: np.ndarray, starts, stops, indices):
        self.indices = indices
        n = len(starts)
        self.income_people = np.zeros(n)
        self.fgt = np.zeros((n, 3))
        self.mpi_people = np.zeros(n)
        self.mpi = [np.zeros((n, 4 + len(index["indicators"]))) for index in indices]
        self.weights = [[Fraction(w) for _c, _d, w in index["indicators"]] for index in indices]
        persons = res.persons
        for leaf, (start, stop) in enumerate(zip(starts.tolist(), stops.tolist(), strict=True)):
            at = order[start:stop]
            at = at[persons[at] > 0]
            counted = at[cols.has_income[at]]
            if len(counted):
                w = persons[counted]
                y, z = cols.income[counted] / 100, res.line[counted[0]] / 100
                self.income_people[leaf] = w.sum()
                self.fgt[leaf] = [measures.fgt(y, z, alpha=a, weights=w) for a in (0, 1, 2)]
            if not len(at):
                continue
            self.mpi_people[leaf] = persons[at].sum()
            for j, index in enumerate(indices):
                if not index["indicators"]:
                    continue
                matrix = np.column_stack(
                    [res.deprivations[code][at] for code, _d, _w in index["indicators"]]
                )
                m = measures.mpi(
                    matrix.astype(np.int8),
                    self.weights[j],
                    Fraction(index["cutoff"]),
                    sizes=persons[at],
                )
                self.mpi[j][leaf] = [m.H, m.M0, m.vulnerable, m.severe, *m.censored_headcounts]

    def combine(self, first: int, last: int) -> dict:
        """The measures of the villages first .. last - 1 together."""
        people = self.income_people[first:last]
        total = people.sum()
        fgt = (people @ self.fgt[first:last]) / total if total else [None] * 3
        result = {"fgt": {f"p{a}": _rounded(fgt[a]) for a in (0, 1, 2)}, "indices": []}
        people = self.mpi_people[first:last]
        total = people.sum()
        for j, index in enumerate(self.indices):
            entry = {"code": index["code"], "name": index["name"], "name_en": index["name_en"]}
            if not total or not index["indicators"]:
                entry |= dict.fromkeys(("H", "A", "M0", "vulnerable", "severe"))
                entry["indicators"] = []
                result["indices"].append(entry)
                continue
            h, m0, vulnerable, severe, *censored = (people @ self.mpi[j][first:last]) / total
            weights = np.array([float(w) for w in self.weights[j]])
            contributions = weights * np.array(censored) / m0 if m0 > 0 else weights * 0
            entry |= {
                "H": _rounded(h),
                "A": _rounded(m0 / h if h > 0 else 0.0),
                "M0": _rounded(m0),
                "vulnerable": _rounded(vulnerable),
                "severe": _rounded(severe),
                "indicators": [
                    {
                        "code": code,
                        "dimension": dimension,
                        "weight": weight,
                        "censored": _rounded(censored[k]),
                        "contribution": _rounded(contributions[k]),
                    }
                    for k, (code, dimension, weight) in enumerate(index["indicators"])
                ],
            }
            result["indices"].append(entry)
        return result


def _gini(cols: Columns, res: Results, at: np.ndarray):
    """Gini of per-capita income, persons as weights. Net income can be negative (operating
    losses), so inequality is measured on incomes clipped at 0."""
    at = at[(res.persons[at] > 0) & cols.has_income[at]]
    if not len(at):
        return None
    y, w = np.clip(cols.income[at] / 100, 0, None), res.persons[at]
    return _rounded(measures.gini(y, weights=w)) if (y * w).sum() > 0 else None


SAMPLE_KEYS = (
    "exited_persons",
    "wrongly_exited_persons",
    "nonregistered_persons",
    "omitted_persons",
    "surveyed_households",
    "approving_households",
)


def area_figures(
    cols: Columns,
    res: Results,
    standards,
    areas: list[tuple[str, int, str]],
    *,
    samples: list[tuple[int, ...]] = (),
    checklist: dict | None = None,
) -> dict[str, dict]:
    """The figures of each area (code, level, name): a loop over areas, not households.

    ``samples`` are (village code as int, *SAMPLE_KEYS) rows of the year's inspections;
    ``checklist`` maps (village code, item code) to whether it was met.
    """
    checklist = checklist or {}
    order = np.argsort(cols.village, kind="stable")
    villages = cols.village[order]
    sample_rows = np.array(samples, dtype=np.int64).reshape(-1, 1 + len(SAMPLE_KEYS))
    persons = res.persons
    # Leaves: the distinct village codes of the households, as slices of `order`.
    leaf_codes, leaf_starts = np.unique(villages, return_index=True)
    leaf_stops = np.r_[leaf_starts[1:], len(villages)].astype(np.int64)[: len(leaf_starts)]
    leaves = _Leaves(cols, res, order, leaf_starts, leaf_stops, standards.indices)
    bounds = []
    for code, _level, _name in areas:
        if code == "*":  # every area
            bounds.append((0, 10**12))
        else:
            prefix = areacodes.prefix_of(code)
            low = int(prefix.ljust(12, "0"))
            bounds.append((low, low + 10 ** (12 - len(prefix))))
    flat = np.array(bounds, dtype=np.int64).reshape(-1)
    edges, leaf_edges = np.searchsorted(villages, flat), np.searchsorted(leaf_codes, flat)
    figures = {}
    for position, (code, level, name) in enumerate(areas):
        low, high = bounds[position]
        at = order[edges[2 * position] : edges[2 * position + 1]]
        combined = leaves.combine(leaf_edges[2 * position], leaf_edges[2 * position + 1])
        outcome = res.outcome[at]
        counts = np.bincount(outcome, minlength=len(r.OUTCOMES))
        people = int(persons[at].sum())
        poor = int(persons[at][outcome == 1].sum())
        registered = int(persons[at][cols.status[at] == 0].sum())
        in_area = (sample_rows[:, 0] >= low) & (sample_rows[:, 0] < high)
        sums = dict(zip(SAMPLE_KEYS, sample_rows[in_area, 1:].sum(axis=0).tolist(), strict=True))
        entry = {
            "year": cols.year,
            "area": code,
            "standards": standards.version,
            "households": len(at),
            "persons": people,
            "registered_poor_persons": poor,
            "incidence": _rounded(r.share(poor, people)),
            "meets_exit": int(counts[0]),
            "not_meets_exit": int(counts[1]),
            "identification_candidates": int(counts[2]),
            "monitoring_flags": int(counts[4]),
            "fgt": combined["fgt"],
            "gini": _gini(cols, res, at),
            "name": name,
            "level": level,
            "registered_persons": registered,
            "outcomes": dict(zip(r.OUTCOMES, counts.tolist(), strict=True)),
            "samples": sums,
            "rates": {
                "wrongful_exit_rate": _rounded(
                    r.share(sums["wrongly_exited_persons"], sums["exited_persons"])
                ),
                "omission_rate": _rounded(
                    r.share(sums["omitted_persons"], sums["nonregistered_persons"])
                ),
                "recognition": _rounded(
                    r.share(sums["approving_households"], sums["surveyed_households"])
                ),
            },
            "indices": combined["indices"],
        }
        first = entry["indices"][0] if entry["indices"] else {}
        entry["mpi"] = {key: first.get(key) for key in ("H", "A", "M0")}
        province = standards.snapshot["provinces"].get(code[:2])
        if province and level in (areacodes.Level.VILLAGE, areacodes.Level.COUNTY):
            threshold = province["region"]["incidence_threshold"]
            if level == areacodes.Level.VILLAGE:
                items = [
                    (item, item_name, item_en, checklist.get((code, item)))
                    for item, item_name, item_en in province["checklist"]
                ]
                eligible, why = r.village_exit(
                    poor_persons=poor, persons=people, threshold=threshold, checklist=items
                )
            else:
                rules = province["rules"]
                eligible, why = r.county_exit(
                    poor_persons=poor,
                    persons=people,
                    threshold=threshold,
                    samples=sums,
                    wrongful_exit_max=rules["county_wrongful_exit_max"],
                    omission_max=rules["county_omission_max"],
                    recognition_min=rules["county_recognition_min"],
                )
            entry["exit"] = {"eligible": eligible, "threshold": threshold, "reasons": why}
        figures[code] = entry
    return figures


JSON_KEYS = (
    "year",
    "area",
    "standards",
    "households",
    "persons",
    "registered_poor_persons",
    "incidence",
    "meets_exit",
    "not_meets_exit",
    "identification_candidates",
    "monitoring_flags",
    "fgt",
    "gini",
    "mpi",
)


def summary_tree(figures: dict[str, dict], top: str, children: dict[str, list[str]]) -> dict:
    """The `fupin assess --json` object: the listed keys, and `areas` the same per child."""
    entry = {key: figures[top][key] for key in JSON_KEYS}
    if top == "*":  # a run of every area
        entry["area"] = None
    entry["areas"] = [summary_tree(figures, child, children) for child in children.get(top, [])]
    return entry


# --- writing --------------------------------------------------------------------------------------

INSERT_SQL = (
    "INSERT INTO assessment_householdoutcome "
    "(run_id, household_id, village_id, outcome, tests, income_fen, persons, reasons) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, {json})"
)


def write_outcomes(run_id: int, cols: Columns, res: Results, progress=None, chunk=50_000):
    """Insert one row per household with executemany, in chunks (progress after each)."""
    sql = INSERT_SQL.format(json="%s::jsonb" if connection.vendor == "postgresql" else "%s")
    order = np.lexsort((cols.ids, cols.village))  # the table's key order: appends to its index
    outcome_names = np.array(r.OUTCOMES, dtype=object)[res.outcome[order]]
    income = np.where(cols.has_income, cols.income, None)[order]
    columns = (
        [run_id] * cols.n,
        cols.ids[order].tolist(),
        cols.village[order].astype(str).tolist(),
        outcome_names.tolist(),
        res.tests[order].tolist(),
        income.tolist(),
        res.persons[order].tolist(),
        res.reasons[order].tolist(),
    )
    with connection.cursor() as cursor:
        for start in range(0, cols.n, chunk):
            cursor.executemany(
                sql, list(zip(*(c[start : start + chunk] for c in columns), strict=True))
            )
            if progress:
                progress(min(start + chunk, cols.n))
