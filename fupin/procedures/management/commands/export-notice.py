from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from fupin.core.models import Area, User
from fupin.core.roles import Role
from fupin.procedures import documents, queries
from fupin.procedures.models import Kind


class Command(BaseCommand):
    help = (
        "Write the notice (公示 / 公告) of a round's households at their current notice step "
        "as a Word document: fupin export-notice --area 450198101201 --year 2019 "
        "--kind exit --out notice.docx. When the round's households stand at several "
        "notices (posted on different days, or at different levels), each is written: "
        "notice.docx, notice-2.docx, …"
    )

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="a 12-digit area code")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--kind", required=True, choices=Kind.values)
        parser.add_argument("--out", required=True, help="the .docx file to write")
        parser.add_argument("--language", choices=["zh", "en"], default="zh")

    def handle(self, *args, area, year, kind, out, language, **options):
        if not Area.objects.filter(code=area).exists():
            raise CommandError(f"No area with code {area}.")
        # The command runs as the server's operator: every area.
        operator = User(username="export-notice", role=Role.ADMIN, area=None, is_active=True)
        notices = queries.round_notices(operator, area_code=area, year=year, kind=kind)
        if not notices:
            raise CommandError(
                f"No household of the {year} {kind} round in area {area} stands at a notice "
                "step now: nothing to print."
            )
        target = Path(out)
        with translation.override("en" if language == "en" else "zh-hans"):
            for index, notice in enumerate(notices, start=1):
                path = target if index == 1 else target.with_stem(f"{target.stem}-{index}")
                _name, content = documents.notice_document(operator, notice)
                path.write_bytes(content)
                households = len(queries.notice_rows(operator, notice))
                self.stdout.write(
                    f"Wrote {path}: {notice.step} {notice.posted_on}–{notice.ends_on}, "
                    f"{households} households."
                )
