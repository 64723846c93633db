from django.urls import reverse

from fupin.core.menu import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"menu": []}
    return {
        "menu": [(entry.label, reverse(entry.url_name), entry.url_name) for entry in menu_for(user)]
    }
