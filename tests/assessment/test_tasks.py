"""The page starts an assessment as a background task; the worker runs it with progress."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from fupin.assessment.models import AssessmentRun
from fupin.core.models import Job
from fupin.core.roles import Role
from tests.assessment import factories as f

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("seeded_standards")]


def test_an_assessment_runs_in_the_worker_and_links_to_its_area(world, client):
    household = f.household(world.village)
    f.member(household)
    f.income(household, 2019, 5000)
    reviewer = world.user(Role.TOWNSHIP_REVIEWER)
    client.force_login(reviewer)
    response = client.post(
        reverse("assessment-start", kwargs={"code": reviewer.area_id}), {"year": 2019}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk])

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert (job.done, job.total) == (100, 100)
    run = AssessmentRun.objects.get()
    assert (run.job_id, run.started_by, run.year, run.households) == (job.pk, reviewer, 2019, 1)
    assert job.result["outcomes"]["meets_exit"] == 1
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert reverse("assessment-area", args=[reviewer.area_id]) in page


def test_a_year_outside_the_standards_fails_with_a_message(world, client):
    reviewer = world.user(Role.TOWNSHIP_REVIEWER)
    client.force_login(reviewer)
    client.post(reverse("assessment-start", kwargs={"code": reviewer.area_id}), {"year": 2011})
    from fupin.assessment.models import PovertyLine

    PovertyLine.objects.all().delete()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.error == "没有2011年或更早年度的贫困线。"
