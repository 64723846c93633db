from django.urls import reverse

from fupin.core.roles import Role
from tests.conftest import PASSWORD


def sign_in(client, username, password):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


def test_right_password_signs_in_and_lands_home(world, client):
    response = sign_in(client, "village_clerk", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_is_refused_with_a_message(world, client):
    response = sign_in(client, "village_clerk", "wrong")
    assert response.status_code == 200
    assert "用户名和密码不匹配" in response.content.decode()


def test_wrong_passwords_lock_the_account_out(world, client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "village_clerk", "wrong").status_code == 200
    locked = sign_in(client, "village_clerk", "wrong")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert sign_in(client, "village_clerk", PASSWORD).status_code == 429


def test_administrator_unlocks_a_locked_account(world, client, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "village_clerk", "wrong")
    admin = world.user(Role.ADMIN)
    client.force_login(admin)
    listing = client.get(reverse("user-list")).content.decode()
    assert "已锁定" in listing
    clerk = world.user(Role.VILLAGE_CLERK)
    client.post(reverse("user-unlock", args=[clerk.pk]))
    client.logout()
    assert sign_in(client, "village_clerk", PASSWORD).status_code == 302


def test_sign_out_needs_post_and_ends_the_session(world, client):
    client.force_login(world.user(Role.VILLAGE_CLERK))
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(world, client):
    clerk = world.user(Role.VILLAGE_CLERK)
    client.force_login(clerk)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-2019",
            "new_password2": "a-new-long-pass-2019",
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("a-new-long-pass-2019")


def test_security_headers_are_sent(world, client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
