from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database while Fupin runs: SQLite's online backup, "
        "or pg_dump -Fc on PostgreSQL (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="the backup file to write")

    def handle(self, *args, out: Path, **options):
        try:
            backup(out)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {out} ({out.stat().st_size:,} bytes).")
