from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "fupin.fieldwork"
    verbose_name = _("Fieldwork")

    def ready(self):
        from fupin.core.menu import menu_entry
        from fupin.core.roles import Capability

        # The home page's overdue items and the household page's panel register on import.
        from fupin.fieldwork import attention_items, registry_hooks, tasks  # noqa: F401

        menu_entry(_("Visits"), "fieldwork-compliance", Capability.VIEW_REGISTRY, order=40)
        menu_entry(_("Spring Festival"), "festival-list", Capability.VIEW_REGISTRY, order=41)
        menu_entry(_("Trainings"), "training-programmes", Capability.VIEW_REGISTRY, order=42)
        menu_entry(_("Meetings"), "meeting-list", Capability.VIEW_REGISTRY, order=43)
        menu_entry(_("Mediation"), "mediation-list", Capability.VIEW_REGISTRY, order=44)
