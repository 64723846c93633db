"""Benchmark the area import: `python -m bench.import_areas`.

A county's real-sized lists — about 300 villages in 20 townships, then 3,000 villager groups —
imported by `fupin import-areas`'s code (check, then write set-based with history) into a
throwaway SQLite database, beside the straightforward baseline measured in the same run: one
`Area.save()` per row (with its history row), as a loop in a management command would.
"""

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

from bench.database import setup_django


def lists(folder: Path, county: str, villages: int, groups_per_village: int) -> tuple[Path, Path]:
    """A county's division list (with its province and city first) and its group list."""
    divisions = folder / f"divisions-{county}.csv"
    groups = folder / f"groups-{county}.csv"
    village_codes = []
    with open(divisions, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["统计用区划代码", "名称", "城乡分类代码"])
        writer.writerows([["450000000000", "广西壮族自治区", ""], ["450100000000", "南宁市", ""]])
        writer.writerow([f"{county}000000", "基准区", ""])
        for t in range(1, 21):
            township = f"{county}{100 + t:03d}000"
            writer.writerow([township, f"基准镇{t}", ""])
            for v in range(1, villages // 20 + 1):
                code = f"{county}{100 + t:03d}{200 + v:03d}"
                writer.writerow([code, f"基准村{t}-{v}", "220"])
                village_codes.append(code)
    with open(groups, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["村代码", "村民小组", "小组代码"])
        for code in village_codes:
            for g in range(1, groups_per_village + 1):
                writer.writerow([code, f"第{g}村民小组", ""])
    return divisions, groups


def import_with_fupin(paths) -> tuple[float, int]:
    from fupin.core.area_import import check_areas, write_areas

    started, made = time.perf_counter(), 0
    for path in paths:
        plan = check_areas(path)
        assert not plan.errors, plan.errors[:3]
        write_areas(plan)
        made += len(plan.created)
    return time.perf_counter() - started, made


def import_row_by_row(paths) -> float:
    """The baseline: read each row and save it as its own Area, history and all."""
    from fupin import areacodes
    from fupin.core.models import Area

    started = time.perf_counter()
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.reader(handle))[1:]
        for row in rows:
            if path.name.startswith("groups"):
                number = Area.objects.filter(parent_id=row[0]).count() + 1
                code = f"{row[0]}{number:03d}"
            else:
                code = row[0]
            if Area.objects.filter(code=code).exists():
                continue  # the province and city, already there
            Area(
                code=code,
                name=row[1],
                level=int(areacodes.level_of(code)),
                parent_id=areacodes.parent_code(code),
            ).save()
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--groups", type=int, default=10, help="groups per village")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="fupin-bench-areas-"))
    setup_django(f"sqlite:///{folder / 'bench.sqlite3'}")
    # Two counties of the same size: one imported by Fupin, the other row by row.
    seconds, made = import_with_fupin(lists(folder, "450103", args.villages, args.groups))
    again, _ = import_with_fupin(lists(folder, "450103", args.villages, args.groups))
    baseline = import_row_by_row(lists(folder, "450104", args.villages, args.groups))
    print(f"fupin import-areas: {made:,} areas (divisions, then groups) in {seconds:.2f} s")
    print(f"the same files again (idempotent, nothing written): {again:.2f} s")
    print(f"baseline, one Area.save() a row: {baseline:.2f} s")
    print(f"import-areas vs row by row: {baseline / seconds:.1f}x faster")
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
