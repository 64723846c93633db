"""Who a registry command acts as: the history and access records name a user."""

from django.core.management.base import CommandError

from fupin.core.models import User


def command_user(username: str | None) -> User:
    """The user named by --user, or else the first active all-areas administrator."""
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
    actor = User.objects.filter(role="admin", area__isnull=True, is_active=True).first()
    if actor is None:
        raise CommandError("No all-areas administrator: pass --user or run `fupin demo`.")
    return actor
