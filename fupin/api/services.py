"""Creating, revoking and checking personal API tokens."""

import secrets

from django.utils import timezone

from fupin.api.models import PREFIX_LENGTH, ApiToken, digest_of


def api_token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: the record, and the secret (shown once, never stored)."""
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=digest_of(secret), prefix=secret[:PREFIX_LENGTH]
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def user_for_token(secret: str):
    """The active user whose unrevoked token this is, or None."""
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=digest_of(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
