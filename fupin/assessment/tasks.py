"""The assessment's background task."""

from django.utils.translation import gettext_lazy as _

from fupin.assessment.services import assessment_run
from fupin.core.jobs import job_progress, job_task


@job_task(label=_("Assess households"), result_template="assessment/_run_result.html")
def run_assessment(job, *, year):
    """Assess every household of the job's area for `year` and store the run."""
    run = assessment_run(
        area=job.area,
        year=int(year),
        started_by=job.owner,
        job=job,
        progress=lambda **kw: job_progress(job, **kw),
    )
    return {
        "run": run.pk,
        "area": job.area_id,
        "year": run.year,
        "households": run.households,
        "persons": run.persons,
        "standards": run.standards_version,
        "outcomes": {
            key: run.summary[key]
            for key in (
                "meets_exit",
                "not_meets_exit",
                "identification_candidates",
                "monitoring_flags",
            )
        },
    }
