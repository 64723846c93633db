import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fupin.core.models import Area
from fupin.fieldwork.compliance import compliance


class Command(BaseCommand):
    help = (
        "Visit compliance of an area on a day: households the visit policy covers, those "
        "overdue for a visit, follow-ups past due, by village and by cadre (docs/fieldwork.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="12-digit area code")
        parser.add_argument("--on", type=date.fromisoformat, help="the day (default: today)")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args, area, on=None, json=False, **options):
        if not Area.objects.filter(code=area).exists():
            raise CommandError(f"No area with the code {area}.")
        figures = compliance(area, on or timezone.localdate())
        if json:
            self.stdout.write(_dumps(figures.as_json()))
            return
        self.stdout.write(
            f"{figures.households_due} households due, {figures.overdue} overdue for a visit, "
            f"{figures.follow_ups_overdue} follow-ups past due (on {figures.on})."
        )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
