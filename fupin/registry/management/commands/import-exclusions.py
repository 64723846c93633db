from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.core.import_errors import command_refuse
from fupin.core.reading import ImportFileError
from fupin.core.roles import Capability
from fupin.registry.errors import message
from fupin.registry.exclusions import Kind, check_exclusions, column_title, write_exclusions
from fupin.registry.management.actor import command_user


class Command(BaseCommand):
    help = (
        "Import an exclusion list (.xlsx, or .csv in UTF-8 or GB18030) with the columns of "
        "docs/import-format.md (kind/名单类别, id_number/身份证号码, source/来源部门, "
        "detail/说明), matched to the registry by ID number. All or nothing: any error and "
        "nothing is written; the errors are printed and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--kind",
            choices=Kind.values,
            default=None,
            help="the list the whole file belongs to (then the kind column may be left out)",
        )
        parser.add_argument(
            "--source", default="", help="the source department of rows that name none"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="the file is the whole list: delete entries of its lists that it does not name",
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--user",
            default=None,
            help="the user the import is done as (default: the first all-areas administrator)",
        )

    def handle(self, *args, file, kind, source, replace, dry_run, user, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        actor = _actor(user)
        try:
            plan = check_exclusions(file, kind=kind, source=source)
        except ImportFileError as error:
            raise CommandError(message(error.code, error.params)) from None
        if plan.errors:
            command_refuse(self.stderr, plan.errors, column_title, said="nothing was imported.")
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(plan.by_kind().items()))
        self.stdout.write(f"{plan.rows} rows, {len(plan.entries)} entries ({kinds}): no errors.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        summary = write_exclusions(plan, user=actor, replace=replace, file_name=file.name)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: entries +{summary.created} ~{summary.updated} -{summary.deleted}, "
                f"{summary.unchanged} unchanged."
            )
        )


def _actor(username):
    """The named user, or the first all-areas administrator: exclusion lists are
    county-wide data that administrators keep."""
    actor = command_user(username)
    if not actor.can(Capability.MANAGE_USERS):  # as the page: see views/exclusions.py
        raise CommandError(f"{username!r} is not an administrator: lists are theirs to keep.")
    return actor
