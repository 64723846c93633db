from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "fupin.workplan"
    verbose_name = _("Annual work plan")

    def ready(self):
        from django.apps import apps

        from fupin.core.menu import menu_entry
        from fupin.core.roles import Capability

        # Home-page warnings and the document tasks register themselves on import.
        from fupin.workplan import attention_items, tasks  # noqa: F401

        if apps.is_installed("fupin.assessment"):
            from fupin.workplan.assessment_figures import figures
            from fupin.workplan.documents import register_assessment_figures

            register_assessment_figures(figures)

        menu_entry(_("Work plan"), "plan-list", Capability.VIEW, order=30)
        menu_entry(_("Projects"), "project-list", Capability.VIEW, order=31)
        menu_entry(_("Warnings"), "workplan-warnings", Capability.VIEW, order=32)
