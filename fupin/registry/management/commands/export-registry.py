from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin import idnumbers
from fupin.core.models import AccessEvent, Area
from fupin.registry.exporting import export_rows, write_export
from fupin.registry.management.actor import command_user


class Command(BaseCommand):
    help = (
        "Export the registry of an area in the import template (.xlsx or .csv by the "
        "extension of --out), so that importing the export changes nothing. ID numbers are "
        "written in full (this is the administrators' tool), and the export is recorded "
        "among the access events as --user's; --mask-id-numbers masks them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)
        parser.add_argument("--area", help="area code (default: every province)")
        parser.add_argument("--mask-id-numbers", action="store_true")
        parser.add_argument(
            "--user",
            default=None,
            help="who exports, as recorded (default: the first all-areas administrator)",
        )

    def handle(self, *args, out, area, mask_id_numbers, user, **options):
        if out.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("--out must end in .csv or .xlsx.")
        codes = (
            [area] if area else list(Area.objects.filter(level=1).values_list("code", flat=True))
        )
        if area and not Area.objects.filter(code=area).exists():
            raise CommandError(f"No area {area}.")
        actor = None if mask_id_numbers else command_user(user)
        mask = idnumbers.mask if mask_id_numbers else None
        rows = (row for code in codes for row in export_rows(code, mask=mask))
        count = write_export(out, rows)
        if mask is None:  # full numbers left the system: as the web export, it is recorded
            AccessEvent.objects.bulk_create(
                AccessEvent(
                    user=actor,
                    action=AccessEvent.Action.EXPORT_ID_NUMBERS,
                    area_id=code,
                    detail=f"fupin export-registry --out {out.name}",
                )
                for code in codes
            )
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} rows to {out}"))
