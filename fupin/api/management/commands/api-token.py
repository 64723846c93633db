from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from fupin.api.services import api_token_create


class Command(BaseCommand):
    help = "Print a new personal API token for USERNAME (shown once; only its digest is kept)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label to tell the token apart")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        _token, secret = api_token_create(user=user, name=name)
        self.stdout.write(secret)
