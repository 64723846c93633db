"""The demo village's registry: ~400 synthetic households in the seed's natural villages,
imported through the real importer (so the demo is also an import test). Idempotent: the
same seed gives the same file, and importing it again changes nothing."""

import datetime
import tempfile
from pathlib import Path

from fupin.registry import synth
from fupin.registry.importer import check_file, write_plan

DEMO_HOUSEHOLDS = 400
DEMO_SEED = 2019


def load_demo(context) -> None:
    village = context.village
    place = synth.Village(
        village.code, village.name, [group.name for group in context.groups.values()]
    )
    rows = synth.iter_rows(households=DEMO_HOUSEHOLDS, places=[place], seed=DEMO_SEED, year=2019)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.csv"
        synth.write(rows, path)
        admin = context.users["admin"]
        plan = check_file(path, user=admin, today=datetime.date(2026, 1, 1))
        if plan.errors:
            raise RuntimeError(f"demo registry has errors: {plan.errors[:3]}")
        summary = write_plan(plan, user=admin)
    context.log.append(
        f"Registry: {plan.households} households, {plan.persons} persons "
        f"({summary.households_created} new)."
    )
