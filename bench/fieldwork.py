"""Fieldwork benchmark: `python -m bench.fieldwork --postgres URL` (a county) or
`python -m bench.fieldwork --scale 0.1` (a tenth of it, SQLite).

Builds a county of 250,000 households (300 villages) with a year of fieldwork in SQL —
about 3,000,000 visits (12 for each registered or monitored household) with their visitors,
one follow-up for every fourth visit, pairings, a household plan with two measures each, and
three members and an income a household — into a scratch database (PostgreSQL: made and
dropped beside the one URL names; SQLite: a throwaway file). Not timed. Then times, in the
same run:

1. the compliance figures of the county (fupin.fieldwork.compliance): computed from every
   household and visit (`refresh`: what the nightly timer or a day's first reader pays), read
   from the villages' stored figures, and read right after a visit in one village (that
   village computed again); the `fupin visit-compliance --json` command and the compliance
   page (Django's test Client against the real URL): median of --repeat;
2. the baseline: a straightforward per-household ORM loop computing the same figures, on a
   sample of households, extrapolated to all of them — after checking that it agrees with
   the set-based figures on one whole village;
3. the household page (its members, incomes, cadre, plans with measures and visits) for
   --pages households: median server time.

Goals (issue #13): the county's figures, the command and the page <= 200 ms, the household
page <= 50 ms.
`--explain` prints PostgreSQL's EXPLAIN ANALYZE (SQLite's query plan) of the compliance
queries.
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.database import scratch_database, setup_django

COUNTY = "450199000000"
VILLAGES = 300  # 20 townships of 15 villages
HOUSEHOLDS = 250_000
VISITS_PER_HOUSEHOLD = 12
CADRE_HOUSEHOLDS = 25  # households a cadre is responsible for
YEAR_START = date(2019, 1, 1)
ON = date(2019, 12, 20)


class Dialect:
    """The few SQL expressions that differ between PostgreSQL and SQLite."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"

    def day(self, offset: str) -> str:
        """YEAR_START + offset days."""
        if self.pg:
            return f"(DATE '{YEAR_START}' + ({offset})::int)"
        return f"date('{YEAR_START}', '+' || ({offset}) || ' days')"

    def date(self, value: str) -> str:
        return f"DATE '{value}'" if self.pg else f"'{value}'"

    def pad(self, expr: str, width: int) -> str:
        return f"lpad(({expr})::text, {width}, '0')" if self.pg else f"printf('%0{width}d', {expr})"


def build(households: int) -> dict:
    """The county's areas, registry and fieldwork, set-based; returns the row counts."""
    from django.db import connection, transaction

    sql = Dialect(connection.vendor)
    villages = []
    areas = [
        ("450000000000", "广西壮族自治区", 1, None),
        ("450100000000", "南宁市", 2, "450000000000"),
        (COUNTY, "基准县", 3, "450100000000"),
    ]
    for t in range(1, VILLAGES // 15 + 1):
        township = f"450199{t:03d}000"
        areas.append((township, f"基准镇{t}", 4, COUNTY))
        for v in range(1, 16):
            villages.append((len(villages), f"450199{t:03d}{v:03d}"))
            areas.append((villages[-1][1], f"基准村{t}-{v}", 5, township))
    per_village_cadres = max(1, households // VILLAGES // CADRE_HOUSEHOLDS)
    cadres = VILLAGES * per_village_cadres
    # Household g lives in village (g - 1) % 300 and is paired, if it is, with cadre
    # c = village + 300 * ((g - 1) / 300 % cadres a village) + 1, of the same village.
    v_of = f"((h.id - 1) % {VILLAGES})"
    cadre_of = f"({v_of} + {VILLAGES} * (((h.id - 1) / {VILLAGES}) % {per_village_cadres}) + 1)"
    due = "h.status IN ('registered', 'monitored')"
    # Visits every 30 days from a household's own day of the month; one household in nine
    # every 28 days, so that some are overdue on ON.
    gap = "(CASE WHEN h.id % 9 = 0 THEN 28 ELSE 30 END)"
    visit_day = f"(m.g * {gap} + h.id % 28)"
    statements = [
        "CREATE TABLE bench_n (g integer PRIMARY KEY)",
        (
            f"INSERT INTO bench_n (g) SELECT g FROM generate_series(0, {households}) AS s(g)"
            if sql.pg
            else f"INSERT INTO bench_n (g) WITH RECURSIVE s(g) AS (SELECT 0 UNION ALL"
            f" SELECT g + 1 FROM s WHERE g < {households}) SELECT g FROM s"
        ),
        "CREATE TABLE bench_village (n integer PRIMARY KEY, code varchar(15))",
        # 2% exited, 8% monitored, 90% registered (a county's registered poor)
        "INSERT INTO registry_household (id, household_no, village_id, status, cancel_reason,"
        " year_registered, year_exited, address, phone, attribute, poverty_cause, dibao,"
        " five_guarantee, special_support, military_family, housing_grade, housing_renovation,"
        " water_quality, water_quantity, water_convenience, water_reliability, electricity, road,"
        f" updated_at) SELECT n.g, 'F' || {sql.pad('n.g', 9)}, v.code,"
        " CASE WHEN n.g % 50 = 0 THEN 'exited' WHEN n.g % 50 < 5 THEN 'monitored'"
        " ELSE 'registered' END, '', 2016, CASE WHEN n.g % 50 = 0 THEN 2019 END,"
        " '基准村' || n.g || '号', '13800000000', 'general', 'illness', FALSE, FALSE, FALSE,"
        " FALSE, 'B', 'none', 'safe', 'safe', 'safe', 'safe', TRUE, TRUE, '2019-12-31 00:00:00'"
        f" FROM bench_n n JOIN bench_village v ON v.n = (n.g - 1) % {VILLAGES}"
        f" WHERE n.g BETWEEN 1 AND {households}",
        "INSERT INTO registry_member (id, household_id, relation, name, id_number, sex,"
        " birth_date, ethnicity, education, schooling, health, labour, migrant_months,"
        " migrant_place, medical_insurance, serious_illness_insurance, pension_insurance,"
        " party_member, veteran, college_student, plans_migrant_work, status)"
        " SELECT (h.id - 1) * 3 + k.g + 1, h.id,"
        " CASE k.g WHEN 0 THEN 'head' WHEN 1 THEN 'spouse' ELSE 'child' END,"
        f" '成员' || h.id || '-' || k.g, {sql.pad('(h.id - 1) * 3 + k.g + 1', 18)},"
        " CASE k.g WHEN 1 THEN 'F' ELSE 'M' END,"
        f" CASE k.g WHEN 2 THEN {sql.date('2005-06-01')} ELSE {sql.date('1970-03-01')} END,"
        " '汉', 'junior',"
        " CASE k.g WHEN 2 THEN 'junior' ELSE 'not_applicable' END, 'healthy', 'ordinary', 0,"
        " '', TRUE, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE, 'present'"
        " FROM registry_household h CROSS JOIN bench_n k WHERE k.g < 3",
        "INSERT INTO registry_yearlyincome (household_id, year, members, wage, operating_income,"
        " operating_costs, property, transfer_pension, transfer_dibao, transfer_subsidy,"
        " transfer_other, excluded_earmarked, excluded_one_off)"
        " SELECT h.id, 2019, 3, 9000 + h.id % 9000, 0, 0, 0, 0, 0, 0, 0, 0, 0"
        " FROM registry_household h",
        "INSERT INTO fieldwork_cadre (id, name, phone, unit, active, two_committees, area_id)"
        " SELECT n.g, '干部' || n.g, '13900000000', '县直单位', TRUE, FALSE, v.code"
        f" FROM bench_n n JOIN bench_village v ON v.n = (n.g - 1) % {VILLAGES}"
        f" WHERE n.g BETWEEN 1 AND {cadres}",
        # every household due for visits is paired, but one in forty
        "INSERT INTO fieldwork_pairing (id, household_id, cadre_id, village_id, started_on)"
        f" SELECT h.id, h.id, {cadre_of}, h.village_id, '{YEAR_START}'"
        f" FROM registry_household h WHERE {due} AND h.id % 40 <> 7",
        "INSERT INTO fieldwork_visit (id, household_id, village_id, date, purpose,"
        " income_change, illness, schooling, housing, water, notes)"
        f" SELECT (h.id - 1) * {VISITS_PER_HOUSEHOLD} + m.g + 1, h.id, h.village_id,"
        f" {sql.day(visit_day)}, '例行走访',"
        " CASE WHEN m.g % 3 = 0 THEN '务工收入增加' ELSE '' END,"
        " CASE WHEN m.g % 5 = 0 THEN '户主慢性病，按时服药' ELSE '' END, '', '', '',"
        " '了解生产生活情况，宣传政策'"
        f" FROM registry_household h CROSS JOIN bench_n m WHERE m.g < {VISITS_PER_HOUSEHOLD}"
        f" AND {due}",
        "INSERT INTO fieldwork_visit_visitors (id, visit_id, cadre_id)"
        f" SELECT v.id, v.id, {cadre_of} FROM fieldwork_visit v"
        " JOIN registry_household h ON h.id = v.household_id",
        # the 4th, 8th and 12th visits leave a follow-up, due two weeks later: done, but the
        # 12th's and, in one household in five, the 8th's
        "INSERT INTO fieldwork_followup (id, visit_id, household_id, village_id, action,"
        " owner_id, due_on, status, done_on)"
        f" SELECT (h.id - 1) * 3 + m.g / 4 + 1, (h.id - 1) * {VISITS_PER_HOUSEHOLD} + m.g + 1,"
        f" h.id, h.village_id, '落实帮扶措施', {cadre_of}, {sql.day(visit_day + ' + 14')},"
        " CASE WHEN m.g = 11 OR (m.g = 7 AND h.id % 5 = 0) THEN 'open' ELSE 'done' END,"
        f" CASE WHEN m.g = 11 OR (m.g = 7 AND h.id % 5 = 0) THEN NULL"
        f" ELSE {sql.day(visit_day + ' + 14')} END"
        " FROM registry_household h CROSS JOIN bench_n m WHERE m.g IN (3, 7, 11)"
        f" AND {due}",
        "INSERT INTO fieldwork_assistanceplan (id, household_id, village_id, year, goal)"
        f" SELECT h.id, h.id, h.village_id, 2019, '发展产业，稳定增收'"
        f" FROM registry_household h WHERE {due}",
        "INSERT INTO fieldwork_measure (id, plan_id, village_id, type_id, description, amount,"
        " funding_source, start_on, end_on, status, outcome)"
        " SELECT (p.id - 1) * 2 + k.g + 1, p.id, p.village_id,"
        " CASE k.g WHEN 0 THEN (SELECT id FROM fieldwork_measuretype WHERE code = 'industry')"
        " ELSE (SELECT id FROM fieldwork_measuretype WHERE code = 'employment') END,"
        " CASE k.g WHEN 0 THEN '种桑养蚕补助' ELSE '公益性岗位' END, 3000, '财政专项扶贫资金',"
        f" '{YEAR_START}', '2019-12-31', 'ongoing', ''"
        " FROM fieldwork_assistanceplan p CROSS JOIN bench_n k WHERE k.g < 2",
    ]
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if sql.pg:
            # The rows are made consistent; checking ten million foreign keys at COMMIT
            # would take longer than writing them (this transaction only, superuser).
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.executemany(
            "INSERT INTO core_area (code, name, level, parent_id) VALUES (%s, %s, %s, %s)", areas
        )
        for statement in statements[:3]:
            cursor.execute(statement)
        cursor.executemany("INSERT INTO bench_village (n, code) VALUES (%s, %s)", villages)
        for statement in statements[3:]:
            started = time.perf_counter()
            cursor.execute(statement)
            table = statement.split()[2]
            counts[table] = (cursor.rowcount, time.perf_counter() - started)
        cursor.execute("DROP TABLE bench_n")
        cursor.execute("DROP TABLE bench_village")
    with connection.cursor() as cursor:
        if sql.pg:
            for table in counts:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT max(id) FROM {table}))"
                )
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    return counts


def existing() -> dict | None:
    """The row counts of a database built before (--reuse), or None if it is empty."""
    from django.db import connection

    from fupin.registry.models import Household

    if not Household.objects.exists():
        return None
    counts = {}
    with connection.cursor() as cursor:
        for table in ("registry_household", "fieldwork_visit", "fieldwork_followup"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = (cursor.fetchone()[0], 0.0)
    from fupin.core.models import User

    User.objects.filter(username="bench").delete()
    return counts


def cpu_seconds() -> float:
    """CPU time used so far by this process and by its PostgreSQL backend (read from /proc,
    the server being on this machine): unlike the wall clock, it does not grow while other
    work on a shared machine holds the cores."""
    from django.db import connection

    used = time.process_time()
    if connection.vendor == "postgresql":
        if not hasattr(connection, "bench_backend"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                connection.bench_backend = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{connection.bench_backend}/stat").read_text().split(")")[-1]
            utime, stime = fields.split()[11:13]
            used += (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError):
            pass
    return used


def median_ms(function, repeat: int) -> tuple[float, list[float], float]:
    """Median wall-clock ms of `function`, the samples, and the median CPU ms (cpu_seconds)."""
    samples, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), cpu_seconds()
        function()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((cpu_seconds() - cpu_started) * 1000)
    return statistics.median(samples), samples, statistics.median(cpu)


def loop_figures(household_ids, on: date) -> dict:
    """The baseline: the compliance figures by a straightforward loop, household by household
    (what one writes first with the ORM)."""
    from fupin.fieldwork.compliance import policy_for
    from fupin.fieldwork.models import FollowUp, Pairing, Visit
    from fupin.registry.models import Household

    by_village, by_cadre = {}, {}
    late = 0
    policy = {}
    for household in Household.objects.filter(pk__in=household_ids).order_by("pk"):
        if household.village_id not in policy:
            policy[household.village_id] = policy_for(household.village_id)
        days = policy[household.village_id].get(household.status)
        late += FollowUp.objects.filter(household=household, status="open", due_on__lt=on).count()
        if days is None:
            continue
        visited = Visit.objects.filter(
            household=household, date__gt=on - timedelta(days=days), date__lte=on
        ).exists()
        pairing = Pairing.objects.filter(household=household, ended_on__isnull=True).first()
        cadre = pairing.cadre_id if pairing else None
        for key, table in ((household.village_id, by_village), (cadre, by_cadre)):
            row = table.setdefault(key, [0, 0])
            row[0] += 1
            row[1] += not visited
    return {"by_village": by_village, "by_cadre": by_cadre, "follow_ups_overdue": late}


def explain(function) -> None:
    """The plans of the queries `function` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    for query in captured.captured_queries:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        print(f"-- {float(query['time']) * 1000:.1f} ms\n{query['sql'][:2000]}")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            for row in cursor.fetchall():
                print("   ", " | ".join(str(v) for v in row))


def measure(args, counts: dict) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from fupin.core.models import User
    from fupin.fieldwork.compliance import compliance, forget, refresh
    from fupin.registry.models import Household

    user = User.objects.create(username="bench", role="county_approver", area_id=COUNTY)
    client = Client()
    client.force_login(user)

    # What the nightly refresh, or the first reader of a day, pays: every village's figures
    # computed from the households and visits (the set-based query) and stored.
    figures = compliance(COUNTY, ON)  # warm the caches once
    results = {"households_due": figures.households_due, "overdue": figures.overdue}
    results["follow_ups_overdue"] = figures.follow_ups_overdue
    results["compute_ms"], results["compute_samples"], results["compute_cpu"] = median_ms(
        lambda: refresh(COUNTY, ON), args.repeat
    )
    # What every other reader pays: the villages' stored figures, added up.
    results["compliance_ms"], results["compliance_samples"], results["compliance_cpu"] = median_ms(
        lambda: compliance(COUNTY, ON), args.repeat
    )
    stored = compliance(COUNTY, ON)
    assert stored.as_json() | {"computed_at": None} == figures.as_json() | {"computed_at": None}
    # The first reader after a visit in one village: that village computed again.
    village = Household.objects.order_by("pk").values_list("village_id", flat=True).first()

    def after_a_visit():
        forget(village)
        compliance(COUNTY, ON)

    results["after_visit_ms"], _, results["after_visit_cpu"] = median_ms(after_a_visit, args.repeat)

    def command():
        call_command(
            "visit-compliance",
            "--area",
            COUNTY,
            "--on",
            ON.isoformat(),
            "--json",
            stdout=io.StringIO(),
        )

    results["command_ms"], _, results["command_cpu"] = median_ms(command, args.repeat)

    def page():
        response = client.get("/fieldwork/compliance/", {"on": ON.isoformat()})
        assert response.status_code == 200, response.status_code

    page()
    results["compliance_page_ms"], _, results["compliance_page_cpu"] = median_ms(page, args.repeat)

    # The loop agrees with the set-based figures on one whole village...
    ids = list(Household.objects.filter(village_id=village).values_list("pk", flat=True))
    looped, mine = loop_figures(ids, ON), compliance(village, ON)
    assert looped["by_village"][village] == [mine.households_due, mine.overdue], (looped, mine)
    assert looped["follow_ups_overdue"] == mine.follow_ups_overdue
    assert looped["by_cadre"] == {
        row["cadre"]: [row["households_due"], row["overdue"]] for row in mine.by_cadre
    }
    # ...and is timed on a sample of the county, spread over it.
    total = counts["registry_household"][0]
    step = max(1, total // args.sample)
    sample = list(range(1, total + 1, step))[: args.sample]
    started = time.perf_counter()
    loop_figures(sample, ON)
    loop_s = time.perf_counter() - started
    results["loop_sample"] = len(sample)
    results["loop_sample_s"] = loop_s
    results["loop_extrapolated_s"] = loop_s / len(sample) * total

    # The household page of due households spread over the county.
    pages = list(
        Household.objects.filter(status="registered")
        .order_by("pk")
        .values_list("pk", flat=True)[:: max(1, total // args.pages)][: args.pages]
    )
    samples, cpu = [], []
    for pk in [pages[0], *pages]:  # the first one twice: a warm-up
        started, cpu_started = time.perf_counter(), cpu_seconds()
        response = client.get(f"/registry/households/{pk}/")
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((cpu_seconds() - cpu_started) * 1000)
        assert response.status_code == 200, response.status_code
        assert (
            "例行走访".encode() in response.content and "种桑养蚕补助".encode() in response.content
        )
    results["household_page_ms"] = statistics.median(samples[1:])
    results["household_page_max_ms"] = max(samples[1:])
    results["household_page_cpu"] = statistics.median(cpu[1:])
    results["load"] = os.getloadavg()[0]
    results["vendor"] = connection.vendor
    if args.explain:
        explain(lambda: refresh(COUNTY, ON))
    return results


def report(counts: dict, results: dict, built_s: float) -> None:
    print(f"built in {built_s:.1f} s ({results['vendor']}, not timed below):")
    for table, (rows, seconds) in counts.items():
        print(f"  {table:32} {rows:>10,} rows  {seconds:6.1f} s")
    print(
        f"county on {ON}: {results['households_due']:,} households due, "
        f"{results['overdue']:,} overdue, {results['follow_ups_overdue']:,} follow-ups past due"
    )
    samples = ", ".join(f"{s:.0f}" for s in results["compliance_samples"])
    computed = ", ".join(f"{s:.0f}" for s in results["compute_samples"])
    print(f"load average at the end: {results['load']:.1f} on {os.cpu_count()} cores")
    print("median server time, wall clock ms / CPU ms (this process + its PostgreSQL backend):")
    for label, key in (
        ("figures computed (refresh, set-based)", "compute"),
        ("compliance figures (stored, added up)", "compliance"),
        ("figures after a visit in one village", "after_visit"),
        ("`fupin visit-compliance --json`", "command"),
        ("compliance page", "compliance_page"),
        ("household page (visits, plan, measures)", "household_page"),
    ):
        print(f"  {label:42} {results[key + '_ms']:8.1f} / {results[key + '_cpu']:7.1f}")
    print(
        f"  compliance samples: {samples}; computed: {computed}; "
        f"household page max {results['household_page_max_ms']:.1f}"
    )
    loop = results["loop_extrapolated_s"]
    print(
        f"per-household ORM loop: {results['loop_sample']:,} households in "
        f"{results['loop_sample_s']:.2f} s, extrapolated to the county: {loop:8.1f} s "
        f"({loop * 1000 / results['compute_ms']:.0f}x the set-based computation)"
    )
    print(
        f"stored figures: {results['compute_ms'] / results['compliance_ms']:.1f}x faster to read "
        f"than to compute"
    )
    met = (
        results["compliance_ms"] <= 200
        and results["after_visit_ms"] <= 200
        and results["compliance_page_ms"] <= 200
        and results["command_ms"] <= 200
        and results["household_page_ms"] <= 50
    )
    print(
        f"goals (compliance, after a visit, command and page <= 200 ms, household page <= 50 ms,"
        f" wall clock): "
        f"{'met' if met else 'NOT met'}"
    )


@contextlib.contextmanager
def database(args):
    if args.reuse:  # built once, kept: to compare two versions of the code on the same data
        yield args.reuse
        return
    if args.postgres:
        with scratch_database(args.postgres) as url:
            yield url
        return
    folder = tempfile.mkdtemp(prefix="fupin-bench-")
    path = Path(args.keep) if args.keep else Path(folder) / "bench.sqlite3"
    path.unlink(missing_ok=True)
    try:
        yield f"sqlite:///{path}"
    finally:
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            Path(folder).rmdir()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="build in a scratch PostgreSQL database")
    parser.add_argument(
        "--scale",
        type=float,
        help="the share of the county to build (default 1 on PostgreSQL, 0.1 on SQLite)",
    )
    parser.add_argument("--repeat", type=int, default=7, help="runs of each timing (median)")
    parser.add_argument("--sample", type=int, default=2000, help="households in the ORM loop")
    parser.add_argument("--pages", type=int, default=21, help="household pages to time")
    parser.add_argument("--keep", help="SQLite: keep the database at this path")
    parser.add_argument(
        "--reuse", metavar="URL", help="a database to keep: built if it is empty, else reused"
    )
    parser.add_argument("--explain", action="store_true", help="print the compliance plans")
    args = parser.parse_args(argv)
    scale = args.scale or (1.0 if args.postgres else 0.1)
    households = max(VILLAGES, int(HOUSEHOLDS * scale))
    with database(args) as url:
        setup_django(url)
        started = time.perf_counter()
        counts = existing() if args.reuse else None
        counts = counts or build(households)
        built = time.perf_counter() - started
        results = measure(args, counts)
        from django.db import connections

        connections.close_all()
    report(counts, results, built)
    return 0


if __name__ == "__main__":
    sys.exit(main())
