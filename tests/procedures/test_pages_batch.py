"""A village carries several households through one step together on the batch page: one
meeting's tally (or one per household), one notice; a refusal names its household and
nothing is written."""

import pytest
from django.urls import reverse

from fupin.core.roles import Role
from fupin.procedures.models import Batch, Notice, StepRecord
from tests.procedures import pages

pytestmark = pytest.mark.django_db


def _url(world, step):
    query = f"?village={world.village.code}&kind=identification&year=2019&step={step}"
    return reverse("procedure-batch") + query


def test_one_tally_per_household_refusal_names_the_household(world, client):
    made = [pages.procedure_at(world, world.village, "application") for _ in range(3)]
    pages.procedure_at(world, world.village, None)  # at another step: not offered
    client.force_login(world.user(Role.VILLAGE_CLERK))
    url = _url(world, "group_appraisal")
    page = client.get(url).content.decode()
    assert all(p.household.household_no in page for p in made)
    assert page.count('name="pick_') == 3
    data = {"step_code": "group_appraisal", "date": "2019-03-05", "per_household": "on"}
    for index, procedure in enumerate(made):
        data[f"pick_{procedure.pk}"] = "on"
        present = 10 if index == 1 else 25  # the second household's meeting lacks quorum
        tally = {"votes_for": 20, "votes_against": 1, "votes_abstain": 0}
        tally |= {"attendance": present, "eligible": 30}
        if index == 1:
            tally["votes_for"] = 8
        for name, value in tally.items():
            data[f"p{procedure.pk}_{name}"] = value
    before = StepRecord.objects.count()
    response = client.post(url, data)
    assert response.status_code == 409
    refused = response.content.decode()
    assert 'id="refused-households"' in refused
    listed = refused.split('id="refused-households"')[1].split("</div>")[0]
    assert made[1].household.household_no in listed
    assert made[0].household.household_no not in listed
    assert StepRecord.objects.count() == before and not Batch.objects.exists()
    data[f"p{made[1].pk}_attendance"] = 25
    data[f"p{made[1].pk}_votes_for"] = 20
    response = client.post(url, data)
    assert response.status_code == 302
    batch = Batch.objects.get()
    assert batch.households == 3
    assert StepRecord.objects.filter(batch=batch).count() == 3


def test_one_notice_for_several_households(world, client):
    made = [pages.procedure_at(world, world.village, "village_verification") for _ in range(2)]
    client.force_login(world.user(Role.RESIDENT_TEAM))
    url = _url(world, "first_notice")
    data = {
        "step_code": "first_notice",
        "date": "2019-04-01",
        "notice_place": "村委会公示栏",
        "notice_object_to": "村委会 0771-1234567",
    }
    data |= {f"pick_{p.pk}": "on" for p in made}
    response = client.post(url, data)
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notice-detail", args=[notice.pk])
    assert StepRecord.objects.filter(notice=notice).count() == 2


def test_a_step_another_role_takes_is_403(world, client):
    pages.procedure_at(world, world.village, "application")
    client.force_login(world.user(Role.TOWNSHIP_REVIEWER))
    assert client.get(_url(world, "group_appraisal")).status_code == 403
    client.force_login(world.outsider)
    assert client.get(_url(world, "group_appraisal")).status_code == 404
