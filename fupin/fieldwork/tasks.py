"""Fieldwork's background work: a township's or county's Spring Festival sheet, and a
village's household handbooks (one .docx per household in a zip)."""

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from fupin.core.jobs import JobError, job_file_path, job_file_result, job_progress, job_task
from fupin.core.models import AccessEvent
from fupin.core.roles import Capability
from fupin.fieldwork import festival, festival_documents, handbook
from fupin.registry.models import Household

MAY_NOT_REVEAL = _("Your role may not print full ID numbers.")


@job_task(label=_("Generate the Spring Festival lists"))
def generate_festival_lists(job, *, year: int, party_member_age: int, language: str = "zh-hans"):
    """A township's or county's lists, in one transaction (a village's: straight away)."""
    with translation.override(language):
        job_progress(job, done=0, total=1, message=str(_("Generating the lists")))
        made = festival.festival_list_generate(
            area=job.area, year=year, party_member_age=party_member_age, user=job.owner
        )
        job_progress(job, done=1, total=1)
        return vars(made)


@job_task(label=_("Spring Festival sign-off sheet"))
def export_festival_list(job, *, year: int, file_format: str = "xlsx", language: str = "zh-hans"):
    with translation.override(language):
        job_progress(job, done=0, total=2, message=str(_("Reading the list")))
        entries = festival.sheet_entries(job.area.code, year)
        job_progress(job, done=1, total=2, message=str(_("Writing the document")))
        path = job_file_path(job, f"春节慰问-{job.area.code}-{year}.{file_format}")
        festival_documents.festival_document(
            path, entries, area=job.area, year=year, today=timezone.localdate()
        )
        return job_file_result(job, path, entries=len(entries))


@job_task(label=_("Household handbooks of a village"))
def export_village_handbooks(job, *, full_id_numbers: bool = False, language: str = "zh-hans"):
    owner = job.owner
    if full_id_numbers and not owner.can(Capability.REVEAL_ID_NUMBERS):
        raise JobError(str(MAY_NOT_REVEAL))
    if full_id_numbers:
        AccessEvent.objects.create(
            user=owner,
            action=AccessEvent.Action.EXPORT_ID_NUMBERS,
            area=job.area,
            detail=f"handbooks, job {job.pk}",
        )
    households = Household.objects.for_user(owner).in_area(job.area.code)
    households = households.filter(status__in=handbook.HANDBOOK_STATUSES)
    with translation.override(language):
        path = job_file_path(job, f"扶贫手册-{job.area.code}.zip")
        count = handbook.village_handbooks_zip(
            households,
            path,
            today=timezone.localdate(),
            reveal=full_id_numbers,
            progress=lambda done, total: job_progress(
                job, done=done, total=total, message=str(_("Writing the handbooks"))
            ),
        )
    return job_file_result(job, path, households=count, id_numbers=full_id_numbers)
