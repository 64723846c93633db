"""Background work through the API: a run and an import answer their job (202), which the
worker runs as it runs the pages'; the job is read and its file downloaded by its owner."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from fupin.api.services import api_token_create
from fupin.assessment.models import AssessmentRun
from fupin.core.models import Job
from fupin.core.roles import Role
from fupin.registry.models import Household
from tests.registry.bad_inputs import mistyped
from tests.registry.factories import household_rows, make_household, registry_counts, write_template

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def bearer(user):
    _token, secret = api_token_create(user=user)
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "zh-Hans"}


def upload(client, headers, path):
    return client.post(
        "/api/v1/registry/imports/",
        {"file": SimpleUploadedFile(path.name, path.read_bytes())},
        headers=headers,
    )


def test_a_run_started_through_the_api_is_the_pages_job(world, client, seeded_standards):
    make_household(world.village, status="registered", income=2000)
    user = world.user(Role.TOWNSHIP_REVIEWER)
    headers = bearer(user)
    started = client.post(
        f"/api/v1/assessment/areas/{world.village.code}/runs/",
        {"year": 2019},
        content_type="application/json",
        headers=headers,
    )
    assert started.status_code == 202, started.content
    job = started.json()
    assert (job["status"], job["kind"], job["area"]) == ("queued", "run_assessment", "450101001001")
    bad_year = client.post(
        f"/api/v1/assessment/areas/{world.village.code}/runs/",
        {"year": 1900},
        content_type="application/json",
        headers=headers,
    )
    assert bad_year.status_code == 422 and "year" in bad_year.json()["fields"]
    run_worker()
    done = client.get(f"/api/v1/jobs/{job['id']}/", headers=headers).json()
    assert done["status"] == "succeeded" and done["percent"] == 100
    run = AssessmentRun.objects.get(pk=done["result"]["run"])
    assert (run.started_by, run.households) == (user, 1)
    other = bearer(world.user(Role.VILLAGE_CLERK))
    assert client.get(f"/api/v1/jobs/{job['id']}/", headers=other).status_code == 404


def test_an_import_through_the_api_is_all_or_nothing_with_the_pages_report(world, client, tmp_path):
    clerk = world.user(Role.VILLAGE_CLERK)
    headers = bearer(clerk)
    rows = household_rows(world.village)
    rows[1]["id_number"] = mistyped(rows[1]["id_number"])
    bad = write_template(tmp_path / "有错.csv", rows)
    before = registry_counts()

    answered = upload(client, headers, bad)
    assert answered.status_code == 202, answered.content
    client.force_login(clerk)  # the same file through the upload page
    client.post(
        reverse("registry-import"), {"file": SimpleUploadedFile(bad.name, bad.read_bytes())}
    )
    run_worker()
    by_api = client.get(f"/api/v1/jobs/{answered.json()['id']}/", headers=headers).json()
    by_page = Job.objects.exclude(pk=answered.json()["id"]).get()
    assert by_api["status"] == "failed" and by_api["error"] == by_page.error
    assert by_api["result"] == {k: v for k, v in by_page.result.items() if k != "file"}
    assert registry_counts() == before
    report = client.get(by_api["download"], headers=headers)
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]

    good = write_template(tmp_path / "好的.csv", household_rows(world.village))
    answered = upload(client, headers, good)
    run_worker()
    job = client.get(f"/api/v1/jobs/{answered.json()['id']}/", headers=headers).json()
    assert job["status"] == "succeeded" and job["result"]["households_created"] == 1
    assert Household.objects.count() == 1
    history = Household.objects.get().history.earliest()
    assert history.history_user == clerk


def test_an_upload_the_page_would_refuse_is_refused_at_once(world, client, tmp_path):
    headers = bearer(world.user(Role.VILLAGE_CLERK))
    path = tmp_path / "notes.txt"
    path.write_text("x")
    refused = upload(client, headers, path)
    assert refused.status_code == 422 and "file" in refused.json()["fields"]
    outside = client.post(
        "/api/v1/registry/imports/",
        {
            "file": SimpleUploadedFile("a.csv", b"x"),
            "area": world.outside_village.code,
        },
        headers=headers,
    )
    assert outside.status_code == 404
    assert not Job.objects.exists()


def test_job_list_is_the_users_own(world, client):
    mine = Job.objects.create(
        kind="export_registry", owner=world.user(Role.VILLAGE_CLERK), area=world.village
    )
    Job.objects.create(
        kind="export_registry", owner=world.user(Role.RESIDENT_TEAM), area=world.village
    )
    listed = client.get("/api/v1/jobs/", headers=bearer(world.user(Role.VILLAGE_CLERK))).json()
    assert [job["id"] for job in listed["items"]] == [str(mine.pk)]
