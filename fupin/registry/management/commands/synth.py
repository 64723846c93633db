from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.registry import synth


class Command(BaseCommand):
    help = (
        "Write a deterministic synthetic county registry in the import template (.csv or "
        ".xlsx by the extension of --out), creating its villages (county 450199) if needed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--villages", type=int, default=10)
        parser.add_argument("--year", type=int, default=2019)
        parser.add_argument(
            "--dirty",
            action="store_true",
            help="plant a known number of each data-quality problem; the matching exclusion "
            "list is written beside --out as <name>.exclusions.csv",
        )
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument(
            "--no-areas", action="store_true", help="do not create the villages in the database"
        )

    def handle(self, *args, households, seed, villages, year, dirty, out, no_areas, **options):
        if households < 1 or villages < 1:
            raise CommandError("--households and --villages must be at least 1.")
        if out.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("--out must end in .csv or .xlsx.")
        places = synth.synthetic_villages(villages)
        if not no_areas:
            synth.ensure_areas(places)
        if dirty:
            try:
                rows, exclusions = synth.generate_dirty(
                    households=households, places=places, seed=seed, year=year
                )
            except synth.TooFewHouseholds as error:
                raise CommandError(f"{error} Use more --households or --villages.") from None
            synth.write(rows, out)
            exclusion_path = out.with_suffix(".exclusions.csv")
            synth.write_exclusions(exclusions, exclusion_path)
            self.stdout.write(f"Planted: {synth.DIRTY_COUNTS}; exclusion list {exclusion_path}")
        else:
            synth.write(
                synth.iter_rows(households=households, places=places, seed=seed, year=year), out
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote {households} households to {out}"))
