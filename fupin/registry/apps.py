from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "fupin.registry"
    verbose_name = _("Household registry")

    def ready(self):
        from fupin.core.menu import menu_entry
        from fupin.core.roles import Capability
        from fupin.registry import tasks  # noqa: F401 - registers the job kinds
        from fupin.registry.views.exclusions import KEEP_LISTS

        menu_entry(_("Households"), "household-list", Capability.VIEW_REGISTRY, order=10)
        menu_entry(_("Import"), "registry-import", Capability.EDIT_REGISTRY, order=11)
        menu_entry(_("Data quality"), "registry-quality", Capability.VIEW_REGISTRY, order=12)
        menu_entry(_("Exclusion lists"), "exclusion-lists", *KEEP_LISTS, order=13, all_areas=True)
