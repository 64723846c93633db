from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fupin.core.models import Area
from fupin.documents.word import render_docx
from fupin.workplan import documents
from fupin.workplan.models import AnnualPlan
from fupin.workplan.selectors import plan_projects


class Command(BaseCommand):
    help = (
        "Write an area's annual work plan (or, with --summary, its year-end summary) as a "
        "Word document: fupin export-plan --year 2019 --area 450198101201 --out plan.docx"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--area", required=True, help="the plan's 12-digit area code")
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument("--language", choices=["zh", "en"], default="zh")
        parser.add_argument("--summary", action="store_true", help="the year-end summary")

    def handle(self, *args, year, area, out, language, summary, **options):
        plan = AnnualPlan.objects.select_related("area").filter(area=area, year=year).first()
        if plan is None:
            known = Area.objects.filter(code=area).exists()
            raise CommandError(
                f"No {year} plan for area {area}." if known else f"No area with code {area}."
            )
        today = timezone.localdate()
        projects = plan_projects(None, plan, today)
        if summary:
            spec = documents.summary_document(plan, projects, today, language)
        else:
            spec = documents.plan_document(plan, projects, language)
        Path(out).write_bytes(render_docx(spec))
        self.stdout.write(f"Wrote {out}: {plan.title}, {len(projects)} projects.")
