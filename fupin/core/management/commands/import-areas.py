from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.core.area_import import check_areas, column_title, write_areas
from fupin.core.import_errors import command_refuse, message
from fupin.core.reading import ImportFileError


class Command(BaseCommand):
    help = (
        "Load areas from the National Bureau of Statistics' division list (columns 统计用区划代码, "
        "名称, optionally 城乡分类代码) or a villager-group list (村代码, 村民小组, optionally "
        "小组代码), .xlsx or .csv (UTF-8 or GB18030). All or nothing; importing the same file "
        "again changes nothing; areas are created and renamed, never deleted "
        "(docs/areas-import.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, file, dry_run, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        try:
            plan = check_areas(file)
        except ImportFileError as error:
            raise CommandError(message(error.code, error.params)) from None
        if plan.errors:
            command_refuse(
                self.stderr, plan.errors, column_title, said="nothing was imported.", shown=1000
            )
        summary = (
            f"{plan.rows} rows ({plan.kind}): {len(plan.created)} new, "
            f"{len(plan.renamed)} renamed, {plan.unchanged} unchanged."
        )
        if dry_run:
            self.stdout.write(summary + " Dry run: nothing was written.")
            return
        write_areas(plan)
        self.stdout.write(self.style.SUCCESS("Imported: " + summary))
