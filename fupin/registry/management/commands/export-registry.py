from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin import idnumbers
from fupin.core.models import Area
from fupin.registry.exporting import export_rows, write_export


class Command(BaseCommand):
    help = (
        "Export the registry of an area in the import template (.xlsx or .csv by the "
        "extension of --out), so that importing the export changes nothing. ID numbers are "
        "written in full (this is the administrators' tool); --mask-id-numbers masks them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--area", help="area code (default: every province)")
        parser.add_argument("--mask-id-numbers", action="store_true")

    def handle(self, *args, out, area, mask_id_numbers, **options):
        if out.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("--out must end in .csv or .xlsx.")
        codes = (
            [area] if area else list(Area.objects.filter(level=1).values_list("code", flat=True))
        )
        if area and not Area.objects.filter(code=area).exists():
            raise CommandError(f"No area {area}.")
        mask = idnumbers.mask if mask_id_numbers else None
        rows = (row for code in codes for row in export_rows(code, mask=mask))
        count = write_export(out, rows)
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} rows to {out}"))
