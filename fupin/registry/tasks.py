"""The registry's background work: imports and exports, with progress."""

import datetime

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fupin import idnumbers
from fupin.core.import_errors import check_upload, refuse
from fupin.core.jobs import JobError, job_file_path, job_file_result, job_progress, job_task
from fupin.core.models import AccessEvent, User
from fupin.core.roles import Capability
from fupin.registry.exclusions import check_exclusions, kind_label, write_exclusions
from fupin.registry.exclusions import column_title as exclusion_column
from fupin.registry.exporting import export_rows, write_export
from fupin.registry.importer import check_file, write_plan
from fupin.registry.template import column_title


def _refuse(job, plan, report_name: str, title):
    """A refused file: every error in a report, the first fifty on the job's page. The report
    holds the cells as written: full ID numbers (core.views.jobs)."""
    refuse(job, plan.errors, title=title, report_name=report_name, rows=plan.rows, id_numbers=True)


@job_task(label=_("Import households"), result_template="registry/_import_result.html")
def import_registry(job, *, path: str, language: str = "zh-hans", original_name: str = ""):
    with translation.override(language):
        plan = check_upload(
            job,
            path,
            check_file,
            user=job.owner,
            today=datetime.date.today(),
            progress=lambda rows: job_progress(job, done=rows, message=str(_("Checking the file"))),
        )
        if plan.errors:
            name = "导入错误报告.xlsx" if language != "en" else "import-errors.xlsx"
            _refuse(job, plan, name, title=column_title)
        job_progress(job, done=plan.rows, total=plan.rows, message=str(_("Writing")))
        summary = write_plan(plan, user=job.owner)
        return {
            "refused": False,
            "rows": plan.rows,
            "households": plan.households,
            "persons": plan.persons,
            **vars(summary),
            "file_name": original_name,
        }


@job_task(label=_("Export households"))
def export_registry(job, *, file_format: str = "xlsx", full_id_numbers: bool = False):
    owner: User = job.owner
    if full_id_numbers and not owner.can(Capability.REVEAL_ID_NUMBERS):
        raise JobError(str(_("Your role may not export full ID numbers.")))
    if full_id_numbers:
        AccessEvent.objects.create(
            user=owner,
            action=AccessEvent.Action.EXPORT_ID_NUMBERS,
            area=job.area,
            detail=f"job {job.pk}",
        )
    mask = None if full_id_numbers else idnumbers.mask
    name = f"户籍导出-{job.area.code}.{file_format}"
    path = job_file_path(job, name)
    rows = export_rows(
        job.area.code,
        mask=mask,
        progress=lambda done, total: job_progress(job, done=done, total=total),
    )
    title = f"户籍导出　{job.area.name}（{job.area.code}）"
    rows = write_export(path, rows, title=title)
    return job_file_result(job, path, rows=rows, id_numbers=full_id_numbers)


@job_task(label=_("Import an exclusion list"), result_template="registry/_exclusions_result.html")
def import_exclusions(
    job,
    *,
    path: str,
    kind: str = "",
    source: str = "",
    replace: bool = False,
    language: str = "zh-hans",
    original_name: str = "",
):
    with translation.override(language):
        plan = check_upload(
            job,
            path,
            check_exclusions,
            kind=kind or None,
            source=source,
            progress=lambda rows: job_progress(job, done=rows, message=str(_("Checking the file"))),
        )
        if plan.errors:
            name = "名单导入错误报告.xlsx" if language != "en" else "list-import-errors.xlsx"
            _refuse(job, plan, name, title=exclusion_column)
        job_progress(job, done=plan.rows, total=plan.rows, message=str(_("Writing")))
        summary = write_exclusions(plan, user=job.owner, replace=replace, file_name=original_name)
        return {
            "refused": False,
            **vars(summary),
            "kinds": [
                {"label": kind_label(kind), **counts} for kind, counts in summary.kinds.items()
            ],
            "replace": replace,
            "file_name": original_name,
        }
