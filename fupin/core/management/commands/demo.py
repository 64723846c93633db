from django.core.management.base import BaseCommand

from fupin.core.demo import DEMO_PASSWORD, USERS, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo: the seed plan's village, a second village and one user per role. "
        "Idempotent: run it twice and the data is the same."
    )

    def handle(self, *args, **options):
        context = load_demo()
        for line in context.log:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded. Sign in with (password for all: {DEMO_PASSWORD}):")
        )
        for username, _name, role, area_code in USERS:
            area = context.users[username].area
            where = area.name if area else "—"
            self.stdout.write(f"  {username:<10} {role.label:<22} {where} {area_code or ''}")
