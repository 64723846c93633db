from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fupin.core.models import Area
from fupin.workplan import documents
from fupin.workplan.models import Expenditure, Project
from fupin.workplan.selectors import judged


class Command(BaseCommand):
    help = (
        "Write the project ledger of an area's year (every project in its subtree, and every "
        "expenditure) as an Excel workbook: "
        "fupin export-ledger --year 2019 --area 450198101201 --out ledger.xlsx"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--area", required=True, help="a 12-digit area code")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args, year, area, out, **options):
        place = Area.objects.filter(code=area).first()
        if place is None:
            raise CommandError(f"No area with code {area}.")
        today = timezone.localdate()
        base = Project.objects.in_area(place.code).in_year(year)
        projects = judged(base.order_by("plan__area", "number"), today)
        expenditures = (
            Expenditure.objects.filter(project__in=base)
            .select_related("project__plan__area")
            .order_by("date", "pk")
        )
        title = f"{place.name} {year}"
        Path(out).write_bytes(
            documents.ledger_xlsx(projects, expenditures, title=title, today=today)
        )
        self.stdout.write(f"Wrote {out}: {len(projects)} projects.")
