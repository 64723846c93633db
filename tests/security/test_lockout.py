"""Lockout bypass: the brute-force counter (django-axes) cannot be dodged by spelling the
username differently, by claiming another address, or by guessing through another door."""

import pytest
from django.urls import reverse

from fupin.core.roles import Role
from tests.conftest import PASSWORD

ADDRESS = "10.0.0.7"


def sign_in(client, username, password, **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ADDRESS,
        **headers,
    )


def lock_out(client, settings, username="village_clerk"):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, "wrong")
    assert sign_in(client, username, PASSWORD).status_code == 429


@pytest.mark.parametrize(
    "variant",
    [" village_clerk", "village_clerk ", "\tvillage_clerk\n", "ｖｉｌｌａｇｅ＿ｃｌｅｒｋ"],
    ids=["leading-space", "trailing-space", "tab-newline", "fullwidth"],
)
def test_a_respelled_username_is_the_same_locked_account(world, client, settings, variant):
    lock_out(client, settings)
    # The sign-in form strips and NFKC-normalises the name before axes counts it.
    assert sign_in(client, variant, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_under_respelled_names_add_up(world, client, settings):
    variants = [" village_clerk", "village_clerk ", "ｖｉｌｌａｇｅ＿ｃｌｅｒｋ"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, variants[attempt % len(variants)], "wrong")
    assert sign_in(client, "village_clerk", PASSWORD).status_code == 429


@pytest.mark.parametrize("variant", ["VILLAGE_CLERK", "Village_Clerk"])
def test_another_letter_case_is_another_username_that_never_signs_in(
    world, client, settings, variant
):
    """Usernames are compared exactly (on SQLite and PostgreSQL alike): a case variant is not
    a way round the lock, because it does not name the locked user at all."""
    lock_out(client, settings)
    response = sign_in(client, variant, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "header", ["HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_CLIENT_IP", "HTTP_FORWARDED"]
)
def test_a_claimed_forwarded_address_does_not_reset_the_count(world, client, settings, header):
    lock_out(client, settings)
    for fake in ("203.0.113.9", "198.51.100.1, 10.0.0.7"):
        assert sign_in(client, "village_clerk", PASSWORD, **{header: fake}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_from_claimed_addresses_count_for_the_real_one(world, client, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "village_clerk", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    assert sign_in(client, "village_clerk", PASSWORD).status_code == 429


def change_password(client, old):
    return client.post(
        reverse("password_change"),
        {
            "old_password": old,
            "new_password1": "a-new-long-passphrase-9",
            "new_password2": "a-new-long-passphrase-9",
        },
        REMOTE_ADDR=ADDRESS,
    )


def test_guessing_the_old_password_on_the_change_page_is_counted(world, client, settings):
    """Someone who finds a signed-in session cannot guess its password on the change page
    without limit: each wrong old password is a failed sign-in, and the lock holds there."""
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        assert change_password(client, "wrong").status_code in (200, 429)
    assert change_password(client, PASSWORD).status_code == 429
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)
    client.logout()
    assert sign_in(client, "village_clerk", PASSWORD).status_code == 429


def test_a_locked_out_user_cannot_change_the_password_either(world, client, settings):
    lock_out(client, settings)
    client.force_login(world.user(Role.VILLAGE_CLERK))
    assert change_password(client, PASSWORD).status_code == 429
