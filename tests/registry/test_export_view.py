"""The export from the household list: a background job in the real worker; full ID numbers
only for a role that may reveal them, and then the export is recorded."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fupin.core.models import AccessEvent, Job
from fupin.core.roles import Role
from fupin.registry.template import COLUMNS
from tests.registry.factories import make_household
from tests.registry.jobs import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

MASKED = re.compile(r"\d{2}\*{14}\d[\dX]")


def export(client, user, **data):
    client.force_login(user)
    response = client.post(reverse("registry-export"), data)
    job = Job.objects.get()
    assert response["Location"] == reverse("job-detail", args=[job.pk])
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    page = client.get(reverse("job-detail", args=[job.pk])).content.decode()
    assert reverse("job-download", args=[job.pk]) in page
    download = client.get(reverse("job-download", args=[job.pk]))
    return job, b"".join(download.streaming_content)


def csv_rows(content: bytes):
    assert content.startswith(b"\xef\xbb\xbf")  # so that Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def households(world):
    return [make_household(world.village), make_household(world.other_village)]


def test_a_clerk_exports_masked_id_numbers_of_the_village_without_a_record(
    world, client, households
):
    job, content = export(client, world.user(Role.VILLAGE_CLERK), format="csv")
    rows = csv_rows(content)
    assert rows[0] == [column.header for column in COLUMNS]
    numbers = [row[[c.key for c in COLUMNS].index("id_number")] for row in rows[1:]]
    assert len(numbers) == 3  # village A1's household only
    assert all(MASKED.fullmatch(number) for number in numbers)
    assert {row[0] for row in rows[1:]} == {households[0].household_no}
    assert job.result["rows"] == 3
    assert not AccessEvent.objects.exists()


def test_full_id_numbers_are_exported_and_recorded(world, client, households):
    clerk = world.user(Role.VILLAGE_CLERK)
    job, content = export(client, clerk, format="csv", full_id_numbers="on")
    stored = set(households[0].members.values_list("id_number", flat=True))
    position = [c.key for c in COLUMNS].index("id_number")
    assert {row[position] for row in csv_rows(content)[1:]} == stored
    event = AccessEvent.objects.get()
    assert (event.user, event.action, event.area_id) == (
        clerk,
        AccessEvent.Action.EXPORT_ID_NUMBERS,
        world.village.code,
    )
    assert event.detail == f"job {job.pk}"


def test_a_role_that_may_not_reveal_gets_masked_numbers_even_when_it_asks(
    world, client, households
):
    reviewer = world.user(Role.TOWNSHIP_REVIEWER)
    _job, content = export(client, reviewer, format="xlsx", full_id_numbers="on")
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [column.header for column in COLUMNS]
    position = [c.key for c in COLUMNS].index("id_number")
    assert len(rows) == 1 + 6  # both villages of the township
    assert all(MASKED.fullmatch(row[position]) for row in rows[1:])
    assert not AccessEvent.objects.exists()


def test_a_county_user_exports_the_village_chosen_on_the_list(world, client, households):
    county = world.user(Role.COUNTY_APPROVER)
    client.force_login(county)
    page = client.get(reverse("household-list"), {"village": world.village.code}).content.decode()
    assert f'name="area" value="{world.village.code}"' in page
    job, content = export(client, county, format="csv", area=world.village.code)
    assert job.area_id == world.village.code
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
    village = [column.key for column in COLUMNS].index("village_code")
    assert {row[village] for row in rows} == {world.village.code}
    # outside the user's area: not found, and no job
    client.post(reverse("registry-export"), {"format": "csv", "area": "450102001001"})
    assert Job.objects.count() == 1
