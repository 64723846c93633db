from django.contrib.auth.views import PasswordChangeView

from fupin.core.forms import CountedPasswordChangeForm


class CountedPasswordChangeView(PasswordChangeView):
    """Django's password change, with its old password counted like a sign-in."""

    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
