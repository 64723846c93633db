from fupin.api.services import api_token_create
from fupin.core.roles import Role
from tests.registry.factories import make_household

HOUSEHOLDS = "/api/v1/registry/households/"


def test_keyset_pages_walk_every_household_once(world, client):
    made = [make_household(world.other_village) for _ in range(3)]
    made += [make_household(world.village) for _ in range(4)]
    made = [h.household_no for h in sorted(made, key=lambda h: (h.village_id, h.household_no))]
    make_household(world.outside_village)
    _token, secret = api_token_create(user=world.user(Role.TOWNSHIP_REVIEWER))
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get(HOUSEHOLDS, params, headers={"Authorization": f"Bearer {secret}"})
        body = page.json()
        seen += [h["household_no"] for h in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == made  # by village, then household number; each once


def test_errors_have_one_shape_in_the_request_language(world, client):
    _token, secret = api_token_create(user=world.user(Role.VILLAGE_CLERK))
    headers = {"Authorization": f"Bearer {secret}"}
    zh = client.get(f"{HOUSEHOLDS}999999/", headers=headers)
    en = client.get(f"{HOUSEHOLDS}999999/", headers=headers | {"Accept-Language": "en"})
    assert zh.status_code == en.status_code == 404
    assert zh.json()["code"] == en.json()["code"] == "not_found"
    assert en.json()["message"] == "Not found."
    assert zh.json()["message"] != en.json()["message"]
    bad = client.get(HOUSEHOLDS, {"cursor": "%%%"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["code"] == "bad_cursor"
    no_pair = client.get(HOUSEHOLDS, {"cursor": "NDUwMQ"}, headers=headers)  # "4501"
    assert no_pair.status_code == 400 and no_pair.json()["code"] == "bad_cursor"
    invalid = client.get(HOUSEHOLDS, {"limit": "many"}, headers=headers)
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_request"


def test_the_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/registry/households/" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs


def test_an_api_write_is_in_the_history_with_the_tokens_user(world, client):
    made = make_household(world.village)
    user = world.user(Role.VILLAGE_CLERK)
    _token, secret = api_token_create(user=user)
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"{HOUSEHOLDS}{made.pk}/status/"
    refused = client.post(
        url, {"status": "exited"}, content_type="application/json", headers=headers
    )
    assert refused.status_code == 422  # no reason: the page's rule
    response = client.post(
        url,
        {"status": "exited", "year_exited": 2020, "reason": "income above the line"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "exited"
    latest = made.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (user, "income above the line")


def test_a_write_the_form_refuses_answers_its_field_errors(world, client):
    made = make_household(world.village)
    _token, secret = api_token_create(user=world.user(Role.VILLAGE_CLERK))
    response = client.patch(
        f"{HOUSEHOLDS}{made.pk}/",
        {"status": "cancelled", "reason": "gone"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert "cancel_reason" in response.json()["fields"]
