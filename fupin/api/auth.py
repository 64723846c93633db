"""Who is asking: a personal token (`Authorization: Bearer …`) or the pages' session (CSRF)."""

from ninja.security import HttpBearer, SessionAuth

from fupin.api.services import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        # Every check below (for_user, user.can, history's user) reads request.user.
        request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The pages' session, with its CSRF check on writes (ninja's SessionAuth)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [TokenAuth(), ActiveSessionAuth()]
