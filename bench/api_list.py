"""Benchmark the API's household list against the page's: `python -m bench.api_list`.

Builds a county of about 1,000,000 persons (~250,000 households) set-based in a scratch
PostgreSQL database (INSERT … SELECT generate_series, not timed), then times in the same run,
as the median server time of 7 requests each (`--repeat`) (Django's test client, no network):

- the HTML household list page (/registry/): first page, a status filter, page 200 — the
  baseline, the budget the issue gives the API ("within the same budget as the pages");
- the API's household list (/api/v1/registry/households/): first page, a deep keyset page
  (the cursor of household 200,000), a filtered page (status), and a filtered deep page;

for the all-areas administrator and for a township reviewer (scoping to 15 villages).
`--postgres URL` names the server (default: $DATABASE_URL, else the local one); the scratch
database beside it is dropped afterwards. PostgreSQL only: the build is its SQL.
"""

import argparse
import os
import statistics
import sys
import time

from bench.database import scratch_database, setup_django

COUNTY = "450199000000"
TOWNSHIPS = 14  # x 15 villages = 210 villages, ~1,200 households each
VILLAGES_PER_TOWNSHIP = 15
YEAR = 2019
ORDER = ("village_id", "household_no")  # the API's household list order


def area_rows():
    rows = [
        ("450000000000", "广西壮族自治区", 1, None),
        ("450100000000", "南宁市", 2, "450000000000"),
        (COUNTY, "基准县", 3, "450100000000"),
    ]
    villages = []
    for t in range(1, TOWNSHIPS + 1):
        township = f"450199{t:03d}000"
        rows.append((township, f"基准镇{t}", 4, COUNTY))
        for v in range(1, VILLAGES_PER_TOWNSHIP + 1):
            code = f"450199{t:03d}{v:03d}"
            rows.append((code, f"基准村{t}-{v}", 5, township))
            villages.append(code)
    return rows, villages


def build(households: int) -> int:
    """Households with 1-7 members (mean 4) and two years of incomes, set-based: one
    INSERT … SELECT per table. Household numbers begin with their village's code, as real
    ones do. Returns the number of persons."""
    from django.db import connection, transaction

    rows, villages = area_rows()
    n_villages = len(villages)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO core_area (code, name, level, parent_id) VALUES (%s, %s, %s, %s)", rows
        )
        # Village k of the list holds households k, k + V, k + 2V, …: its code, then the
        # household's rank in the village, 6 digits.
        cursor.execute(
            "CREATE TEMP TABLE bench_village AS SELECT (row_number() OVER (ORDER BY code)) - 1"
            " AS k, code FROM core_area WHERE level = 5"
        )
        cursor.execute(
            """
            INSERT INTO registry_household (id, household_no, village_id, status, cancel_reason,
              year_registered, year_exited, housing_grade, housing_renovation, water_quality,
              water_quantity, water_convenience, water_reliability, electricity, address, phone,
              attribute, poverty_cause, dibao, five_guarantee, special_support, military_family,
              road, updated_at)
            SELECT i, v.code || lpad(((i - 1) / %(v)s + 1)::text, 6, '0'), v.code, s.status,
              '', 2016, CASE WHEN s.status = 'exited' THEN 2018 END, 'A', 'none',
              'safe', 'safe', 'safe', 'safe', true, '', '',
              (ARRAY['', 'general', 'dibao'])[1 + i %% 3], (ARRAY['', 'illness', 'disability'])
                [1 + i %% 3], i %% 7 = 0, false, false, false, true, '2019-12-31'
            FROM generate_series(1, %(n)s) AS i
            JOIN bench_village AS v ON v.k = (i - 1) %% %(v)s
            CROSS JOIN LATERAL (SELECT (ARRAY['registered', 'not_registered', 'not_registered',
              'exited', 'monitored'])[1 + (hashint4(i) & 2147483647) %% 5] AS status) AS s
            """,
            {"n": households, "v": n_villages},
        )
        cursor.execute(
            """
            INSERT INTO registry_member (id, relation, name, id_number, birth_date, education,
              schooling, medical_insurance, serious_illness_insurance, household_id, sex,
              ethnicity, health, labour, migrant_months, migrant_place, pension_insurance,
              party_member, veteran, college_student, status)
            SELECT row_number() OVER (), CASE WHEN j = 1 THEN 'head' ELSE 'child' END,
              '成员' || h, lpad((h * 8 + j)::text, 18, '0'), date '1960-01-01' + (h %% 15000),
              'primary', 'not_applicable', true, true, h, 'M', '', 'healthy', '', 0, '', false,
              false, false, false, 'present'
            FROM generate_series(1, %(n)s) AS h,
              generate_series(1, 1 + (hashint4(h + 7) & 2147483647) %% 7) AS j
            """,
            {"n": households},
        )
        cursor.execute(
            """
            INSERT INTO registry_yearlyincome (household_id, year, members, wage,
              operating_income, operating_costs, property, transfer_pension, transfer_dibao,
              transfer_subsidy, transfer_other, excluded_earmarked, excluded_one_off)
            SELECT h.id, y, greatest(1, (SELECT count(*) FROM registry_member m
                WHERE m.household_id = h.id)), 2000 + (hashint4((h.id * y)::int) & 65535), 0, 0, 0,
              0, 0, 0, 0, 0, 0
            FROM registry_household AS h, (VALUES (%(a)s), (%(b)s)) AS years(y)
            """,
            {"a": YEAR - 1, "b": YEAR},
        )
        cursor.execute("SELECT count(*) FROM registry_member")
        persons = cursor.fetchone()[0]
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('registry_household', 'id'), %s)",
            [households],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return persons


def median_ms(client, url: str, headers=None, rounds: int = 7) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url, headers=headers or {})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return round(statistics.median(samples), 1)


def cursor_after(key: tuple[str, str]) -> str:
    """The cursor the API gives after the household (village, household number)."""
    from fupin.api.pagination import SEPARATOR, encode

    return encode(SEPARATOR.join(key))


def member_cursor(user) -> str:
    """The API's cursor after the member four fifths down the user's list."""
    from fupin.api.pagination import SEPARATOR, encode
    from fupin.api.registry import BY_HOUSEHOLD
    from fupin.registry.models import Member

    members = Member.objects.for_user(user).order_by(*BY_HOUSEHOLD)
    key = members.values_list(*BY_HOUSEHOLD)[members.count() * 4 // 5]
    return encode(SEPARATOR.join(map(str, key)))


def times_for(user, repeat: int) -> dict:
    def timed(client, url, headers=None):
        return median_ms(client, url, headers, repeat)

    from django.test import Client

    from fupin.api.services import api_token_create
    from fupin.registry.models import Household

    page = Client()
    page.force_login(user)
    _token, secret = api_token_create(user=user)
    bearer = {"Authorization": f"Bearer {secret}"}
    visible = Household.objects.for_user(user).order_by(*ORDER)
    deep = visible.values_list(*ORDER)[min(200_000, visible.count() * 4 // 5)]
    registered = visible.filter(status="registered").values_list(*ORDER)
    deep_registered = registered[registered.count() * 4 // 5]
    api = "/api/v1/registry/households/"
    village = visible.values_list("village_id", flat=True).last()
    detail = min(100, visible.count() - 1)  # the 101st household, or a small scope's last
    api_client = Client()
    return {
        "page: first": timed(page, "/registry/"),
        "page: status": timed(page, "/registry/?status=registered"),
        "page: page 200": timed(page, "/registry/?page=200"),
        "api: first": timed(api_client, api, bearer),
        "api: deep keyset": timed(api_client, f"{api}?cursor={cursor_after(deep)}", bearer),
        "api: status": timed(api_client, f"{api}?status=registered", bearer),
        "api: status, deep": timed(
            api_client, f"{api}?status=registered&cursor={cursor_after(deep_registered)}", bearer
        ),
        "api: village": timed(api_client, f"{api}?village={village}", bearer),
        "api: members, first": timed(api_client, "/api/v1/registry/members/", bearer),
        "api: members, deep": timed(
            api_client, f"/api/v1/registry/members/?cursor={member_cursor(user)}", bearer
        ),
        "api: incomes 2019": timed(api_client, "/api/v1/registry/incomes/?year=2019", bearer),
        "api: detail": timed(
            api_client, f"{api}{visible.values_list('pk', flat=True)[detail]}/", bearer
        ),
    }


def explain(user) -> None:
    """The plans of the API's list queries, to read when a figure is off."""
    from django.db import connection

    from fupin.registry.models import Household

    visible = Household.objects.for_user(user)
    from fupin.api.registry import BY_HOUSEHOLD
    from fupin.registry.models import Member

    for name, queryset in {
        "first": visible.order_by(*ORDER),
        "status": visible.filter(status="registered").order_by(*ORDER),
        "members": Member.objects.for_user(user).order_by(*BY_HOUSEHOLD),
    }.items():
        sql, params = queryset[:51].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print(f"-- {user.username} {name}")
            for (line,) in cursor.fetchall():
                print("   ", line)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=250_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--repeat", type=int, default=7, help="requests of each (median)")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args(argv)
    with scratch_database(args.postgres) as url:
        setup_django(url, API_THROTTLE_RATE="1000000/m")
        started = time.perf_counter()
        persons = build(args.households)
        print(
            f"built {persons:,} persons in {args.households:,} households on PostgreSQL "
            f"in {time.perf_counter() - started:.1f} s (not timed below)"
        )
        from fupin.core.models import User

        admin = User.objects.create(username="bench", role="admin")
        # The first township's households come first in household-number order, the last's
        # last: a list that scans that order and filters the scope is fast for one only.
        first = User.objects.create(
            username="township 1", role="township_reviewer", area_id="450199001000"
        )
        last = User.objects.create(
            username=f"township {TOWNSHIPS}",
            role="township_reviewer",
            area_id=f"450199{TOWNSHIPS:03d}000",
        )
        for user in (admin, first, last):
            times = times_for(user, args.repeat)
            print(f"{user.username} (median server ms of {args.repeat}):")
            for name, ms in times.items():
                print(f"  {name:20} {ms:7.1f}")
            slowest_api = max(ms for name, ms in times.items() if name.startswith("api"))
            slowest_page = max(ms for name, ms in times.items() if name.startswith("page"))
            print(
                f"  slowest API list {slowest_api} ms vs slowest page {slowest_page} ms: "
                f"{'within' if slowest_api <= slowest_page else 'OVER'} the pages' budget"
            )
            if args.explain:
                explain(user)
    return 0


if __name__ == "__main__":
    sys.exit(main())
