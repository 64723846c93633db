import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.core.import_errors import command_refuse
from fupin.core.reading import ImportFileError
from fupin.registry.errors import message
from fupin.registry.importer import check_file, write_plan
from fupin.registry.management.actor import command_user
from fupin.registry.template import column_title


class Command(BaseCommand):
    help = (
        "Import a registry file (.xlsx, or .csv in UTF-8 or GB18030) in the template of "
        "docs/import-format.md. All or nothing: any error and nothing is written; the errors "
        "are printed and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--user",
            default=None,
            help="the user the import is done as (default: the first all-areas administrator)",
        )

    def handle(self, *args, file, dry_run, user, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        actor = command_user(user)
        try:
            plan = check_file(file, user=actor, today=datetime.date.today())
        except ImportFileError as error:
            raise CommandError(message(error.code, error.params)) from None
        if plan.errors:
            command_refuse(self.stderr, plan.errors, column_title, said="nothing was imported.")
        self.stdout.write(
            f"{plan.rows} rows, {plan.households} households, {plan.persons} persons: no errors."
        )
        if dry_run:
            plan.discard()
            self.stdout.write("Dry run: nothing was written.")
            return
        summary = write_plan(plan, user=actor)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: households +{summary.households_created} "
                f"~{summary.households_updated}, "
                f"members +{summary.members_created} ~{summary.members_updated}, "
                f"incomes +{summary.incomes_created} ~{summary.incomes_updated}."
            )
        )
