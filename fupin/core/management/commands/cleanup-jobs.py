from django.core.management.base import BaseCommand

from fupin.core.jobs import job_files_cleanup


class Command(BaseCommand):
    help = (
        "Remove job files (exports, error reports) of jobs that ended more than "
        "FUPIN_JOB_FILE_DAYS ago, and uploads left as long. Run it daily (a systemd timer "
        "or cron); each worker also runs it when it starts."
    )

    def handle(self, *args, **options):
        count = job_files_cleanup()
        self.stdout.write(f"{count} job folders and uploads removed.")
