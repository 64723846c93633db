from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "fupin.assessment"
    verbose_name = _("Assessment")

    def ready(self):
        from fupin.assessment import attention_items, tasks  # noqa: F401
        from fupin.core.menu import menu_entry
        from fupin.core.roles import Capability

        menu_entry(_("Assessment"), "assessment-home", Capability.VIEW, order=20)

        from fupin.assessment.registry_hooks import connect

        connect()  # the poverty line and the latest outcome on the registry's household page
