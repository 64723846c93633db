from fupin.api.services import api_token_create
from fupin.core.roles import Role
from tests.registry.factories import make_household

HOUSEHOLDS = "/api/v1/registry/households/"


def test_keyset_pages_walk_every_household_once(world, client):
    made = {make_household(world.village).household_no for _ in range(7)}
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
    assert seen == sorted(made)


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
    invalid = client.get(HOUSEHOLDS, {"limit": "many"}, headers=headers)
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_request"


def test_the_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/registry/households/" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs
