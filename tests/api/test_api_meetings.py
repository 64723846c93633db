"""The meetings' and mediation cases' codes: a village, type or status that no record can
have (a NUL byte among them, which PostgreSQL refuses) is a 422, never sent to the database."""

from fupin.api.services import api_token_create
from fupin.core.roles import Role

API = "/api/v1/fieldwork"


def _headers(world, role=Role.VILLAGE_CLERK):
    _token, secret = api_token_create(user=world.user(role))
    return {"Authorization": f"Bearer {secret}"}


def test_codes_in_filters_and_bodies_are_checked_before_the_database(world, client):
    headers = _headers(world)
    for path in ("meetings", "mediation-cases"):
        for field in ("village", "type"):
            answer = client.get(f"{API}/{path}/", {field: "a\x00b"}, headers=headers)
            assert answer.status_code == 422, (path, field, answer.content)
            assert any(key.endswith(field) for key in answer.json()["fields"]), answer.json()
        body = {"village": "45\x00", "type": "study", "date": "2019-03-01", "topic": "学习"}
        body |= {"received_on": "2019-03-01", "parties": "甲与乙", "summary": "宅基地"}
        answer = client.post(
            f"{API}/{path}/", body, content_type="application/json", headers=headers
        )
        assert answer.status_code == 422 and "body.village" in answer.json()["fields"], path
    answer = client.get(f"{API}/mediation-cases/", {"status": "open\x00"}, headers=headers)
    assert answer.status_code == 422
