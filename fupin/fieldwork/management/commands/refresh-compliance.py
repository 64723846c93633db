import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fupin.core.models import Area
from fupin.fieldwork.compliance import refresh


class Command(BaseCommand):
    help = (
        "Compute and store the visit compliance figures of every village of an area (default: "
        "every area) for a day (default: today), so that the day's first reader of a county's "
        "page does not wait for them: the nightly timer of docs/deploy.md. Also after changes "
        "made outside Fupin (SQL, a restored backup)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", help="12-digit area code (default: every area)")
        parser.add_argument("--on", type=date.fromisoformat, help="the day (default: today)")

    def handle(self, *args, area=None, on=None, **options):
        on = on or timezone.localdate()
        if area is None:
            tops = list(Area.objects.filter(parent=None).values_list("code", flat=True))
        elif Area.objects.filter(code=area).exists():
            tops = [area]
        else:
            raise CommandError(f"No area with the code {area}.")
        started = time.perf_counter()
        villages = sum(refresh(code, on) for code in tops)
        self.stdout.write(
            f"Compliance figures of {villages} villages computed for {on} "
            f"in {time.perf_counter() - started:.1f} s."
        )
