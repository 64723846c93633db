"""The documents are made in the real task worker and downloaded from the job's page."""

import io

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from fupin.core.models import Job
from fupin.core.roles import Role
from tests.workplan import factories

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def _download(client, job) -> bytes:
    response = client.get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_plan_document_and_summary_in_the_worker(world, client):
    project = factories.project(world.village, name="二桥维修", completion=2)
    client.force_login(world.user(Role.RESIDENT_TEAM))
    for kind in ("plan", "summary"):
        client.post(
            reverse("plan-document", args=[project.plan_id]), {"kind": kind, "language": "zh"}
        )
    run_worker()
    jobs = list(Job.objects.order_by("created_at"))
    assert [job.status for job in jobs] == [Job.Status.SUCCEEDED] * 2
    plan_text = "\n".join(
        p.text for p in docx.Document(io.BytesIO(_download(client, jobs[0]))).paragraphs
    )
    assert "二桥维修" in plan_text and "30万元" in plan_text
    page = client.get(reverse("job-detail", args=[jobs[1].pk])).content.decode()
    assert "返回计划" in page and "summary-450101001001-2019-zh.docx" in page


def test_ledger_in_the_worker_for_a_township(world, client):
    factories.project(world.village, name="饮水工程")
    factories.project(world.other_village, name="道路")
    reviewer = world.user(Role.TOWNSHIP_REVIEWER)
    client.force_login(reviewer)
    client.post(reverse("ledger-export"), {"year": 2019, "area": reviewer.area_id})
    run_worker()
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.error
    sheet = openpyxl.load_workbook(io.BytesIO(_download(client, job)))["项目台账"]
    names = {sheet.cell(row, 4).value for row in range(4, sheet.max_row - 1)}  # title, date, header
    assert names == {"饮水工程", "道路"}
    assert sheet.cell(sheet.max_row, 10).value == 60  # 万元


def test_ledger_of_an_area_outside_is_not_found(world, client):
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    response = client.post(
        reverse("ledger-export"), {"year": 2019, "area": world.outside_village.code}
    )
    assert response.status_code == 404
    assert not Job.objects.exists()
