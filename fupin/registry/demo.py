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


def load_demo(context, today: datetime.date | None = None) -> None:
    village = context.village
    place = synth.Village(
        village.code, village.name, [group.name for group in context.groups.values()]
    )
    # The seed plan's year, 2019, for the incomes and the ages people had then; schooling,
    # work and insurance as a registry kept up to date records them this year (as of its
    # first day, so that loading the demo again within the year changes nothing), so that
    # the data-quality page does not flag the children of 2019 who have since left school.
    # In a later year the same people are loaded again, a year older.
    as_of = datetime.date((today or datetime.date.today()).year, 1, 1)
    rows = synth.iter_rows(
        households=DEMO_HOUSEHOLDS,
        places=[place],
        seed=DEMO_SEED,
        year=2019,
        today=as_of,
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.csv"
        synth.write(rows, path)
        admin = context.users["admin"]
        plan = check_file(path, user=admin, today=as_of)
        if plan.errors:
            raise RuntimeError(f"demo registry has errors: {plan.errors[:3]}")
        summary = write_plan(plan, user=admin)
    context.log.append(
        f"Registry: {plan.households} households, {plan.persons} persons "
        f"({summary.households_created} new)."
    )
