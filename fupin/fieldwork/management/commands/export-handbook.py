from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from fupin.core.models import AccessEvent
from fupin.fieldwork import handbook
from fupin.registry.management.actor import command_user
from fupin.registry.models import Household


class Command(BaseCommand):
    help = (
        "Write a household's handbook (扶贫手册) as .docx: household card, members, incomes "
        "against the poverty line, responsible cadre, household plan and measures, visit "
        "log. ID numbers are masked; --full-id-numbers prints them in full, recorded among "
        "the access events as --user's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--household", required=True, help="household number")
        parser.add_argument("--out", type=Path, required=True, help="FILE.docx")
        parser.add_argument("--full-id-numbers", action="store_true")
        parser.add_argument(
            "--user",
            default=None,
            help="who prints full numbers, as recorded (default: the first all-areas "
            "administrator)",
        )

    def handle(self, *args, **options):
        # The documents are printed in the office's language (Chinese), whatever the shell's.
        with translation.override(settings.LANGUAGE_CODE):
            self._write(**options)

    def _write(self, *, household, out, full_id_numbers, user, **_options):
        out = Path(out)
        if out.suffix.lower() != ".docx":
            raise CommandError(f"--out must end in .docx, not {out.suffix or 'no extension'!r}.")
        row = handbook.handbook_households(Household.objects.filter(household_no=household))
        row = row.first()
        if row is None:
            raise CommandError(f"No household with the number {household}.")
        if full_id_numbers:
            AccessEvent.objects.create(
                user=command_user(user),
                action=AccessEvent.Action.EXPORT_ID_NUMBERS,
                area_id=row.village_id,
                object_label=Household._meta.label,
                object_pk=str(row.pk),
                detail=f"fupin export-handbook --out {out.name}",
            )
        out.write_bytes(
            handbook.handbook_docx(row, today=timezone.localdate(), reveal=full_id_numbers)
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote the handbook of {household} to {out}"))
