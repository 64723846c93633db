from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from fupin.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `fupin backup` into the database of DATABASE_URL, which "
        "must be empty (no tables) unless --force (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument(
            "--force", action="store_true", help="replace everything the database holds"
        )

    def handle(self, *args, file: Path, force: bool, **options):
        connections.close_all()
        try:
            tables = restore(file, settings.DATABASES["default"], force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {tables} tables from {file}.")
