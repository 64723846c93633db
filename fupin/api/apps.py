from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "fupin.api"
    verbose_name = _("API")

    def ready(self):
        from fupin.core.menu import menu_entry

        menu_entry(_("API tokens"), "api-tokens", order=92)
