from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.core.roles import Capability

# (label, url name, capability): the main menu; later apps add their entries here.
MENU = [
    (_("Home"), "home", Capability.VIEW),
    (_("Background tasks"), "job-list", Capability.VIEW),
    (_("Users"), "user-list", Capability.MANAGE_USERS),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"menu": []}
    return {
        "menu": [
            (label, reverse(name), name) for label, name, capability in MENU if user.can(capability)
        ]
    }
