import json

from django.core.management.base import BaseCommand

from fupin.assessment.retention import prune_runs


class Command(BaseCommand):
    help = (
        "Remove old assessment runs: keep every run of the last FUPIN_RUN_KEEP_DAYS days "
        "(default 62), the latest run of each area, year and month before that, and every "
        "run a procedure or report refers to. Run it from cron or a systemd timer "
        "(docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, remove nothing")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args, dry_run=False, json=False, **options):
        pruned = prune_runs(dry_run=dry_run)
        counts = {
            "runs": pruned.runs,
            "outcomes": pruned.outcomes,
            "area_results": pruned.area_results,
            "dry_run": dry_run,
        }
        if json:
            self.stdout.write(_dumps(counts))
            return
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {pruned.runs} runs: {pruned.outcomes} household outcomes, "
            f"{pruned.area_results} area results."
        )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
