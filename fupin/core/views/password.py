from django.contrib.auth.views import PasswordChangeView

from fupin.core.forms import CountedPasswordChangeForm


class CountedPasswordChangeView(PasswordChangeView):
    """Django's password change, with its old password counted like a sign-in; choosing a
    new password ends a one-time password's hold (core.middleware)."""

    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        return response
