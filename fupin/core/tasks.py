"""Core's background tasks."""

from django.utils.translation import gettext_lazy as _

from fupin.core.jobs import job_progress, job_task
from fupin.core.statistics import area_statistics


@job_task(label=_("Recompute area statistics"), result_template="core/_area_statistics_result.html")
def recompute_area_statistics(job):
    """Count villages, users and records per child area of the job's area."""
    return area_statistics(job.area, progress=lambda **kw: job_progress(job, **kw))


@job_task(label=_("Import areas"), result_template="core/_area_import_result.html")
def import_areas(
    job, *, path: str, within: str = "", language: str = "zh-hans", original_name: str = ""
):
    from django.utils import translation

    from fupin.core.area_import import check_areas, column_title, write_areas
    from fupin.core.import_errors import check_upload, refuse

    with translation.override(language):
        plan = check_upload(
            job,
            path,
            check_areas,
            within=within or None,
            progress=lambda rows: job_progress(job, done=rows),
        )
        if plan.errors:
            name = "区划导入错误报告.xlsx" if language != "en" else "area-errors.xlsx"
            refuse(job, plan.errors, title=column_title, report_name=name, rows=plan.rows)
        job_progress(job, done=plan.rows, total=plan.rows, message=str(_("Writing")))
        write_areas(plan, user=job.owner)
        return {
            "refused": False,
            "kind": plan.kind,
            "rows": plan.rows,
            "created": len(plan.created),
            "renamed": len(plan.renamed),
            "unchanged": plan.unchanged,
            "file_name": original_name,
        }


@job_task(label=_("Create users"), result_template="core/_user_import_result.html")
def import_users(job, *, path: str, language: str = "zh-hans", original_name: str = ""):
    from django.utils import translation

    from fupin.core.import_errors import check_upload, refuse
    from fupin.core.jobs import job_file_path, job_file_result
    from fupin.core.passwords_file import write_passwords
    from fupin.core.user_import import check_users, column_title, write_users

    with translation.override(language):
        plan = check_upload(job, path, check_users, by=job.owner)
        if plan.errors:
            text = _("No user was created: the file has %(n)s errors.") % {"n": len(plan.errors)}
            refuse(job, plan.errors, title=column_title, shown=200, text=str(text))
        total = len(plan.users)
        job_progress(job, done=0, total=total, message=str(_("Creating the users")))
        made = write_users(
            plan, by=job.owner, progress=lambda done: job_progress(job, done=done, total=total)
        )
        name = "一次性密码.xlsx" if language != "en" else "one-time-passwords.xlsx"
        passwords = job_file_path(job, name)
        write_passwords(passwords, made)
        # The passwords are handed out once: the download deletes the file (views/jobs.py).
        return job_file_result(job, passwords, refused=False, created=len(made), download_once=True)
