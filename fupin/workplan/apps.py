from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "fupin.workplan"
    verbose_name = _("Annual work plan")
