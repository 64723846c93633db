"""Registry import benchmark: `python -m bench.import_registry [--persons N]`
(`--sample N`, `--xlsx-persons N` and `--repeat N` size the other parts).

In one run, on the same synthetic rows (fupin synth, deterministic):
- Fupin's import (check + write, into a fresh SQLite file), with its peak memory;
- the floor: plain sqlite3 reading the CSV and executemany-ing its rows into one table;
- django-import-export, the library people reach for, on a sample (it is far too slow for a
  million rows), extrapolated per row;
- .xlsx import throughput, of a file as Excel writes it (shared strings) and as Fupin's own
  export writes it (openpyxl: every cell inline), and the household list page's server
  time at the million persons' size;
- with --postgres URL, the same import and list into a scratch PostgreSQL database (made and
  dropped through URL, which names a database to connect to for that).
Prints the figures and the ratios; docs/performance.md records a run.
"""

import argparse
import csv
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.database import migrate, scratch_database

ROOT = Path(__file__).resolve().parent.parent
SEED = 2019
PERSONS_PER_HOUSEHOLD = 3.9  # synth's average, to size the file from a person count


def child_env(folder: Path, database_url: str | None = None) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="fupin.settings",
        DATABASE_URL=database_url or f"sqlite:///{folder}/bench.sqlite3",
        FUPIN_VAR_DIR=str(folder),
        PYTHONPATH=str(ROOT),
        ALLOWED_HOSTS="testserver",
    )
    return env


def run_child(step: str, folder: Path, *args, database_url: str | None = None) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench.import_registry", "--child", step, str(folder), *args],
        env=child_env(folder, database_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode:
        sys.stderr.write(output.stderr[-3000:])
        raise SystemExit(f"{step} failed")
    return json.loads(output.stdout.strip().splitlines()[-1])


def setup_django():
    import django

    django.setup()
    migrate()
    from fupin.core.models import User

    user, _ = User.objects.get_or_create(username="bench", defaults={"role": "admin"})
    return user


def child(step: str, folder: Path, args: list[str]) -> dict:
    if step == "synth":  # files of (households, villages, path), written; no database
        import django

        django.setup()
        from fupin.registry import synth

        for start in range(0, len(args), 3):
            households, villages, out = int(args[start]), int(args[start + 1]), args[start + 2]
            places = synth.synthetic_villages(villages)
            rows = synth.iter_rows(households=households, places=places, seed=SEED)
            synth.write(rows, Path(out))
        return {}
    user = setup_django()
    import datetime

    from fupin.registry import synth
    from fupin.registry.importer import check_file, write_plan

    villages = int(args[1])
    synth.ensure_areas(synth.synthetic_villages(villages))
    path = Path(args[0])
    if step == "fupin":
        # What a forked parsing process shares with this one from the start.
        shared = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        start = time.perf_counter()
        plan = check_file(path, user=user, today=datetime.date(2026, 1, 1))
        checked = time.perf_counter()
        assert not plan.errors, plan.errors[:3]
        summary = write_plan(plan, user=user)
        done = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        parser_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        result = {
            "rows": plan.rows,
            "check": checked - start,
            "write": done - checked,
            "total": done - start,
            "peak_bytes": peak,
            "parser_peak_bytes": parser_peak,
            "shared_bytes": shared,
            "changed": summary.changed,
        }
        if len(args) > 2 and args[2] == "list":
            result["list_ms"] = list_page_times(user, int(args[3]))
        return result
    if step == "import_export":
        return import_export_sample(path)
    raise SystemExit(f"unknown step {step}")


def list_page_times(user, repeat: int) -> dict:
    """Median server time of the household list with typical filters, at this size."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    queries = {
        "no filter": "",
        "status": "?status=registered",
        "group+status": "?group=450199001001001&status=exited",
        "income band": "?income_year=2019&income_min=0&income_max=4000&sort=per_capita",
        "search name": "?q=韦文",
        "category": "?category=dibao&cause=illness",
        "page 200": "?page=200",
    }
    times = {}
    for name, query in queries.items():
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get("/registry/" + query)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        times[name] = round(statistics.median(samples), 1)
    return times


def import_export_sample(path: Path) -> dict:
    """django-import-export's ModelResource on the same rows: households, then members."""
    import tablib
    from import_export import fields, resources, widgets

    from fupin.registry.models import Household, Member

    class HouseholdResource(resources.ModelResource):
        village = fields.Field(attribute="village_id", column_name="village_code")

        class Meta:
            model = Household
            import_id_fields = ["household_no"]
            fields = [
                "household_no",
                "village",
                "status",
                "address",
                "phone",
                "year_registered",
                "year_exited",
                "cancel_reason",
            ]

    class MemberResource(resources.ModelResource):
        household = fields.Field(
            attribute="household",
            column_name="household_no",
            widget=widgets.ForeignKeyWidget(Household, "household_no"),
        )

        class Meta:
            model = Member
            import_id_fields = ["id_number"]
            fields = ["household", "id_number", "name", "relation", "sex", "birth_date"]

    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    from fupin import idnumbers

    household_columns = {
        "household_no": "户编号", "village_code": "村代码", "status": "户状态",
        "address": "地址", "phone": "联系电话", "year_registered": "识别年度",
        "year_exited": "脱贫年度", "cancel_reason": "注销原因",
    }  # fmt: skip
    households = tablib.Dataset(headers=list(household_columns))
    seen = set()
    for row in rows:
        if row["户编号"] not in seen:
            seen.add(row["户编号"])
            # Empty years are NULL; empty text stays "" (the columns are NOT NULL).
            households.append(
                [
                    row[header] or (None if header in {"识别年度", "脱贫年度"} else "")
                    for header in household_columns.values()
                ]
            )
    members = tablib.Dataset(
        headers=["household_no", "id_number", "name", "relation", "sex", "birth_date"]
    )
    for row in rows:
        number = row["身份证号码"]
        members.append(
            [
                row["户编号"],
                number,
                row["姓名"],
                row["与户主关系"],
                idnumbers.sex_of(number),
                idnumbers.birth_date_of(number).isoformat(),
            ]
        )
    start = time.perf_counter()
    result = HouseholdResource().import_data(households, dry_run=False, raise_errors=True)
    result = MemberResource().import_data(members, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - start
    assert not result.has_errors()
    return {"rows": len(rows), "seconds": seconds}


def excel_like_xlsx(source: Path, out: Path) -> Path:
    """The rows of a CSV file as an .xlsx file written the way Excel writes one: strings in
    the shared-strings table, each cell a reference (XlsxWriter). Every cell stays text."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        str(out),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = workbook.add_worksheet("户籍")
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for row_number, row in enumerate(csv.reader(handle)):
            for column, value in enumerate(row):
                if value:
                    sheet.write_string(row_number, column, value)
    workbook.close()
    return out


def sqlite_floor(path: Path, folder: Path) -> dict:
    """The least any importer must do: read the CSV and insert its rows, nothing else."""
    database = sqlite3.connect(folder / "floor.sqlite3")
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
        database.execute(f"CREATE TABLE rows ({columns})")
        marks = ", ".join("?" * len(header))
        database.executemany(f"INSERT INTO rows VALUES ({marks})", reader)  # noqa: S608
    database.commit()
    seconds = time.perf_counter() - start
    database.close()
    return {"seconds": seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--xlsx-persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7, help="requests of each list (median)")
    parser.add_argument("--postgres", metavar="URL", help="also import into PostgreSQL")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        step, folder, *rest = args.child
        print(json.dumps(child(step, Path(folder), rest)))
        return
    households = max(1, round(args.persons / PERSONS_PER_HOUSEHOLD))
    repeat = str(args.repeat)
    villages = max(1, households // 400)
    with tempfile.TemporaryDirectory(prefix="fupin-bench-") as tmp:
        tmp = Path(tmp)
        big = tmp / "registry.csv"
        sample = tmp / "sample.csv"
        xlsx = tmp / "registry.xlsx"
        xlsx_csv = tmp / "registry-xlsx.csv"  # the same rows, to save as Excel would
        sample_households = max(1, round(args.sample / PERSONS_PER_HOUSEHOLD))
        xlsx_households = max(1, round(args.xlsx_persons / PERSONS_PER_HOUSEHOLD))
        run_child(
            "synth",
            tmp / "synth",
            *(str(households), str(villages), str(big)),
            *(str(sample_households), "10", str(sample)),
            *(str(xlsx_households), "20", str(xlsx)),
            *(str(xlsx_households), "20", str(xlsx_csv)),
        )
        floor = sqlite_floor(big, tmp)
        fupin = run_child("fupin", tmp / "fupin", str(big), str(villages), "list", repeat)
        fupin_sample = run_child("fupin", tmp / "fupin-sample", str(sample), "10")
        try:
            baseline = run_child("import_export", tmp / "ie", str(sample), "10")
        except SystemExit:
            baseline = None
        fupin_xlsx = run_child("fupin", tmp / "fupin-xlsx", str(xlsx), "20")
        # The same rows as Excel (or WPS) saves them: strings in a shared table.
        excel = excel_like_xlsx(xlsx_csv, tmp / "registry-excel.xlsx")
        fupin_excel = run_child("fupin", tmp / "fupin-excel", str(excel), "20")
        postgres = None
        if args.postgres:
            with scratch_database(args.postgres) as url:
                postgres = run_child(
                    "fupin",
                    tmp / "fupin-pg",
                    str(big),
                    str(villages),
                    "list",
                    repeat,
                    database_url=url,
                )
    rows = fupin["rows"]
    print(f"Registry import, {rows:,} persons ({households:,} households), SQLite, this machine")
    own, parser, shared = (
        fupin[key] / 2**20 for key in ("peak_bytes", "parser_peak_bytes", "shared_bytes")
    )
    print(
        f"  fupin import          {fupin['total']:7.1f} s  (check {fupin['check']:.1f} s, "
        f"write {fupin['write']:.1f} s)\n"
        f"  peak memory           {own + parser - shared:7,.0f} MiB: the importing process "
        f"{own:,.0f} + the parsing process {parser:,.0f} - {shared:,.0f} they share from the "
        f"fork (goal <= 1,024 MiB)"
    )
    print(
        f"  sqlite3 executemany   {floor['seconds']:7.1f} s  (the floor)   "
        f"ratio fupin/floor = {fupin['total'] / floor['seconds']:.1f}x (goal <= 5x)"
    )
    per_row = fupin_sample["total"] / fupin_sample["rows"]
    if baseline:
        theirs = baseline["seconds"] / baseline["rows"]
        print(
            f"  django-import-export  {baseline['seconds']:7.1f} s for {baseline['rows']:,} "
            f"rows (sample); fupin {fupin_sample['total']:.1f} s on the same rows; "
            f"ratio = {theirs / per_row:.0f}x faster (goal >= 20x)"
        )
    print(
        f"  .xlsx import          {fupin_excel['rows'] / fupin_excel['total']:,.0f} rows/s "
        f"as Excel writes it, {fupin_xlsx['rows'] / fupin_xlsx['total']:,.0f} rows/s as "
        f"Fupin's export (openpyxl) writes it ({fupin_xlsx['rows']:,} rows, "
        f"goal >= 20,000 rows/s)"
    )
    print(
        "  household list, median server ms: "
        + ", ".join(f"{name} {ms}" for name, ms in fupin["list_ms"].items())
        + " (goal <= 100 ms)"
    )
    if postgres:
        print(
            f"  PostgreSQL: import {postgres['total']:.1f} s (check {postgres['check']:.1f} s, "
            f"write {postgres['write']:.1f} s), {postgres['total'] / fupin['total']:.1f}x "
            "SQLite's; household list, median server ms: "
            + ", ".join(f"{name} {ms}" for name, ms in postgres["list_ms"].items())
        )


if __name__ == "__main__":
    main()
