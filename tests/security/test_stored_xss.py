"""Stored XSS: every free-text field of every domain model, filled through the ORM with a
<script> and an attribute-breaking payload, and every page rendered: the payload is shown as
text, never as markup. Upload file names and job errors on job pages likewise."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fupin.core.models import Job
from fupin.core.roles import Role
from fupin.workplan import services
from tests.core.test_authorization_matrix import CASES
from tests.security.data import village_with_history
from tests.security.payloads import IMG, SCRIPT, XSS, fill_text_fields
from tests.workplan import factories

PAGES = [case for case in CASES if case.method == "get"]
# A sample of what must be filled, so that the test cannot pass by filling nothing.
EXPECTED_FILLED = {
    ("Area", "name"),
    ("User", "first_name"),
    ("Household", "household_no"),
    ("Member", "name"),
    ("AnnualPlan", "title"),
    ("Project", "name"),
    ("Department", "name"),
    ("ProgressUpdate", "note"),
    ("Expenditure", "note"),
    ("Job", "error"),
}


def unescaped(content: bytes) -> list[str]:
    text = content.decode("utf-8", "replace")
    return [payload for payload in XSS if payload in text] + (
        ["<img src=x"] if "<img src=x" in text else []
    )


def hostile_world(world):
    village_with_history(world)
    project = factories.project(world.village, name="村道硬化")
    services.progress_update_create(
        project=project, date="2019-05-01", percent=20, reported_by=None, note="x"
    )
    services.expenditure_create(
        project=project,
        date="2019-05-02",
        amount=100,
        source=project.funding.first().kind,
        recorded_by=None,
        voucher_no="V1",
        note="x",
    )
    return project


def html(response) -> bytes:
    if not response["Content-Type"].startswith("text/html"):
        return b""
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("case", PAGES, ids=lambda case: case.url_name)
def test_every_page_escapes_every_stored_text(case, world, client):
    hostile_world(world)
    admin = world.user(Role.ADMIN)
    if case.all_areas:  # standards and lists beyond any county: the all-areas administrator's
        admin.area = None
        admin.save()
    # The administrator sees every page but those only the roles that act may open (the
    # procedures' steps): the first of those roles then.
    viewer = admin if Role.ADMIN in case.allowed else world.user(sorted(case.allowed)[0])
    url = reverse(case.url_name, kwargs=case.kwargs(world, viewer, True) if case.kwargs else None)
    Job.objects.create(kind="import_registry", owner=admin, area=world.village, error="x")
    filled = set(fill_text_fields(XSS))
    assert filled >= EXPECTED_FILLED, EXPECTED_FILLED - filled
    client.force_login(viewer)
    response = client.get(url, case.data)
    assert response.status_code == case.ok
    assert unescaped(html(response)) == []


def test_the_household_and_project_pages_show_the_payload_as_text(world, client):
    """The check above could pass on pages that show no stored text at all: these do."""
    project = hostile_world(world)
    fill_text_fields(XSS)
    client.force_login(world.user(Role.ADMIN))
    page = client.get(reverse("project-detail", args=[project.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page


IMPORT_RESULT = {
    "refused": True,
    "errors": 1,
    "rows": 1,
    "file": "jobs/x/report.xlsx",
    "filename": SCRIPT + ".xlsx",
    "file_name": IMG + ".xlsx",
    "first_errors": [{"row": 2, "column": SCRIPT, "value": IMG, "reason": SCRIPT}],
}


@pytest.mark.parametrize(
    "kind,status,result",
    [
        ("import_registry", Job.Status.FAILED, IMPORT_RESULT),
        ("import_registry", Job.Status.SUCCEEDED, {**IMPORT_RESULT, "refused": False}),
        ("import_exclusions", Job.Status.FAILED, IMPORT_RESULT),
        (
            "import_exclusions",
            Job.Status.SUCCEEDED,
            {"refused": False, "file_name": IMG, "kinds": [{"label": SCRIPT, "entries": 1}]},
        ),
        (
            "recompute_area_statistics",
            Job.Status.SUCCEEDED,
            {"columns": ["households"], "rows": [{"name": SCRIPT, "counts": {"h": 1}}]},
        ),
        ("export_registry", Job.Status.RUNNING, None),
    ],
)
def test_job_pages_escape_file_names_errors_and_results(world, client, kind, status, result):
    clerk = world.user(Role.VILLAGE_CLERK)
    job = Job.objects.create(
        kind=kind,
        owner=clerk,
        area=world.village,
        status=status,
        result=result,
        error=f"{SCRIPT}{IMG}",
        message=f"{IMG}{SCRIPT}",
        params={"original_name": IMG},
    )
    client.force_login(clerk)
    for url in (
        reverse("job-list"),
        reverse("job-detail", args=[job.pk]),
        reverse("job-progress", args=[job.pk]),
        reverse("area-detail", args=[world.village.code]),
    ):
        assert unescaped(client.get(url).content) == [], url


def test_an_uploaded_file_name_reaches_the_job_page_as_text(world, client):
    """The name an upload came with is kept on the job (`original_name`) and shown: a name
    made to break out of the page stays text."""
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    name = f"{IMG}{SCRIPT}.csv"
    upload = SimpleUploadedFile(name, "户编号\n".encode(), content_type="text/csv")
    response = client.post(reverse("registry-import"), {"file": upload})
    assert response.status_code in (200, 302)
    job = Job.objects.get(owner=clerk)
    kept = job.params["original_name"]  # the name's last path part, as Django keeps it
    assert kept and name.endswith(kept)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED, result={"refused": False, "file_name": name, "filename": name}
    )
    page = client.get(reverse("job-detail", args=[job.pk])).content
    assert unescaped(page) == []
