"""Core's background tasks."""

from django.utils.translation import gettext_lazy as _

from fupin.core.jobs import job_progress, job_task
from fupin.core.statistics import area_statistics


@job_task(label=_("Recompute area statistics"), result_template="core/_area_statistics_result.html")
def recompute_area_statistics(job):
    """Count villages, users and records per child area of the job's area."""
    return area_statistics(job.area, progress=lambda **kw: job_progress(job, **kw))
