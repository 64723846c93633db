"""Benchmark the assessment: `python -m bench.assess --persons 1000000`.

Builds a synthetic registry of one county directly in a throwaway SQLite database (bulk SQL
inserts, not timed), then times in the same run:

1. the set-based assessment (fupin.assessment.services.assessment_run: read, assess, figures
   per area, store one outcome per household), with its stages;
2. the floor: a plain SQL scan reading the same columns of the same tables;
3. the straightforward per-household ORM loop (fupin.assessment.reference) on a sample of
   households, extrapolated to all of them;

and prints the two ratios. The goal (docs/assessment.md): <= 5 s for 1,000,000 persons on
SQLite, >= 50x faster than the loop.
"""

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

from bench.database import setup_django

YEAR = 2019
COUNTY = "450199000000"


def areas(villages_wanted: int):
    """Province, city, county, townships of 15 villages each, and the villages."""
    rows = [
        ("450000000000", "广西壮族自治区", 1, None),
        ("450100000000", "南宁市", 2, "450000000000"),
        (COUNTY, "基准县", 3, "450100000000"),
    ]
    villages = []
    townships = (villages_wanted + 14) // 15
    for t in range(1, townships + 1):
        township = f"450199{t:03d}000"
        rows.append((township, f"基准镇{t}", 4, COUNTY))
        for v in range(1, 16):
            if len(villages) == villages_wanted:
                break
            code = f"450199{t:03d}{v:03d}"
            rows.append((code, f"基准村{t}-{v}", 5, township))
            villages.append(code)
    return rows, villages


def pick(rng, n, options, weights):
    return np.array(options, dtype=object)[rng.choice(len(options), size=n, p=weights)]


def build(persons: int, seed: int = 2019) -> tuple[int, int]:
    """Insert a synthetic registry of about `persons` persons; return (households, persons)."""
    from django.db import connection, transaction

    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 8, size=persons // 3)  # 1-7 members, mean 4
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), persons) + 1]
    sizes[-1] -= sizes.sum() - persons
    sizes = sizes[sizes > 0]
    n, m = len(sizes), int(sizes.sum())
    area_rows, villages = areas(max(1, n // 1250))
    ids = np.arange(1, n + 1)
    status = pick(
        rng,
        n,
        ["registered", "not_registered", "exited", "monitored", "cancelled"],
        [0.28, 0.55, 0.12, 0.045, 0.005],
    )
    registered_year = rng.integers(2014, YEAR + 1, size=n)
    no_year = status == "not_registered"
    exited_year = np.maximum(registered_year, 2016)
    grade = pick(rng, n, ["A", "B", "C", "D", ""], [0.4, 0.4, 0.12, 0.05, 0.03])
    renovation = pick(rng, n, ["none", "renovated", "relocated"], [0.9, 0.07, 0.03])
    water = [
        pick(rng, n, ["safe", "basic", "unsafe", ""], [0.6, 0.35, 0.03, 0.02]) for _ in range(4)
    ]
    village = np.array(villages, dtype=object)[rng.integers(0, len(villages), size=n)]
    households = list(
        zip(
            ids.tolist(),
            [f"B{i:09d}" for i in ids.tolist()],
            village.tolist(),
            status.tolist(),
            np.where(status == "cancelled", "moved_out", "").tolist(),
            np.where(no_year, None, registered_year).tolist(),
            np.where(status == "exited", exited_year, None).tolist(),
            grade.tolist(),
            renovation.tolist(),
            *(w.tolist() for w in water),
            (rng.random(n) > 0.01).astype(int).tolist(),
            strict=True,
        )
    )
    hh = np.repeat(ids, sizes)
    first = np.r_[True, hh[1:] != hh[:-1]]
    birth_ordinal = rng.integers(date(1940, 1, 1).toordinal(), date(2019, 1, 1).toordinal(), m)
    epoch = np.datetime64("0001-01-01")
    births = (epoch + (birth_ordinal - 1).astype("timedelta64[D]")).astype(str)
    age = YEAR - births.astype("datetime64[Y]").astype(int) - 1970
    school_age = (age >= 6) & (age <= 15)
    schooling = np.where(
        school_age,
        pick(rng, m, ["primary", "out_of_school", "out_exempt"], [0.975, 0.02, 0.005]),
        "not_applicable",
    )
    education = pick(
        rng, m, ["none", "primary", "junior", "senior", ""], [0.1, 0.35, 0.35, 0.15, 0.05]
    )
    members = list(
        zip(
            np.arange(1, m + 1).tolist(),
            np.where(first, "head", "child").tolist(),
            [f"成员{i}" for i in range(1, m + 1)],
            [f"{i:018d}" for i in range(1, m + 1)],
            births.tolist(),
            education.tolist(),
            schooling.tolist(),
            (rng.random(m) > 0.03).astype(int).tolist(),
            (rng.random(m) > 0.03).astype(int).tolist(),
            hh.tolist(),
            strict=True,
        )
    )
    incomes = []
    for year in (YEAR - 1, YEAR):
        has = rng.random(n) > 0.02
        per_capita = np.round(rng.lognormal(np.log(6500), 0.6, n), 2)
        incomes += list(
            zip(
                ids[has].tolist(),
                [year] * int(has.sum()),
                sizes[has].tolist(),
                np.round(per_capita[has] * sizes[has], 2).tolist(),
                strict=True,
            )
        )
    hit = ids[rng.random(n) < 0.01]
    events = [
        (int(h), kind, YEAR, float(a))
        for h, kind, a in zip(
            hit.tolist(),
            pick(rng, len(hit), ["medical", "disaster"], [0.6, 0.4]).tolist(),
            rng.integers(0, 30000, len(hit)).tolist(),
            strict=True,
        )
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO core_area (code, name, level, parent_id) VALUES (%s, %s, %s, %s)",
            area_rows,
        )
        cursor.executemany(
            "INSERT INTO registry_household (id, household_no, village_id, status, cancel_reason,"
            " year_registered, year_exited, housing_grade, housing_renovation, water_quality,"
            " water_quantity, water_convenience, water_reliability, electricity, address, phone,"
            " attribute, poverty_cause, dibao, five_guarantee, special_support, military_family,"
            " road, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " '', '', '', '', 0, 0, 0, 0, 1, '2019-12-31 00:00:00')",
            households,
        )
        cursor.executemany(
            "INSERT INTO registry_member (id, relation, name, id_number, birth_date, education,"
            " schooling, medical_insurance, serious_illness_insurance, household_id, sex,"
            " ethnicity, health, labour, migrant_months, migrant_place, pension_insurance,"
            " party_member, veteran, college_student, status) VALUES (%s, %s, %s, %s, %s, %s,"
            " %s, %s, %s, %s, 'M', '', 'healthy', '', 0, '', 0, 0, 0, 0, 'present')",
            members,
        )
        cursor.executemany(
            "INSERT INTO registry_yearlyincome (household_id, year, members, wage,"
            " operating_income, operating_costs, property, transfer_pension, transfer_dibao,"
            " transfer_subsidy, transfer_other, excluded_earmarked, excluded_one_off)"
            " VALUES (%s, %s, %s, %s, 0, 0, 0, 0, 0, 0, 0, 0, 0)",
            incomes,
        )
        cursor.executemany(
            "INSERT INTO assessment_householdevent (household_id, kind, year, amount, note)"
            " VALUES (%s, %s, %s, %s, '')",
            events,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return n, m


FLOOR_SQL = [
    "SELECT id, village_id, status, year_registered, housing_grade, housing_renovation,"
    " water_quality, water_quantity, water_convenience, water_reliability, electricity"
    " FROM registry_household",
    "SELECT household_id, id, birth_date, schooling, education, medical_insurance,"
    " serious_illness_insurance, status FROM registry_member",
    f"SELECT household_id, year, per_capita_net_income FROM registry_yearlyincome"
    f" WHERE year IN ({YEAR - 1}, {YEAR})",
    f"SELECT household_id, kind, amount FROM assessment_householdevent WHERE year = {YEAR}",
]


def floor_scan() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in FLOOR_SQL:
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - started


class Stages:
    """Times the run's stages from its progress reports (read, assess, figures, store)."""

    NAMES = {0: "read", 30: "assess", 45: "figures", 55: "store"}

    def __init__(self):
        self.times, self.current, self.since = {}, None, time.perf_counter()

    def __call__(self, *, done, total, message=""):
        now = time.perf_counter()
        if done in self.NAMES or done == 100:
            if self.current:
                self.times[self.current] = self.times.get(self.current, 0) + now - self.since
            self.current, self.since = self.NAMES.get(done), now


def loop_sample(households: int, sample: int, seed: int = 7) -> tuple[float, int]:
    from fupin.assessment import reference
    from fupin.assessment.standards import load_standards
    from fupin.registry.models import Household

    rng = np.random.default_rng(seed)
    ids = rng.choice(np.arange(1, households + 1), size=min(sample, households), replace=False)
    standards = load_standards(YEAR, {"45"})
    started = time.perf_counter()
    done = reference.assess_households(
        Household.objects.filter(id__in=ids.tolist()).order_by("id"), YEAR, standards
    )
    return time.perf_counter() - started, len(done)


def outcome_bytes() -> int:
    """What the outcome table and its key take on disk (SQLite's dbstat)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name = 'assessment_householdoutcome' "
            "OR name LIKE 'sqlite_autoindex_assessment_householdoutcome%'"
        )
        return cursor.fetchone()[0] or 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2000, help="households in the ORM loop")
    parser.add_argument("--keep", help="keep the database at this path (default: throwaway)")
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="fupin-bench-")
    path = Path(args.keep) if args.keep else Path(folder) / "bench.sqlite3"
    path.unlink(missing_ok=True)
    setup_django(f"sqlite:///{path}")

    started = time.perf_counter()
    households, persons = build(args.persons)
    print(
        f"built {persons:,} persons in {households:,} households "
        f"in {time.perf_counter() - started:.1f} s (not timed below)"
    )
    from fupin.assessment.services import assessment_run
    from fupin.core.models import Area

    floor = min(floor_scan() for _ in range(2))
    county = Area.objects.get(code=COUNTY)
    stages = Stages()
    started = time.perf_counter()
    run = assessment_run(area=county, year=YEAR, progress=stages)
    set_based = time.perf_counter() - started
    loop, looped = loop_sample(households, args.sample)
    extrapolated = loop / max(looped, 1) * run.households

    print(f"set-based assessment (read, assess, figures, store): {set_based:7.2f} s")
    print("  " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in stages.times.items()))
    print(f"plain SQL scan of the same tables (floor):           {floor:7.2f} s")
    print(
        f"per-household ORM loop: {looped:,} households in {loop:.2f} s, "
        f"extrapolated to {run.households:,}: {extrapolated:7.1f} s"
    )
    print(f"set-based / floor: {set_based / floor:.1f}x")
    print(f"loop / set-based:  {extrapolated / set_based:.0f}x faster")
    goal = set_based <= 5 and extrapolated / set_based >= 50
    print(f"goal (<= 5 s, >= 50x): {'met' if goal else 'NOT met'}")
    stored = outcome_bytes()
    print(
        f"stored per run: {stored / 2**20:.1f} MiB of household outcomes "
        f"({stored / run.households:.0f} bytes a household, table and key); "
        f"52 weekly runs a year {52 * stored / 2**30:.2f} GiB, "
        f"pruned to 12 monthly (fupin prune-runs) {12 * stored / 2**30:.2f} GiB"
    )
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        Path(folder).rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
