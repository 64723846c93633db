from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from fupin.core.models import Area
from fupin.fieldwork import festival, festival_documents


class Command(BaseCommand):
    help = (
        "Write the Spring Festival sign-off sheet of an area's lists for a year, as .xlsx or "
        ".docx by the extension of --out (docs/fieldwork.md). The lists are generated on the "
        "Spring Festival page; the sheet holds no ID numbers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--area", required=True, help="12-digit area code")
        parser.add_argument("--out", type=Path, required=True, help="FILE.xlsx or FILE.docx")

    def handle(self, *args, **options):
        # The documents are printed in the office's language (Chinese), whatever the shell's.
        with translation.override(settings.LANGUAGE_CODE):
            self._write(**options)

    def _write(self, *, year, area, out, **_options):
        out = Path(out)
        if out.suffix.lower() not in festival_documents.FORMATS:
            raise CommandError(
                f"--out must end in .xlsx or .docx, not {out.suffix or 'no extension'!r}."
            )
        place = Area.objects.filter(code=area).first()
        if place is None:
            raise CommandError(f"No area with the code {area}.")
        entries = festival.sheet_entries(area, year)
        if not entries:
            raise CommandError(
                f"No Spring Festival list of {year} in {area}: generate it on the page first."
            )
        festival_documents.festival_document(
            out, entries, area=place, year=year, today=timezone.localdate()
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(entries)} entries to {out}"))
