"""The page where a user creates, lists and revokes their own API tokens."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from fupin.api.models import ApiToken
from fupin.api.services import api_token_create, api_token_revoke
from fupin.core import forms as core_forms
from fupin.core.access import ACTION, FORM, require


class TokenForm(core_forms.Form):
    name = forms.CharField(label=_("label"), max_length=100, required=False)


@require(methods=FORM)
def token_list(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request, "api/token_list.html", {"form": form, "tokens": tokens, "secret": secret}
    )


@require(methods=ACTION)
def token_revoke(request):
    """Revoke one of the user's own tokens (the `token` posted); another's is 404."""
    pk = request.POST.get("token", "")
    if not pk.isdigit():
        raise Http404
    api_token_revoke(token=get_object_or_404(ApiToken, pk=int(pk), user=request.user))
    return redirect("api-tokens")
