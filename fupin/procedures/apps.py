from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "fupin.procedures"
    verbose_name = _("Procedures")

    def ready(self):
        from fupin.assessment.retention import keep_runs

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
