"""Full ID numbers for a role without the reveal right: no page (every GET URL, with data in
it), history page, export or job result shows one — only the masked 45**************3X."""

import io
import re
import stat
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from fupin import idnumbers
from fupin.core.jobs import job_file_path, job_file_result
from fupin.core.models import AccessEvent, Job
from fupin.core.roles import Capability, Role
from fupin.registry.models import Household, Member
from tests.core.test_authorization_matrix import CASES
from tests.security.data import village_with_history

NO_REVEAL = [Role.TOWNSHIP_REVIEWER, Role.INSPECTOR, Role.BUREAU]
PAGES = [case for case in CASES if case.method == "get"]


def full_numbers() -> set[str]:
    numbers = set(Member.objects.values_list("id_number", flat=True))
    numbers |= set(Member.history.values_list("id_number", flat=True))
    assert numbers and all(len(n) == 18 for n in numbers)
    return numbers


def leaked(content: bytes) -> list[str]:
    text = content.decode("utf-8", "replace")
    return sorted(n for n in full_numbers() if n in text)


def test_the_roles_checked_here_really_lack_the_reveal_right(world):
    assert not any(world.user(role).can(Capability.REVEAL_ID_NUMBERS) for role in NO_REVEAL)
    assert world.user(Role.VILLAGE_CLERK).can(Capability.REVEAL_ID_NUMBERS)


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.url_name)
@pytest.mark.parametrize("role", NO_REVEAL)
def test_no_page_shows_a_full_number(case, role, world, client):
    if role not in case.allowed:
        pytest.skip("the role may not open this page (the matrix checks the 403)")
    village_with_history(world)
    user = world.user(role)
    url = reverse(case.url_name, kwargs=case.kwargs(world, user, True) if case.kwargs else None)
    client.force_login(user)
    response = client.get(url, case.data)
    assert response.status_code == case.ok
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert leaked(content) == []


def test_the_household_pages_show_the_masked_numbers_instead(world, client):
    first, _second = village_with_history(world)
    client.force_login(world.user(Role.INSPECTOR))
    page = client.get(reverse("household-detail", args=[first.pk])).content.decode()
    head = first.members.get(relation="head").id_number
    assert idnumbers.mask(head) in page
    assert leaked(page.encode()) == []


@pytest.mark.parametrize("model", [Household, Member])
def test_history_pages_mask_every_number(world, client, model):
    village_with_history(world)
    client.force_login(world.user(Role.INSPECTOR))
    for pk in model.objects.values_list("pk", flat=True):
        url = reverse(
            "record-history",
            kwargs={"app_label": "registry", "model_name": model._meta.model_name, "pk": pk},
        )
        response = client.get(url)
        assert response.status_code == 200
        assert leaked(response.content) == [], url
    # The history really holds two numbers for the corrected member: both were checked.
    corrected = Member.objects.get(relation="other")
    assert Member.history.filter(id=corrected.pk).values("id_number").distinct().count() == 2


def test_a_household_search_by_a_full_number_lists_no_full_number(world, client):
    """The township may look a person up by number (item 5 decides how far); the list it
    gets back still shows no full number but the one it typed."""
    first, _second = village_with_history(world)
    typed = first.members.get(relation="head").id_number
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    page = client.get(reverse("household-list"), {"q": typed}).content
    assert [n for n in leaked(page) if n != typed] == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_an_export_asked_with_full_numbers_by_the_township_is_masked(world, client, file_format):
    village_with_history(world)
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    client.post(reverse("registry-export"), {"format": file_format, "full_id_numbers": "on"})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["id_numbers"] is False
    for name in ("job-detail", "job-progress", "job-list"):
        url = reverse(name, args=[job.pk]) if name != "job-list" else reverse(name)
        assert leaked(client.get(url).content) == []
    download = client.get(reverse("job-download", args=[job.pk]))
    data = b"".join(download.streaming_content)
    if file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        data = "\n".join(
            ",".join(str(c) for c in row if c is not None)
            for row in sheet.iter_rows(values_only=True)
        ).encode()
    assert leaked(data) == []
    assert re.search(rb"\d{2}\*{14}[\dX]{2}", data)  # the one mask, idnumbers.mask


def a_finished_job(owner, area, *, id_numbers: bool) -> Job:
    job = Job.objects.create(kind="export_registry", owner=owner, area=area)
    path = job_file_path(job, "户籍导出.csv")
    path.write_text("身份证号\n450122197001010011\n", encoding="utf-8")
    result = job_file_result(job, path, id_numbers=id_numbers)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, result=result)
    return job


@pytest.mark.parametrize("name", ["job-detail", "job-progress", "job-download"])
def test_an_administrator_opening_a_clerks_full_number_job_is_recorded(world, client, name):
    """The clerk's export was recorded when it was made; the area's administrator, who sees
    every job of the area, reaching its full numbers is another disclosure, recorded too."""
    job = a_finished_job(world.user(Role.VILLAGE_CLERK), world.village, id_numbers=True)
    admin = world.user(Role.ADMIN)
    client.force_login(admin)
    assert client.get(reverse(name, args=[job.pk])).status_code == 200
    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.object_pk) == (
        admin,
        AccessEvent.Action.EXPORT_ID_NUMBERS,
        str(job.pk),
    )


def test_the_owner_and_masked_jobs_add_no_record(world, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    own = a_finished_job(clerk, world.village, id_numbers=True)
    masked = a_finished_job(clerk, world.village, id_numbers=False)
    client.force_login(clerk)
    assert client.get(reverse("job-download", args=[own.pk])).status_code == 200
    client.force_login(world.user(Role.ADMIN))
    assert client.get(reverse("job-download", args=[masked.pk])).status_code == 200
    assert not AccessEvent.objects.exists()


def test_no_birth_date_beside_a_masked_number(world, client):
    first, _second = village_with_history(world)
    client.force_login(world.user(Role.INSPECTOR))
    page = client.get(reverse("household-detail", args=[first.pk])).content.decode()
    for member in first.members.all():
        assert f"{member.birth_date:%Y-%m-%d}" not in page


@pytest.mark.django_db(transaction=True)
def test_an_export_file_is_readable_by_its_owner_only(world, client, settings):
    village_with_history(world)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    client.post(reverse("registry-export"), {"format": "csv", "full_id_numbers": "on"})
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = Job.objects.get()
    path = Path(settings.MEDIA_ROOT) / job.result["file"]
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
