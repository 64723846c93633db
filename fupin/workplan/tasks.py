"""The work plan's documents, made in the background: plan, year-end summary, ledger."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.jobs import JobError, job_file_path, job_file_result, job_progress, job_task
from fupin.core.models import User
from fupin.documents.word import render_docx
from fupin.workplan import documents
from fupin.workplan.models import AnnualPlan, Expenditure
from fupin.workplan.selectors import plan_projects, project_rows, visible_projects

PLAN_GONE = _("The plan no longer exists or is outside your area.")


def _plan(job, plan_id) -> AnnualPlan:
    plan = AnnualPlan.objects.for_user(job.owner).select_related("area").filter(pk=plan_id)
    if not plan:
        raise JobError(str(PLAN_GONE))
    return plan[0]


@job_task(label=_("Annual work plan document"), result_template="workplan/_document_result.html")
def export_plan_document(job, *, plan_id: int, language: str = "zh"):
    plan = _plan(job, plan_id)
    job_progress(job, done=0, total=2, message=str(_("Reading the plan")))
    projects = plan_projects(job.owner, plan, timezone.localdate())
    job_progress(job, done=1, total=2, message=str(_("Writing the document")))
    path = job_file_path(job, f"plan-{plan.area_id}-{plan.year}-{language}.docx")
    path.write_bytes(render_docx(documents.plan_document(plan, projects, language)))
    return job_file_result(job, path, plan_id=plan.pk, projects=len(projects))


@job_task(label=_("Year-end summary document"), result_template="workplan/_document_result.html")
def export_year_end_summary(job, *, plan_id: int, language: str = "zh"):
    plan = _plan(job, plan_id)
    job_progress(job, done=0, total=2, message=str(_("Reading the plan")))
    today = timezone.localdate()
    projects = plan_projects(job.owner, plan, today)
    job_progress(job, done=1, total=2, message=str(_("Writing the document")))
    path = job_file_path(job, f"summary-{plan.area_id}-{plan.year}-{language}.docx")
    path.write_bytes(render_docx(documents.summary_document(plan, projects, today, language)))
    return job_file_result(job, path, plan_id=plan.pk, projects=len(projects))


@job_task(label=_("Project ledger"), result_template="workplan/_document_result.html")
def export_project_ledger(job, *, year: int):
    owner: User = job.owner
    today = timezone.localdate()
    job_progress(job, done=0, total=2, message=str(_("Reading the projects")))
    projects = project_rows(owner, area=job.area, year=year, today=today)
    expenditures = (
        Expenditure.objects.filter(project__in=visible_projects(owner).in_area(job.area_id))
        .filter(project__plan__year=year)
        .select_related("project__plan__area")
        .order_by("date", "pk")
    )
    job_progress(job, done=1, total=2, message=str(_("Writing the workbook")))
    path = job_file_path(job, f"ledger-{job.area_id}-{year}.xlsx")
    title = f"{job.area.name} {year}"
    path.write_bytes(documents.ledger_xlsx(projects, expenditures, title=title, today=today))
    return job_file_result(job, path, projects=len(projects))
