"""A one-time password must be changed before anything else is done with it."""

from django.shortcuts import redirect
from django.urls import reverse

# What a user with a one-time password may still reach: the change itself, signing out, the
# language switch, static files and the health check.
OPEN = ("password_change", "password_change_done", "logout", "set_language")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in OPEN}
            path = request.path_info
            if path not in allowed and not path.startswith(("/static/", "/healthz")):
                return redirect("password_change")
        return self.get_response(request)
