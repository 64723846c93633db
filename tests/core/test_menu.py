"""The main menu shows each role the pages it may open, and no page it may not."""

import pytest
from django.urls import reverse

from fupin.core.menu import menu_for
from fupin.core.roles import Role


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_entry_opens_for_the_role_that_sees_it(world, client, role):
    user = world.user(role)
    client.force_login(user)
    shown = {entry.url_name for entry in menu_for(user)}
    assert "home" in shown
    for entry in menu_for(user):
        assert client.get(reverse(entry.url_name)).status_code == 200, entry.url_name


def test_exclusion_lists_are_in_the_menu_of_who_keeps_them_only(world, client):
    admin, county = world.user(Role.ADMIN), world.user(Role.COUNTY_APPROVER)
    assert "exclusion-lists" in {entry.url_name for entry in menu_for(admin)}
    assert "exclusion-lists" not in {entry.url_name for entry in menu_for(county)}
    # and the page itself agrees
    client.force_login(county)
    assert client.get(reverse("exclusion-lists")).status_code == 403


def test_the_menu_is_rendered_with_the_page(world, client):
    client.force_login(world.user(Role.ADMIN))
    page = client.get(reverse("home")).content.decode()
    assert reverse("exclusion-lists") in page
    assert "比对排除清单" in page  # Chinese by default
