from django.core.management.base import BaseCommand

from fupin.core.jobs import job_recover_stale


class Command(BaseCommand):
    help = (
        "Mark failed the background tasks whose worker died under them (still running after "
        "FUPIN_JOB_STALE_HOURS, or claimed by --worker-id, a worker that is starting again) "
        "and remove their uploads. Each worker does this for itself when it starts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", default="", help="a worker that is not running")

    def handle(self, *args, worker_id="", **options):
        count = job_recover_stale(worker_id=worker_id)
        self.stdout.write(f"{count} stale tasks marked failed.")
