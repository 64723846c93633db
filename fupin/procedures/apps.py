from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "fupin.procedures"
    verbose_name = _("Procedures")

    def ready(self):
        from fupin.assessment.retention import keep_runs
        from fupin.core.menu import menu_entry
        from fupin.core.roles import Capability

        # The home page's queue and the household page's panel register on import.
        from fupin.procedures import attention_items, registry_hooks  # noqa: F401

        menu_entry(_("Procedures"), "procedure-overview", Capability.VIEW_REGISTRY, order=45)

        # The runs a verification cited stay when runs are pruned: the record says what
        # the step relied on.
        def cited_runs():
            from fupin.procedures.models import StepRecord

            return (
                StepRecord.objects.filter(assessment_run__isnull=False)
                .values_list("assessment_run", flat=True)
                .distinct()
            )

        keep_runs.append(cited_runs)
