import io

import pytest
from django.core.management import call_command

from fupin import idnumbers
from fupin.api.models import ApiToken, digest_of
from fupin.api.services import api_token_create, api_token_revoke
from fupin.core.models import AccessEvent
from fupin.core.roles import Role
from tests.registry.factories import make_household

HOUSEHOLDS = "/api/v1/registry/households/"


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_a_token_is_stored_as_its_digest_only(world):
    token, secret = api_token_create(user=world.user(Role.VILLAGE_CLERK), name="laptop")
    assert token.digest == digest_of(secret)
    assert secret not in {token.digest, token.prefix, token.name}
    assert secret.startswith(token.prefix)


def test_the_command_prints_a_working_token(world, client):
    out = io.StringIO()
    call_command("api-token", "village_clerk", "--name", "sync", stdout=out)
    secret = out.getvalue().strip()
    assert ApiToken.objects.get(digest=digest_of(secret)).name == "sync"
    assert client.get(HOUSEHOLDS, headers=bearer(secret)).status_code == 200


def test_a_revoked_token_is_401(world, client):
    token, secret = api_token_create(user=world.user(Role.VILLAGE_CLERK))
    assert client.get(HOUSEHOLDS, headers=bearer(secret)).status_code == 200
    api_token_revoke(token=token)
    response = client.get(HOUSEHOLDS, headers=bearer(secret))
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message"}


def test_an_inactive_users_token_is_401(world, client):
    user = world.user(Role.VILLAGE_CLERK)
    _token, secret = api_token_create(user=user)
    user.is_active = False
    user.save()
    assert client.get(HOUSEHOLDS, headers=bearer(secret)).status_code == 401


def test_the_page_shows_a_new_token_once_and_revokes(world, client):
    user = world.user(Role.INSPECTOR)
    client.force_login(user)
    response = client.post("/api/tokens/", {"name": "kobo"})
    token = ApiToken.objects.get(user=user)
    secret = response.context["secret"]
    assert token.digest == digest_of(secret) and secret in response.content.decode()
    listing = client.get("/api/tokens/").content.decode()
    assert "kobo" in listing and secret not in listing
    other = world.user(Role.VILLAGE_CLERK)
    client.force_login(other)
    assert client.post("/api/tokens/revoke/", {"token": token.pk}).status_code == 404
    client.force_login(user)
    assert client.post("/api/tokens/revoke/", {"token": token.pk}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_id_numbers_are_masked_for_every_role(role, world, client):
    made = make_household(world.village)
    member = made.members.first()
    _token, secret = api_token_create(user=world.user(role))
    response = client.get(f"{HOUSEHOLDS}{made.pk}/", headers=bearer(secret))
    if response.status_code == 403:
        return  # a role that may not read households sees no number at all
    body = response.content.decode()
    assert member.id_number not in body
    # the one mask of every page (fupin.idnumbers.mask): province digits and the last two
    masked = response.json()["members"][0]["id_number_masked"]
    assert masked == idnumbers.mask(member.id_number) and masked.count("*") == 14


def test_a_reveal_through_the_api_is_recorded(world, client):
    made = make_household(world.village)
    member = made.members.first()
    user = world.user(Role.VILLAGE_CLERK)
    _token, secret = api_token_create(user=user)
    response = client.post(f"/api/v1/registry/members/{member.pk}/reveal/", headers=bearer(secret))
    assert response.json() == {"id_number": member.id_number}
    event = AccessEvent.objects.get()
    assert (event.user, event.object_pk) == (user, str(member.pk))


def test_session_auth_needs_csrf_for_writes(world):
    from django.test import Client

    made = make_household(world.village)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    assert client.get(HOUSEHOLDS).status_code == 200
    response = client.post(f"/api/v1/registry/members/{made.members.first().pk}/reveal/")
    assert response.status_code in (401, 403)
    assert not AccessEvent.objects.exists()
