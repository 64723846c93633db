"""Guessed ids: a user reaching records, job results, downloads, photos or history pages that
are not theirs by typing numbers into the address bar.

The authorization matrix checks every URL with an object in another *county*. This goes
nearer: the clerk of the next village in the same township, a colleague in the same village
(jobs are their owner's), bureau staff of another department of the same county, and the
history page's free-form address."""

import pytest
from django.urls import reverse

from fupin.core.jobs import job_file_path
from fupin.core.models import Job
from fupin.core.roles import Role
from fupin.workplan.models import ProgressUpdate
from tests.conftest import make_user
from tests.core.test_authorization_matrix import CASES
from tests.registry.factories import make_household
from tests.workplan import factories

WITH_OBJECT = [case for case in CASES if case.kwargs]


def fetch(client, case, url):
    return getattr(client, case.method)(url, case.data)


@pytest.mark.parametrize("case", WITH_OBJECT, ids=lambda case: f"{case.url_name}-{case.method}")
@pytest.mark.parametrize("role", [Role.VILLAGE_CLERK, Role.RESIDENT_TEAM])
def test_the_next_village_of_the_same_township_is_another_world(case, role, world, client):
    """Every URL naming an object of village A1, asked for by the same role in village A2."""
    owner = world.user(role)
    url = reverse(case.url_name, kwargs=case.kwargs(world, owner, True))
    neighbour = make_user(f"{role.value}_a2", role, world.other_village.code)
    client.force_login(neighbour)
    expected = 404 if role in case.allowed else 403
    assert fetch(client, case, url).status_code == expected, url


def a_job_with_a_file(owner, area) -> Job:
    job = Job.objects.create(kind="export_registry", owner=owner, area=area)
    path = job_file_path(job, "户籍导出.csv")
    path.write_text("户编号,身份证号\n450101001001000001,450122197001010011\n", encoding="utf-8")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED,
        result={"file": str(path.relative_to(path.parents[2])), "filename": path.name},
    )
    return job


@pytest.mark.parametrize("who", [Role.RESIDENT_TEAM, Role.TOWNSHIP_REVIEWER, Role.INSPECTOR])
@pytest.mark.parametrize("name", ["job-detail", "job-progress", "job-download"])
def test_a_job_is_its_owners_even_inside_the_same_area(world, client, who, name):
    job = a_job_with_a_file(world.user(Role.VILLAGE_CLERK), world.village)
    client.force_login(world.user(who))
    assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert str(job.pk) not in client.get(reverse("job-list")).content.decode()


def test_the_owner_downloads_and_an_area_administrator_may_too(world, client):
    job = a_job_with_a_file(world.user(Role.VILLAGE_CLERK), world.village)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    response = client.get(reverse("job-download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(world.user(Role.ADMIN))
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 200


@pytest.mark.parametrize(
    "relative",
    ["../../../../etc/passwd", "/etc/passwd", "jobs/../../secret.txt", "uploads/x.xlsx", ""],
)
def test_a_job_result_cannot_point_the_download_outside_its_files(world, client, relative):
    clerk = world.user(Role.VILLAGE_CLERK)
    job = a_job_with_a_file(clerk, world.village)
    Job.objects.filter(pk=job.pk).update(result={"file": relative, "filename": "x"})
    client.force_login(clerk)
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404


def test_an_unfinished_job_has_nothing_to_download(world, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    job = a_job_with_a_file(clerk, world.village)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    client.force_login(clerk)
    assert client.get(reverse("job-download", args=[job.pk])).status_code == 404


def test_bureau_staff_reach_only_their_departments_projects_and_photos(world, client):
    bureau = world.user(Role.BUREAU)
    theirs = factories.project(world.village, members=[bureau])
    other_department = factories.department(world.village.code, name="交通局")
    other = factories.project(world.village, name="道路硬化", lead=other_department)
    update = ProgressUpdate.objects.create(project=other, date="2019-05-01", percent=10)
    client.force_login(bureau)
    assert client.get(reverse("project-detail", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("project-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("progress-photo", args=[update.pk])).status_code == 404
    progress = {"date": "2019-06-01", "percent": 40, "note": "x"}
    assert client.post(reverse("progress-create", args=[other.pk]), progress).status_code == 404
    assert not ProgressUpdate.objects.filter(project=other, percent=40).exists()


def history(app_label, model_name, pk):
    return reverse(
        "record-history", kwargs={"app_label": app_label, "model_name": model_name, "pk": pk}
    )


def test_history_of_a_household_in_the_next_county_is_not_found(world, client):
    outside = make_household(world.outside_village)
    inside = make_household(world.village)
    client.force_login(world.user(Role.INSPECTOR))
    assert client.get(history("registry", "household", inside.pk)).status_code == 200
    assert client.get(history("registry", "household", outside.pk)).status_code == 404
    member = outside.members.first()
    assert client.get(history("registry", "member", member.pk)).status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        ("registry", "historicalmember", "1"),  # the history table itself
        ("registry", "exclusionentry", "1"),  # not area-scoped: no history page at all
        ("auth", "permission", "1"),
        ("axes", "accessattempt", "1"),
        ("sessions", "session", "x"),
        ("core", "job", "00000000-0000-0000-0000-000000000000"),
        ("core", "accessevent", "1"),
        ("nothing", "here", "1"),
        ("registry", "household", "not-a-number"),
        ("registry", "household", "1 OR 1=1"),
        ("workplan", "project", "99999999999999999999999"),
        ("core", "area", "4501%"),
    ],
)
def test_history_addresses_that_name_no_visible_record_are_not_found(world, client, address):
    make_household(world.village)
    client.force_login(world.user(Role.INSPECTOR))
    assert client.get(history(*address)).status_code == 404
