"""The trainings API: the pages' services behind it (an enrolment, a referral and its outcome
written through the API), its scoping, and the candidate finder's answer."""

import datetime

from fupin.api.services import api_token_create
from fupin.core.roles import Role
from fupin.fieldwork.models import Enrolment, Referral
from tests.fieldwork import factories_trainings as make

API = "/api/v1/fieldwork/trainings"


def _headers(world, role=Role.VILLAGE_CLERK):
    _token, secret = api_token_create(user=world.user(role))
    return {"Authorization": f"Bearer {secret}"}


def _post(client, path, data, headers):
    return client.post(path, data, content_type="application/json", headers=headers)


def test_enrol_refer_and_record_outcomes_through_the_api(world, client):
    headers = _headers(world)
    county = make.programme(world.areas["450101000000"], capacity=10)
    member = make.young_in(world.village)
    answer = _post(
        client,
        f"{API}/enrolments/",
        {"programme": county.pk, "member": member.pk, "enrolled_on": "2019-03-01"},
        headers,
    )
    assert answer.status_code == 201, answer.content
    enrolment = Enrolment.objects.get()
    answer = client.patch(
        f"{API}/enrolments/{enrolment.pk}/",
        {"status": "completed", "employed": True, "employer": "南宁供电局", "monthly_income": 3000},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 200 and answer.json()["employer"] == "南宁供电局"
    bad = client.patch(
        f"{API}/enrolments/{enrolment.pk}/",
        {"status": "completed", "employer": "南宁供电局"},  # an employer, not employed
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    other = make.young_in(world.village)
    answer = _post(
        client,
        f"{API}/referrals/",
        {
            "member": other.pk,
            "kind": "programme",
            "programme": county.pk,
            "referred_on": "2019-05-01",
        },
        headers,
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["referred_by"] == world.user(Role.VILLAGE_CLERK).username
    referral = Referral.objects.get()
    answer = _post(
        client,
        f"{API}/referrals/{referral.pk}/outcome/",
        {"status": "enrolled", "outcome_on": "2019-06-01"},
        headers,
    )
    assert answer.status_code == 200 and answer.json()["status"] == "enrolled"
    assert Enrolment.objects.filter(member=other, programme=county).exists()
    listed = client.get(f"{API}/programmes/{county.pk}/", headers=headers).json()
    assert listed["enrolled"] == 2


def test_another_villages_member_is_404_and_lists_are_scoped(world, client):
    headers = _headers(world)
    county = make.programme(world.areas["450101000000"])
    stranger = make.young_in(world.other_village)
    answer = _post(
        client,
        f"{API}/enrolments/",
        {"programme": county.pk, "member": stranger.pk, "enrolled_on": "2019-03-01"},
        headers,
    )
    assert answer.status_code == 404
    make.referral(stranger)
    mine = make.referral(make.young_in(world.village))
    items = client.get(f"{API}/referrals/", headers=headers).json()["items"]
    assert [r["id"] for r in items] == [mine.pk]


def test_candidates_answer_an_age_and_why(world, client):
    headers = _headers(world)
    member = make.young_in(world.village, datetime.date(2004, 6, 1), schooling="junior")
    make.young_in(world.other_village, datetime.date(2004, 6, 1), schooling="junior")
    answer = client.get(f"{API}/candidates/", {"on": "2019-06-01"}, headers=headers)
    assert answer.status_code == 200
    (row,) = answer.json()["items"]
    assert (row["member"], row["age"], row["finishes_school"]) == (member.pk, 15, True)
    assert "birth_date" not in row
    bad = client.get(f"{API}/candidates/", {"min_age": 30, "max_age": 15}, headers=headers)
    assert bad.status_code == 422 and "min_age" in bad.json()["fields"]


def test_a_status_filter_is_one_of_the_statuses(world, client):
    # A NUL byte would reach PostgreSQL (a server error there) if the filter were free text.
    headers = _headers(world)
    for path in ("enrolments", "referrals"):
        answer = client.get(f"{API}/{path}/", {"status": "a\x00b"}, headers=headers)
        assert answer.status_code == 422 and answer.json()["code"] == "invalid_request"
