import json

from django.core.management.base import BaseCommand, CommandError

from fupin.assessment.services import assessment_run
from fupin.core.jobs import JobError
from fupin.core.models import Area


class Command(BaseCommand):
    help = (
        "Assess every household of an area (or of every area) for a year and store the run: "
        "outcomes with reasons per household, figures per area. --json prints the summary as "
        "one JSON object (docs/assessment.md lists its keys)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the year assessed")
        parser.add_argument("--area", help="12-digit area code (default: every area)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, year, area=None, json=False, **options):
        place = None
        if area:
            place = Area.objects.filter(code=area).first()
            if place is None:
                raise CommandError(f"No area with the code {area}.")
        try:
            run = assessment_run(area=place, year=year)
        except JobError as error:
            raise CommandError(str(error)) from None
        if json:
            self.stdout.write(_dumps(run.summary))
            return
        s = run.summary
        incidence = "—" if s["incidence"] is None else f"{100 * s['incidence']:.2f} %"
        self.stdout.write(
            f"Run {run.pk}: {run.households} households, {run.persons} persons, "
            f"standards {run.standards_version}, {run.seconds:.2f} s\n"
            f"  incidence {incidence}; meets exit {s['meets_exit']}, "
            f"does not {s['not_meets_exit']}, candidates {s['identification_candidates']}, "
            f"monitoring flags {s['monitoring_flags']}"
        )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
