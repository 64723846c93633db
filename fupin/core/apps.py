from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fupin.core"
    verbose_name = _("Areas, users and tasks")

    def ready(self):
        # Register home-page items and background task kinds.
        from fupin.core import attention_items, tasks  # noqa: F401
