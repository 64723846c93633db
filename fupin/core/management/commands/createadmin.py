from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fupin.core import accounts
from fupin.core.models import Area, User
from fupin.core.roles import Role


class Command(BaseCommand):
    help = (
        "Make the first administrator of an area (a county, say), with a one-time password "
        "printed once, to be changed at the first sign-in. The all-areas administrator is "
        "`fupin createsuperuser`."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--area", required=True, help="the area's 12-digit code")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--phone", default="")

    def handle(self, *args, username, area, name, phone, **options):
        place = Area.objects.filter(code=area).first()
        if place is None:
            raise CommandError(f"No area with the code {area}: import the division list first.")
        system = User(role=Role.ADMIN, area=None, is_active=True)
        try:
            user, password = accounts.user_create(
                by=system,
                username=username,
                full_name=name or username,
                role=Role.ADMIN,
                area=place,
                phone=phone,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Administrator {user.username} of {place.name} ({place.code}).")
        )
        self.stdout.write(
            f"One-time password (shown once, to be changed at first sign-in): {password}"
        )
