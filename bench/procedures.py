"""Benchmark the procedures: `python -m bench.procedures --procedures 250000`.

Builds a county in a throwaway SQLite database (`--postgres URL`: a scratch PostgreSQL
database made and dropped beside the one URL names), with households and `--procedures`
procedures of past years at random steps (bulk inserts, not timed), then times in the same
run:

1. every step of identification as a batch (`services.step_record_batch`) over a village of
   400 households (`--village-households`): the votes, the exclusion-list cross-check of
   every present member, the notices, and the announcement that registers the 400 through
   the registry's service;
2. the baseline: the first three steps recorded one household at a time
   (`services.step_record`) over another village's 400 households;
3. the county's procedures listing as the API serves it (token, scoping, filters, a page of
   50, JSON), median of 21 requests (`--repeat`): no filter, by kind and year, by step, a
   township; the county page's counts by step, and the pages themselves.

Goals (issue #14): a batch step over 400 households <= 2 s; the listing <= 200 ms median.
"""

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.database import scratch_database, setup_django

COUNTY = "450199000000"
HOUSEHOLDS_PER_VILLAGE = 400


def build(procedures: int, per_village: int = HOUSEHOLDS_PER_VILLAGE, seed: int = 2019):
    """The county, its villages of 400 households, and `procedures` procedures spread over
    2014-2019 at random steps, as bulk inserts (history rows are not needed to read)."""
    import random

    from fupin.core.models import Area, User
    from fupin.procedures.defaults import ensure_defaults
    from fupin.procedures.models import Procedure, StepDefinition, Workflow
    from fupin.registry.models import Household

    ensure_defaults()
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    households = max(procedures // 2, 2 * per_village)
    villages = (households + per_village - 1) // per_village
    areas = [
        Area(code="450000000000", name="广西壮族自治区", level=1),
        Area(code="450100000000", name="南宁市", level=2, parent_id="450000000000"),
        Area(code=COUNTY, name="基准县", level=3, parent_id="450100000000"),
    ]
    village_codes = []
    for t in range(1, (villages + 14) // 15 + 1):
        township = f"450199{t:03d}000"
        areas.append(Area(code=township, name=f"基准镇{t}", level=4, parent_id=COUNTY))
        for v in range(1, 16):
            if len(village_codes) == villages:
                break
            code = f"450199{t:03d}{v:03d}"
            areas.append(Area(code=code, name=f"基准村{t}-{v}", level=5, parent_id=township))
            village_codes.append(code)
    Area.objects.bulk_create(areas, batch_size=2000)
    # The first two villages are the timed rounds: their households start not registered.
    rows = []
    for index in range(households):
        village = village_codes[index // per_village]
        timed = index < 2 * per_village
        status = "not_registered" if timed else rng.choice(["registered", "exited"])
        rows.append(
            Household(
                household_no=f"{village}{index:06d}",
                village_id=village,
                status=status,
                year_registered=None if timed else 2014,
                year_exited=2019 if status == "exited" else None,
            )
        )
    Household.objects.bulk_create(rows, batch_size=5000)
    workflows = {w.kind: w for w in Workflow.objects.filter(province="")}
    steps = {
        kind: list(StepDefinition.objects.filter(workflow=w).order_by("order"))
        for kind, w in workflows.items()
    }
    ids = list(
        Household.objects.filter(village_id__gte=village_codes[2] if len(village_codes) > 2 else "")
        .order_by("pk")
        .values_list("pk", "village_id")
    )
    made = []
    for n in range(procedures):
        household, village = ids[n % len(ids)]
        kind = ("identification", "exit")[n // len(ids) % 2]
        year = 2014 + (n // (2 * len(ids))) % 6
        step = rng.choice(steps[kind])
        done = step.completes
        made.append(
            Procedure(
                household_id=household,
                village_id=village,
                kind=kind,
                year=year,
                workflow=workflows[kind],
                step=step,
                step_order=step.order,
                status="completed" if done else "withdrawn",
                started_on=date(year, 3, 1),
                closed_on=date(year, 12, 1),
                withdraw_reason="" if done else "基准数据",
            )
        )
        if len(made) == 10_000:
            Procedure.objects.bulk_create(made)
            made = []
    Procedure.objects.bulk_create(made)
    users = {}
    for username, role, area in [
        ("clerk1", "village_clerk", village_codes[0]),
        ("clerk2", "village_clerk", village_codes[1]),
        ("township", "township_reviewer", village_codes[0][:9] + "000"),
        ("county", "county_approver", COUNTY),
    ]:
        users[username] = User.objects.create(username=username, role=role, area_id=area)
    return village_codes, users


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def start_round(village: str, user):
    from fupin.procedures.models import Procedure, Workflow
    from fupin.registry.models import Household

    workflow = Workflow.objects.get(province="", kind="identification")
    Procedure.objects.bulk_create(
        Procedure(
            household_id=pk,
            village_id=village,
            kind="identification",
            year=2020,
            workflow=workflow,
            started_on=date(2020, 3, 1),
            started_by=user,
        )
        for pk in Household.objects.filter(village_id=village).values_list("pk", flat=True)
    )
    return list(
        Procedure.objects.filter(village_id=village, year=2020).values_list("pk", flat=True)
    )


# Every step of identification for the batch (the last one changes 400 households' status
# through the registry's service); the loop, the baseline, takes the first three.
STEPS = [
    ("application", date(2020, 3, 1), "clerk"),
    ("group_appraisal", date(2020, 3, 5), "clerk"),
    ("exclusion_check", date(2020, 3, 8), "clerk"),
    ("representatives_appraisal", date(2020, 3, 12), "clerk"),
    ("village_verification", date(2020, 3, 15), "clerk"),
    ("first_notice", date(2020, 3, 18), "clerk"),
    ("township_review", date(2020, 3, 25), "township"),
    ("second_notice", date(2020, 3, 26), "township"),
    ("county_approval", date(2020, 4, 2), "county"),
    ("announcement", date(2020, 4, 3), "county"),
]
LOOPED = 3
VOTING = {"group_appraisal", "representatives_appraisal"}


def votes():
    from fupin.procedures.rules import Votes

    return Votes(votes_for=27, against=2, abstain=1, attendance=30, eligible=36)


def time_batch(ids, users) -> dict[str, float]:
    from fupin.procedures import services

    times = {}
    for code, day, who in STEPS:
        extra = {"votes": votes()} if code in VOTING else {}
        began = time.perf_counter()
        services.step_record_batch(
            procedures=ids, step_code=code, user=users[who], on=day, today=day, **extra
        )
        times[code] = time.perf_counter() - began
    return times


def time_loop(ids, users) -> dict[str, float]:
    from fupin.procedures import services
    from fupin.procedures.models import Procedure

    times = {}
    procedures = list(Procedure.objects.filter(pk__in=ids))
    for code, day, who in STEPS[:LOOPED]:
        extra = {"votes": votes()} if code in VOTING else {}
        began = time.perf_counter()
        for procedure in procedures:
            services.step_record(
                procedure=procedure, step_code=code, user=users[who], on=day, today=day, **extra
            )
        times[code] = time.perf_counter() - began
    return times


def time_listing(user, village_codes, runs: int = 21) -> dict[str, float]:
    from django.test import Client

    from fupin.api.services import api_token_create
    from fupin.procedures.selectors import counts_by_step

    _token, secret = api_token_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    township = village_codes[-1][:9] + "000"
    queries = {
        "no filter": {},
        "kind + year": {"kind": "exit", "year": 2017},
        "step": {"step": "township_review"},
        "a township": {"area": township},
    }
    medians = {}
    for name, params in queries.items():
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            response = client.get("/api/v1/procedures/", params)
            times.append(time.perf_counter() - began)
            assert response.status_code == 200, response.content[:200]
        medians[name] = statistics.median(times) * 1000
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        counts_by_step(user, area=COUNTY, year=2019)
        times.append(time.perf_counter() - began)
    medians["counts by step (county page)"] = statistics.median(times) * 1000
    # The pages themselves, as the county approver opens them (session, HTML rendered).
    pages = Client()
    pages.force_login(user)
    for name, path in {
        "page: by step (county)": f"/procedures/overview/?area={COUNTY}&year=2019",
        "page: list (county)": "/procedures/",
        "page: list, a township": f"/procedures/?village={township}",
    }.items():
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            response = pages.get(path)
            times.append(time.perf_counter() - began)
            assert response.status_code == 200, (path, response.status_code)
        medians[name] = statistics.median(times) * 1000
    return medians


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procedures", type=int, default=250_000)
    parser.add_argument(
        "--village-households",
        type=int,
        default=HOUSEHOLDS_PER_VILLAGE,
        help="households of a village, the size of a timed round",
    )
    parser.add_argument("--repeat", type=int, default=21, help="requests of each listing (median)")
    parser.add_argument("--postgres", metavar="URL", help="build in a scratch PostgreSQL database")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="fupin-bench-"))
        if args.postgres:
            url = stack.enter_context(scratch_database(args.postgres))
        else:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        setup_django(url, FUPIN_VAR_DIR=folder)
        measure(args)
    return 0


def measure(args) -> None:
    from django.db import connection

    began = time.perf_counter()
    village_codes, users = build(args.procedures, args.village_households)
    analyze()
    print(
        f"{connection.vendor}: {args.procedures:,} procedures in {len(village_codes)} villages "
        f"(built in {time.perf_counter() - began:.0f} s)",
        flush=True,
    )
    batch_ids = start_round(village_codes[0], users["clerk1"])
    loop_ids = start_round(village_codes[1], users["clerk2"])
    batch = time_batch(batch_ids, {**users, "clerk": users["clerk1"]})
    loop = time_loop(loop_ids, {**users, "clerk": users["clerk2"]})
    for code, _day, _who in STEPS:
        line = f"step {code:<26} batch of {len(batch_ids)}: {batch[code]:6.2f} s"
        if code in loop:
            line += f"   one at a time: {loop[code]:6.2f} s   loop / batch: "
            line += f"{loop[code] / batch[code]:5.1f}x"
        print(line, flush=True)
    worst = max(batch.values())
    listing = time_listing(users["county"], village_codes, args.repeat)
    for name, ms in listing.items():
        print(f"listing {name:<30} median {ms:6.1f} ms")
    slowest = max(listing.values())
    met = worst <= 2 and slowest <= 200
    print(
        f"goal (batch step <= 2 s, listing <= 200 ms): {'met' if met else 'NOT met'} "
        f"(slowest batch step {worst:.2f} s, slowest listing {slowest:.0f} ms)"
    )


if __name__ == "__main__":
    sys.exit(main())
